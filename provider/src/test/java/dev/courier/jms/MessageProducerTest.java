package dev.courier.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

@AllTransports
class MessageProducerTest extends BrokerFixture {

    @Test
    void sendStampsHeadersOnTheMessage() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            Queue q = s.createQueue("q");
            MessageProducer p = s.createProducer(q);
            TextMessage m = s.createTextMessage("x");
            long before = System.currentTimeMillis();
            p.send(m, DeliveryMode.NON_PERSISTENT, 7, 60_000);
            assertTrue(m.getJMSMessageID().startsWith("ID:"));
            assertEquals(q, m.getJMSDestination());
            assertEquals(DeliveryMode.NON_PERSISTENT, m.getJMSDeliveryMode());
            assertEquals(7, m.getJMSPriority());
            assertTrue(m.getJMSTimestamp() >= before);
            assertEquals(m.getJMSTimestamp() + 60_000, m.getJMSExpiration());
            c.start();
            Message received = s.createConsumer(q).receive(WAIT_MS);
            assertEquals(m.getJMSMessageID(), received.getJMSMessageID());
            assertEquals(7, received.getJMSPriority());
            assertEquals(DeliveryMode.NON_PERSISTENT, received.getJMSDeliveryMode());
            assertEquals(m.getJMSExpiration(), received.getJMSExpiration());
            assertEquals(1, received.getIntProperty("JMSXDeliveryCount"));
        }
    }

    @Test
    void changingAMessageAfterSendDoesNotChangeWhatWasSent() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            Queue q = s.createQueue("q");
            MessageProducer p = s.createProducer(q);
            TextMessage m = s.createTextMessage("first");
            m.setStringProperty("k", "v1");
            p.send(m);
            m.setText("second");
            m.setStringProperty("k", "v2");
            p.send(m);
            c.start();
            MessageConsumer consumer = s.createConsumer(q);
            TextMessage a = (TextMessage) consumer.receive(WAIT_MS);
            TextMessage b = (TextMessage) consumer.receive(WAIT_MS);
            assertEquals("first", a.getText());
            assertEquals("v1", a.getStringProperty("k"));
            assertEquals("second", b.getText());
            assertNotEquals(a.getJMSMessageID(), b.getJMSMessageID());
        }
    }

    @Test
    void disabledMessageIdAndTimestampAreNotSet() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            MessageProducer p = s.createProducer(s.createQueue("q"));
            p.setDisableMessageID(true);
            p.setDisableMessageTimestamp(true);
            Message m = s.createMessage();
            p.send(m);
            assertNull(m.getJMSMessageID());
            assertEquals(0, m.getJMSTimestamp());
        }
    }

    @Test
    void invalidArgumentsGetTheSpecifiedExceptions() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            Queue q = s.createQueue("q");
            MessageProducer bound = s.createProducer(q);
            MessageProducer anonymous = s.createProducer(null);
            Message m = s.createMessage();
            assertThrows(JMSException.class, () -> bound.setPriority(10));
            assertThrows(JMSException.class, () -> bound.setDeliveryMode(3));
            assertThrows(MessageFormatException.class, () -> bound.send(null));
            assertThrows(UnsupportedOperationException.class, () -> bound.send(s.createQueue("other"), m));
            assertThrows(UnsupportedOperationException.class, () -> anonymous.send(m));
            assertThrows(InvalidDestinationException.class, () -> anonymous.send(null, m));
            assertThrows(InvalidDestinationException.class, () -> s.createQueue(""));
            assertThrows(InvalidDestinationException.class, () -> s.createConsumer(null));
        }
    }

    @Test
    void anonymousProducerSendsToAnyDestination() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            MessageProducer anonymous = s.createProducer(null);
            anonymous.send(s.createQueue("a"), s.createTextMessage("to a"));
            anonymous.send(s.createQueue("b"), s.createTextMessage("to b"));
            c.start();
            assertEquals("to a", ((TextMessage) s.createConsumer(s.createQueue("a")).receive(WAIT_MS)).getText());
            assertEquals("to b", ((TextMessage) s.createConsumer(s.createQueue("b")).receive(WAIT_MS)).getText());
        }
    }

    @Test
    void completionListenerIsToldOncePerMessageInSendOrder() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            MessageProducer p = s.createProducer(s.createQueue("q"));
            List<String> completed = Collections.synchronizedList(new ArrayList<>());
            CompletionListener listener = new CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                    try {
                        completed.add(((TextMessage) message).getText());
                    } catch (JMSException e) {
                        throw new IllegalStateException(e);
                    }
                }

                @Override
                public void onException(Message message, Exception exception) {
                    completed.add("failed");
                }
            };
            for (int i = 0; i < 100; i++) {
                p.send(s.createTextMessage("m" + i), listener);
            }
            p.close();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                expected.add("m" + i);
            }
            assertEquals(expected, completed);
        }
    }

    @Test
    void aMessageOfAnotherProviderCanBeSent() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            Queue q = s.createQueue("q");
            Message foreign = ForeignTextMessage.create("from elsewhere");
            s.createProducer(q).send(foreign);
            assertTrue(foreign.getJMSMessageID().startsWith("ID:"));
            c.start();
            assertEquals("from elsewhere", ((TextMessage) s.createConsumer(q).receive(WAIT_MS)).getText());
        }
    }
}
