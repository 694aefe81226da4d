package dev.courier.jms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.Queue;
import jakarta.jms.StreamMessage;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@AllTransports
class JMSConsumerTest extends BrokerFixture {

    @Test
    void receiveBodyGivesEachBodyKindAsItsType() {
        try (JMSContext context = factory().createContext()) {
            Queue q = context.createQueue("q");
            context.createProducer()
                    .send(q, "text")
                    .send(q, new byte[] {1, 2})
                    .send(q, Map.of("k", (Object) "v"))
                    .send(q, (Serializable) List.of("a"));
            JMSConsumer consumer = context.createConsumer(q);
            assertEquals("text", consumer.receiveBody(CharSequence.class, WAIT_MS));
            assertArrayEquals(new byte[] {1, 2}, consumer.receiveBody(byte[].class, WAIT_MS));
            assertEquals(Map.of("k", "v"), consumer.receiveBody(Map.class, WAIT_MS));
            assertEquals(List.of("a"), consumer.receiveBody(Serializable.class, WAIT_MS));
            assertNull(consumer.receiveBodyNoWait(String.class));
            assertNull(consumer.receiveBody(String.class, ABSENT_MS));
        }
    }

    @Test
    void receiveBodyWithNoWaitAndWithoutTimeoutTakeWaitingMessages() {
        try (JMSContext context = factory().createContext()) {
            Queue q = context.createQueue("q");
            JMSConsumer consumer = context.createConsumer(q);
            context.createProducer().send(q, "one").send(q, "two");
            assertEquals("one", consumer.receiveBody(String.class));
            String second = null;
            long deadline = System.currentTimeMillis() + WAIT_MS;
            while (second == null && System.currentTimeMillis() < deadline) {
                second = consumer.receiveBodyNoWait(String.class);
            }
            assertEquals("two", second);
        }
    }

    @Test
    void inAutoAcknowledgeAMismatchedBodyLeavesTheMessageFirstInLineNotRedelivered() throws Exception {
        for (int mode : new int[] {JMSContext.AUTO_ACKNOWLEDGE, JMSContext.DUPS_OK_ACKNOWLEDGE}) {
            try (JMSContext context = factory().createContext(mode)) {
                Queue q = context.createQueue("q" + mode);
                context.createProducer().send(q, "text").send(q, "next");
                JMSConsumer consumer = context.createConsumer(q);
                assertThrows(MessageFormatRuntimeException.class, () -> consumer.receiveBody(byte[].class, WAIT_MS));
                assertThrows(MessageFormatRuntimeException.class, () -> consumer.receiveBody(Integer.class, WAIT_MS));
                Message again = consumer.receive(WAIT_MS);
                assertEquals("text", again.getBody(String.class));
                assertFalse(again.getJMSRedelivered());
                assertEquals(1, again.getIntProperty("JMSXDeliveryCount"));
                assertEquals("next", consumer.receiveBody(String.class, WAIT_MS));
            }
        }
    }

    @Test
    void aMismatchedBodyStaysFirstInLineWithoutPrefetchToo() throws Exception {
        try (JMSContext context = factory("consumerWindow=0").createContext()) {
            Queue q = context.createQueue("q");
            context.createProducer().send(q, "text").send(q, "next");
            JMSConsumer consumer = context.createConsumer(q);
            assertThrows(MessageFormatRuntimeException.class, () -> consumer.receiveBody(Map.class, WAIT_MS));
            assertEquals("text", consumer.receiveBody(String.class, WAIT_MS));
            assertEquals("next", consumer.receiveBody(String.class, WAIT_MS));
            assertNull(consumer.receiveNoWait());
        }
    }

    @Test
    void inClientAcknowledgeAMismatchedBodyCountsAsDeliveredUntilRecover() throws Exception {
        try (JMSContext context = factory().createContext(JMSContext.CLIENT_ACKNOWLEDGE)) {
            Queue q = context.createQueue("q");
            context.createProducer().send(q, "text").send(q, "next");
            JMSConsumer consumer = context.createConsumer(q);
            assertThrows(MessageFormatRuntimeException.class, () -> consumer.receiveBody(byte[].class, WAIT_MS));
            assertEquals("next", consumer.receiveBody(String.class, WAIT_MS));
            context.recover();
            Message redelivered = consumer.receive(WAIT_MS);
            assertEquals("text", redelivered.getBody(String.class));
            assertTrue(redelivered.getJMSRedelivered());
            assertEquals(2, redelivered.getIntProperty("JMSXDeliveryCount"));
        }
    }

    @Test
    void inATransactionAMismatchedBodyIsPartOfTheTransaction() throws Exception {
        try (JMSContext context = factory().createContext(JMSContext.SESSION_TRANSACTED)) {
            Queue q = context.createQueue("q");
            context.createProducer().send(q, "text");
            context.commit();
            JMSConsumer consumer = context.createConsumer(q);
            assertThrows(MessageFormatRuntimeException.class, () -> consumer.receiveBody(byte[].class, WAIT_MS));
            assertNull(consumer.receiveNoWait());
            context.rollback();
            Message redelivered = consumer.receive(WAIT_MS);
            assertTrue(redelivered.getJMSRedelivered());
            context.commit();
        }
    }

    @Test
    void messagesWithoutABodyOrWithAStreamBodyCannotBeReceivedAsBodies() throws Exception {
        try (JMSContext context = factory().createContext()) {
            Queue q = context.createQueue("q");
            StreamMessage stream = context.createStreamMessage();
            stream.writeInt(1);
            context.createProducer()
                    .send(q, context.createMessage())
                    .send(q, stream)
                    .send(q, (String) null);
            JMSConsumer consumer = context.createConsumer(q);
            for (int i = 0; i < 3; i++) {
                assertThrows(MessageFormatRuntimeException.class, () -> consumer.receiveBody(Object.class, WAIT_MS));
                assertTrue(consumer.receive(WAIT_MS) != null, "the message stays to be received normally");
            }
        }
    }

    @Test
    void listenerReceivesMessagesAndExcludesSynchronousReceive() throws Exception {
        try (JMSContext context = factory().createContext()) {
            Queue q = context.createQueue("q");
            JMSConsumer consumer = context.createConsumer(q, "n > 0");
            assertEquals("n > 0", consumer.getMessageSelector());
            BlockingQueue<String> got = new LinkedBlockingQueue<>();
            consumer.setMessageListener(m -> {
                try {
                    got.add(m.getBody(String.class));
                } catch (jakarta.jms.JMSException e) {
                    got.add("error " + e);
                }
            });
            assertTrue(consumer.getMessageListener() != null);
            context.createProducer().setProperty("n", 0).send(q, "skipped");
            context.createProducer().setProperty("n", 1).send(q, "one");
            assertEquals("one", got.poll(WAIT_MS, TimeUnit.MILLISECONDS));
            assertThrows(IllegalStateRuntimeException.class, () -> consumer.receive(1));
            consumer.close();
            assertThrows(IllegalStateRuntimeException.class, consumer::receiveNoWait);
            consumer.close();
        }
    }

    @Test
    void noLocalConsumerSkipsItsOwnConnectionsMessages() {
        try (JMSContext mine = factory().createContext(); JMSContext other = factory().createContext()) {
            jakarta.jms.Topic t = mine.createTopic("chat");
            JMSConsumer consumer = mine.createConsumer(t, null, true);
            mine.createProducer().send(t, "mine");
            other.createProducer().send(t, "theirs");
            assertEquals("theirs", consumer.receiveBody(String.class, WAIT_MS));
            assertNull(consumer.receive(ABSENT_MS));
        }
    }
}
