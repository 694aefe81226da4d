package dev.courier.jms;

import static dev.courier.jms.SessionTestSupport.deliveryCount;
import static dev.courier.jms.SessionTestSupport.sendTexts;
import static dev.courier.jms.SessionTestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Redelivery: the delivery limit, the dead-letter queue, and listeners that throw. */
@AllTransports
class RedeliveryLimitTest extends BrokerFixture {

    private static final String ORIGINAL_DESTINATION = "CourierOriginalDestination";

    private Message receiveFrom(Connection c, String queue, long timeout) throws JMSException {
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
        c.start();
        return consumer.receive(timeout);
    }

    private static void assertDeadLetterOf(Message dead, String body, String originalQueue) throws JMSException {
        assertNotNull(dead, "no message in the dead-letter queue");
        assertEquals(body, text(dead));
        String original = dead.getStringProperty(ORIGINAL_DESTINATION);
        assertNotNull(original, ORIGINAL_DESTINATION + " is missing");
        assertTrue(original.endsWith(originalQueue), ORIGINAL_DESTINATION + " = " + original);
    }

    @Test
    void messageRolledBackMaxDeliveryAttemptsTimesMovesToDeadLetterQueue() throws Exception {
        try (Connection c = factory("maxDeliveryAttempts=3").createConnection()) {
            sendTexts(c, "orders", "m", 1);
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = tx.createConsumer(tx.createQueue("orders"));
            c.start();
            for (int attempt = 1; attempt <= 3; attempt++) {
                Message m = consumer.receive(WAIT_MS);
                assertNotNull(m, "attempt " + attempt + " was not delivered");
                assertEquals(attempt, deliveryCount(m));
                assertEquals(attempt > 1, m.getJMSRedelivered());
                tx.rollback();
            }
            assertNull(consumer.receive(ABSENT_MS), "delivered a 4th time despite maxDeliveryAttempts=3");
            tx.commit();
            assertDeadLetterOf(receiveFrom(c, "DLQ", WAIT_MS), "m1", "orders");
        }
    }

    @Test
    void deadLettersGoToTheConfiguredQueue() throws Exception {
        try (Connection c = factory("maxDeliveryAttempts=2&deadLetterQueue=dead.orders").createConnection()) {
            sendTexts(c, "orders", "m", 1);
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = tx.createConsumer(tx.createQueue("orders"));
            c.start();
            for (int attempt = 1; attempt <= 2; attempt++) {
                assertNotNull(consumer.receive(WAIT_MS));
                tx.rollback();
            }
            assertNull(consumer.receive(ABSENT_MS));
            assertDeadLetterOf(receiveFrom(c, "dead.orders", WAIT_MS), "m1", "orders");
            assertNull(receiveFrom(c, "DLQ", ABSENT_MS), "the default DLQ was used despite deadLetterQueue=");
        }
    }

