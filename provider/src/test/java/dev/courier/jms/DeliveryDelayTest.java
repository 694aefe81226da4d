package dev.courier.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JMS 2.0 delivery delay: a message stays invisible until its JMSDeliveryTime. */
@AllTransports
class DeliveryDelayTest extends BrokerFixture {

    private static final long DELAY_MS = 400;

    @Test
    void classicProducerStampsTheDeliveryTimeAndTheMessageWaitsForIt() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            Queue q = s.createQueue("q");
            MessageConsumer consumer = s.createConsumer(q);
            c.start();
            MessageProducer p = s.createProducer(q);
            p.setDeliveryDelay(DELAY_MS);
            assertEquals(DELAY_MS, p.getDeliveryDelay());
            TextMessage sent = s.createTextMessage("later");
            p.send(sent);
            assertEquals(sent.getJMSTimestamp() + DELAY_MS, sent.getJMSDeliveryTime());
            assertNull(consumer.receiveNoWait(), "not due yet");
            assertFalse(s.createBrowser(q).getEnumeration().hasMoreElements(), "a browser must not see it either");
            Message received = consumer.receive(WAIT_MS);
            assertNotNull(received);
            assertTrue(System.currentTimeMillis() >= sent.getJMSDeliveryTime(), "delivered no earlier than due");
            assertEquals(sent.getJMSDeliveryTime(), received.getJMSDeliveryTime());
        }
    }

    @Test
    void jmsProducerDelaysToo() {
        try (JMSContext context = factory().createContext()) {
            Queue q = context.createQueue("q");
            JMSConsumer consumer = context.createConsumer(q);
            JMSProducer p = context.createProducer().setDeliveryDelay(DELAY_MS);
            assertEquals(DELAY_MS, p.getDeliveryDelay());
            long before = System.currentTimeMillis();
            p.send(q, "later");
            assertNull(consumer.receiveNoWait());
            assertFalse(hasMessages(context, q));
            Message received = consumer.receive(WAIT_MS);
            assertNotNull(received);
            assertTrue(System.currentTimeMillis() - before >= DELAY_MS);
            assertTrue(receivedDeliveryTime(received) >= before + DELAY_MS);
        }
    }

    @Test
    void messagesArriveInTheOrderTheyBecomeDue() {
        try (JMSContext context = factory().createContext()) {
            Queue q = context.createQueue("q");
            JMSConsumer consumer = context.createConsumer(q);
            JMSProducer p = context.createProducer();
            p.setDeliveryDelay(500).send(q, "third");
            p.setDeliveryDelay(200).send(q, "second");
            p.setDeliveryDelay(0).send(q, "first");
            List<String> order = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                order.add(consumer.receiveBody(String.class, WAIT_MS));
            }
            assertEquals(List.of("first", "second", "third"), order);
        }
    }

    @Test
    void everySubscriptionOfATopicGetsTheDelayedMessageWhenDue() {
        try (JMSContext context = factory().createContext()) {
            Topic t = context.createTopic("t");
            JMSConsumer a = context.createConsumer(t);
            JMSConsumer b = context.createSharedConsumer(t, "shared");
            long before = System.currentTimeMillis();
            context.createProducer().setDeliveryDelay(200).send(t, "due");
            assertEquals("due", a.receiveBody(String.class, WAIT_MS));
            assertEquals("due", b.receiveBody(String.class, WAIT_MS));
            assertTrue(System.currentTimeMillis() - before >= 200);
        }
    }

    @Test
    void aDelayedMessageSentInATransactionStillWaitsAfterTheCommit() {
        try (JMSContext tx = factory().createContext(JMSContext.SESSION_TRANSACTED);
             JMSContext reader = factory().createContext()) {
            Queue q = tx.createQueue("q");
            JMSConsumer consumer = reader.createConsumer(q);
            tx.createProducer().setDeliveryDelay(200).send(q, "delayed");
            tx.commit();
            assertNull(consumer.receiveNoWait());
            assertEquals("delayed", consumer.receiveBody(String.class, WAIT_MS));
        }
    }

    private static boolean hasMessages(JMSContext context, Queue q) {
        try {
            return context.createBrowser(q).getEnumeration().hasMoreElements();
        } catch (jakarta.jms.JMSException e) {
            throw new AssertionError(e);
        }
    }

    private static long receivedDeliveryTime(Message m) {
        try {
            return m.getJMSDeliveryTime();
        } catch (jakarta.jms.JMSException e) {
            throw new AssertionError(e);
        }
    }
}