    @Test
    void recoverCountsTowardsTheDeliveryLimit() throws Exception {
        try (Connection c = factory("maxDeliveryAttempts=2").createConnection()) {
            sendTexts(c, "orders", "m", 1);
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("orders"));
            c.start();
            assertNotNull(consumer.receive(WAIT_MS));
            s.recover();
            assertNotNull(consumer.receive(WAIT_MS));
            s.recover();
            assertNull(consumer.receive(ABSENT_MS));
            assertDeadLetterOf(receiveFrom(c, "DLQ", WAIT_MS), "m1", "orders");
        }
    }

    /** A message the application never saw (only prefetched by a consumer) is not a delivery attempt. */
    @Test
    void prefetchedButUnseenMessagesDoNotCountTowardsTheLimit() throws Exception {
        try (Connection c = factory("maxDeliveryAttempts=2").createConnection()) {
            sendTexts(c, "orders", "m", 1);
            // The connection is not started: consumers may prefetch, but the application sees nothing.
            for (int round = 0; round < 3; round++) {
                Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
                MessageConsumer consumer = s.createConsumer(s.createQueue("orders"));
                assertNull(consumer.receiveNoWait());
                s.close();
            }
            Message m = receiveFrom(c, "orders", WAIT_MS);
            assertNotNull(m, "the message was lost (dead-lettered?) without ever being seen");
            assertEquals("m1", text(m));
            assertFalse(m.getJMSRedelivered());
            assertEquals(1, deliveryCount(m));
            assertNull(receiveFrom(c, "DLQ", ABSENT_MS), "an unseen message was dead-lettered");
        }
    }

    // ---- listeners that throw

    private static String describe(Message m) throws JMSException {
        return text(m) + ":" + m.getJMSRedelivered() + ":" + deliveryCount(m);
    }

    private static List<String> take(BlockingQueue<String> seen, int n, long waitMs) throws InterruptedException {
        List<String> result = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String s = seen.poll(waitMs, TimeUnit.MILLISECONDS);
            if (s == null) {
                break;
            }
            result.add(s);
        }
        return result;
    }

    /**
     * Spec 8.7: with AUTO_ACKNOWLEDGE or DUPS_OK_ACKNOWLEDGE, if onMessage throws a
     * RuntimeException "the message will be immediately redelivered" with JMSRedelivered set.
     */
    private void listenerThrowingRedeliversImmediately(int mode, String options) throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        try (Connection c = factory(options).createConnection()) {
            sendTexts(c, "q", "m", 3);
            Session s = c.createSession(false, mode);
            s.createConsumer(s.createQueue("q")).setMessageListener(m -> {
                try {
                    seen.add(describe(m));
                    if (text(m).equals("m1") && !m.getJMSRedelivered()) {
                        throw new RuntimeException("first attempt fails (expected by the test)");
                    }
                } catch (JMSException e) {
                    throw new AssertionError(e);
                }
            });
            c.start();
            assertEquals(List.of("m1:false:1", "m1:true:2", "m2:false:1", "m3:false:1"), take(seen, 4, WAIT_MS));
        }
    }

    @Test
    void listenerThrowingInAutoModeGetsMessageRedeliveredImmediately() throws Exception {
        listenerThrowingRedeliversImmediately(Session.AUTO_ACKNOWLEDGE, null);
    }

    @Test
    void listenerThrowingInDupsOkModeGetsMessageRedeliveredImmediately() throws Exception {
        listenerThrowingRedeliversImmediately(Session.DUPS_OK_ACKNOWLEDGE, null);
    }

    @Test
    void listenerThrowingWithBacklogBeyondWindowGetsMessageRedeliveredImmediately() throws Exception {
        listenerThrowingRedeliversImmediately(Session.AUTO_ACKNOWLEDGE, "consumerWindow=1");
    }

    @Test
    void listenerThrowingWithConsumerWindowZeroGetsMessageRedeliveredImmediately() throws Exception {
        listenerThrowingRedeliversImmediately(Session.AUTO_ACKNOWLEDGE, "consumerWindow=0");
    }

    @Test
    void listenerAlwaysThrowingSendsMessageToDeadLetterQueue() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        try (Connection c = factory("maxDeliveryAttempts=3").createConnection()) {
            sendTexts(c, "orders", "m", 1);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createConsumer(s.createQueue("orders")).setMessageListener(m -> {
                try {
                    seen.add(describe(m));
                } catch (JMSException e) {
                    throw new AssertionError(e);
                }
                throw new RuntimeException("always fails (expected by the test)");
            });
            c.start();
            assertEquals(List.of("m1:false:1", "m1:true:2", "m1:true:3"), take(seen, 3, WAIT_MS));
            assertNull(seen.poll(ABSENT_MS, TimeUnit.MILLISECONDS), "delivered beyond the limit");
            Connection other = factory().createConnection();
            try {
                assertDeadLetterOf(receiveFrom(other, "DLQ", WAIT_MS), "m1", "orders");
            } finally {
                other.close();
            }
        }
    }

    /**
     * Spec 8.7: with CLIENT_ACKNOWLEDGE "the next message for the listener is delivered"; the
     * failed one comes back only on recover.
     */
    @Test
    void listenerThrowingInClientModeMovesOnToNextMessage() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "q", "m", 2);
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            s.createConsumer(s.createQueue("q")).setMessageListener(m -> {
                try {
                    seen.add(describe(m));
                    if (text(m).equals("m1")) {
                        throw new RuntimeException("fails (expected by the test)");
                    }
                } catch (JMSException e) {
                    throw new AssertionError(e);
                }
            });
            c.start();
            assertEquals(List.of("m1:false:1", "m2:false:1"), take(seen, 2, WAIT_MS));
            assertNull(seen.poll(ABSENT_MS, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void deadLetterIsNotRedeliveredAndKeepsItsBody() throws Exception {
        try (Connection c = factory("maxDeliveryAttempts=1").createConnection()) {
            sendTexts(c, "orders", "m", 1);
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = tx.createConsumer(tx.createQueue("orders"));
            c.start();
            assertNotNull(consumer.receive(WAIT_MS));
            tx.rollback();
            assertNull(consumer.receive(ABSENT_MS));
            Message dead = receiveFrom(c, "DLQ", WAIT_MS);
            assertDeadLetterOf(dead, "m1", "orders");
            assertFalse(dead.getJMSRedelivered());
        }
    }
}
