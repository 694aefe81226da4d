package dev.courier.jms;

import static dev.courier.jms.SessionTestSupport.deliveryCount;
import static dev.courier.jms.SessionTestSupport.eventually;
import static dev.courier.jms.SessionTestSupport.receive;
import static dev.courier.jms.SessionTestSupport.sendTexts;
import static dev.courier.jms.SessionTestSupport.text;
import static dev.courier.jms.SessionTestSupport.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.broker.QueueStats;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Acknowledgement modes of the classic API: AUTO, DUPS_OK, CLIENT, and recover(). */
@AllTransports
class AcknowledgeModeTest extends BrokerFixture {

    /** Nothing is left on {@code queue}: a fresh consumer on a fresh connection gets nothing. */
    private void assertQueueEmpty(String queue) throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            c.start();
            Message m = consumer.receive(ABSENT_MS);
            assertNull(m, () -> "expected queue " + queue + " to be empty but got " + describe(m));
        }
    }

    private static String describe(Message m) {
        try {
            return text(m) + " (redelivered=" + m.getJMSRedelivered() + ")";
        } catch (Exception e) {
            return String.valueOf(m);
        }
    }

    // ---- AUTO_ACKNOWLEDGE

    @Test
    void autoAcknowledgeRemovesMessageWhenReceiveReturns() throws Exception {
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "q", "m", 1);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            assertEquals("m1", text(consumer.receive(WAIT_MS)));
            // Closing the session must not bring it back: it was acknowledged as receive returned.
            s.close();
        }
        assertQueueEmpty("q");
    }

    @Test
    void autoAcknowledgeRecoverDoesNotRedeliverReceivedMessage() throws Exception {
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "q", "m", 2);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            assertEquals("m1", text(consumer.receive(WAIT_MS)));
            s.recover();
            Message next = consumer.receive(WAIT_MS);
            assertEquals("m2", text(next));
            assertFalse(next.getJMSRedelivered());
        }
    }

    @Test
    void autoAcknowledgeRemovesMessageWhenListenerReturns() throws Exception {
        CountDownLatch seen = new CountDownLatch(1);
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "q", "m", 1);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createConsumer(s.createQueue("q")).setMessageListener(m -> seen.countDown());
            c.start();
            assertTrue(seen.await(WAIT_MS, TimeUnit.MILLISECONDS));
            // close() waits for the listener (and its automatic acknowledgement) to finish.
        }
        assertQueueEmpty("q");
    }

    @Test
    void autoAcknowledgeMessageIsNotRedeliveredAndCountsOne() throws Exception {
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "q", "m", 1);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            Message m = consumer.receive(WAIT_MS);
            assertFalse(m.getJMSRedelivered());
            assertEquals(1, deliveryCount(m));
        }
    }

    /**
     * A listener pass acknowledges the messages its listener returned from together, but a
     * listener closing its own consumer sends them first: the broker then holds only the message
     * being processed.
     */
    @Test
    void aListenerClosingItsOwnConsumerLeavesOnlyTheCurrentMessageUnacknowledged() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        AtomicReference<Object> seenAtClose = new AtomicReference<>();
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "q", "m", 10);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            consumer.setMessageListener(m -> {
                try {
                    String text = text(m);
                    if (text.equals("m1")) {
                        // All ten pushed before m1 returns: over vm:// m1 to m5 then come in one pass.
                        if (!eventually(WAIT_MS, () -> broker().queueStats("q").inFlight() == 10)) {
                            throw new IllegalStateException("the broker did not push all ten");
                        }
                    } else if (text.equals("m5")) {
                        consumer.close();
                        QueueStats stats = broker().queueStats("q");
                        seenAtClose.set(List.of(stats.dequeued(), stats.inFlight()));
                        closed.countDown();
                    }
                } catch (Exception e) {
                    seenAtClose.set(e);
                    closed.countDown();
                }
            });
            c.start();
            assertTrue(closed.await(WAIT_MS, TimeUnit.MILLISECONDS));
            // m1 to m4 settled; m5 is being processed; m6 to m10 went back with the consumer's buffer.
            assertEquals(List.of(4L, 1), seenAtClose.get());
        }
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            List<Message> rest = receive(consumer, 5, WAIT_MS);
            assertEquals(List.of("m6", "m7", "m8", "m9", "m10"), texts(rest));
            for (Message m : rest) {
                assertFalse(m.getJMSRedelivered());
            }
        }
        assertQueueEmpty("q");
    }

    // ---- DUPS_OK_ACKNOWLEDGE

    @Test
    void dupsOkDeliversEveryMessageInOrderAndAcknowledgesLazily() throws Exception {
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "q", "m", 20);
            Session s = c.createSession(false, Session.DUPS_OK_ACKNOWLEDGE);
            assertEquals(Session.DUPS_OK_ACKNOWLEDGE, s.getAcknowledgeMode());
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            List<String> got = texts(receive(consumer, 20, WAIT_MS));
            for (int i = 1; i <= 20; i++) {
                assertEquals("m" + i, got.get(i - 1));
            }
            assertNull(consumer.receive(ABSENT_MS));
        }
        // DUPS_OK may redeliver after a failure, but a clean close must have acknowledged everything
        // consumed: a provider acknowledges lazily, never never.
        assertQueueEmpty("q");
    }

    // ---- CLIENT_ACKNOWLEDGE

    @Test
    void clientAcknowledgeWithoutAcknowledgeRedeliversAfterSessionClose() throws Exception {
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "q", "m", 2);
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            assertEquals(List.of("m1", "m2"), texts(receive(consumer, 2, WAIT_MS)));
            s.close();

            Session s2 = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer again = s2.createConsumer(s2.createQueue("q"));
            List<Message> redelivered = receive(again, 2, WAIT_MS);
            assertEquals(List.of("m1", "m2"), texts(redelivered));
            for (Message m : redelivered) {
                assertTrue(m.getJMSRedelivered(), "JMSRedelivered");
                assertEquals(2, deliveryCount(m), "JMSXDeliveryCount");
            }
            redelivered.get(1).acknowledge();
        }
        assertQueueEmpty("q");
    }

    @Test
    void clientAcknowledgeWithoutAcknowledgeRedeliversAfterConnectionClose() throws Exception {
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "q", "m", 1);
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            assertEquals("m1", text(consumer.receive(WAIT_MS)));
        }
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            Message m = consumer.receive(WAIT_MS);
            assertEquals("m1", text(m));
            assertTrue(m.getJMSRedelivered());
            assertEquals(2, deliveryCount(m));
        }
    }

    /**
     * Message.acknowledge(): "Acknowledges all consumed messages of the session of this consumed
     * message" -- not only this one, not only this consumer's, and not only those before it.
     */
    @Test
    void acknowledgeAcknowledgesEveryMessageConsumedBySessionAcrossConsumers() throws Exception {
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "qa", "a", 3);
            sendTexts(c, "qb", "b", 2);
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer ca = s.createConsumer(s.createQueue("qa"));
            MessageConsumer cb = s.createConsumer(s.createQueue("qb"));
            c.start();
            Message a1 = ca.receive(WAIT_MS);
            assertEquals("a1", text(a1));
            assertEquals("b1", text(cb.receive(WAIT_MS)));
            assertEquals("a2", text(ca.receive(WAIT_MS)));
            a1.acknowledge(); // the earliest message acknowledges a1, b1 and a2
            s.recover();
            // Only what was never consumed is left, and it was never delivered before.
            Message a3 = ca.receive(WAIT_MS);
            assertEquals("a3", text(a3));
            assertFalse(a3.getJMSRedelivered());
            Message b2 = cb.receive(WAIT_MS);
            assertEquals("b2", text(b2));
            assertFalse(b2.getJMSRedelivered());
            assertNull(ca.receiveNoWait());
            assertNull(cb.receiveNoWait());
            b2.acknowledge();
        }
        assertQueueEmpty("qa");
        assertQueueEmpty("qb");
    }

    @Test
    void acknowledgeDoesNotCoverMessagesConsumedAfterIt() throws Exception {
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "q", "m", 3);
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            Message m1 = consumer.receive(WAIT_MS);
            assertEquals("m2", text(consumer.receive(WAIT_MS)));
            m1.acknowledge();
            assertEquals("m3", text(consumer.receive(WAIT_MS)));
            s.recover();
            Message again = consumer.receive(WAIT_MS);
            assertEquals("m3", text(again));
            assertTrue(again.getJMSRedelivered());
            assertNull(consumer.receive(ABSENT_MS));
            again.acknowledge();
        }
        assertQueueEmpty("q");
    }

    @Test
    void acknowledgeOnMessageOfClosedSessionThrowsIllegalState() throws Exception {
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "q", "m", 1);
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            Message m = consumer.receive(WAIT_MS);
            s.close();
            assertThrows(IllegalStateException.class, m::acknowledge);
        }
    }

    // ---- recover()

    /**
     * Session.recover(): "stops message delivery in this session, and restarts message delivery
     * with the oldest unacknowledged message"; redelivered ones are marked JMSRedelivered.
     */
    @Test
    void recoverRedeliversInOriginalOrder() throws Exception {
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "q", "m", 5);
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            assertEquals(List.of("m1", "m2", "m3"), texts(receive(consumer, 3, WAIT_MS)));
            s.recover();
            List<Message> all = receive(consumer, 5, WAIT_MS);
            assertEquals(List.of("m1", "m2", "m3", "m4", "m5"), texts(all));
            for (int i = 0; i < 5; i++) {
                Message m = all.get(i);
                boolean wasSeen = i < 3;
                assertEquals(wasSeen, m.getJMSRedelivered(), "JMSRedelivered of " + text(m));
                assertEquals(wasSeen ? 2 : 1, deliveryCount(m), "JMSXDeliveryCount of " + text(m));
            }
            assertNull(consumer.receive(ABSENT_MS));
            all.get(4).acknowledge();
        }
        assertQueueEmpty("q");
    }

    @Test
    void recoverTwiceCountsEachDelivery() throws Exception {
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "q", "m", 1);
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            for (int attempt = 1; attempt <= 3; attempt++) {
                Message m = consumer.receive(WAIT_MS);
                assertEquals("m1", text(m));
                assertEquals(attempt, deliveryCount(m));
                assertEquals(attempt > 1, m.getJMSRedelivered());
                s.recover();
            }
        }
    }

    @Test
    void recoverWithConsumerWindowZeroRedeliversInOriginalOrder() throws Exception {
        try (Connection c = factory("consumerWindow=0").createConnection()) {
            sendTexts(c, "q", "m", 4);
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            assertEquals(List.of("m1", "m2"), texts(receive(consumer, 2, WAIT_MS)));
            s.recover();
            assertEquals(List.of("m1", "m2", "m3", "m4"), texts(receive(consumer, 4, WAIT_MS)));
        }
    }

    /** The queue holds more than the consumer's window: recover must still restart with the oldest. */
    @Test
    void recoverWithBacklogBeyondWindowRedeliversInOriginalOrder() throws Exception {
        try (Connection c = factory("consumerWindow=2").createConnection()) {
            sendTexts(c, "q", "m", 6);
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            assertEquals(List.of("m1", "m2"), texts(receive(consumer, 2, WAIT_MS)));
            s.recover();
            assertEquals(List.of("m1", "m2", "m3", "m4", "m5", "m6"), texts(receive(consumer, 6, WAIT_MS)));
        }
    }

    @Test
    void recoverOnTransactedSessionThrowsIllegalState() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            assertThrows(IllegalStateException.class, s::recover);
        }
    }

    @Test
    void acknowledgeCoversMessagesOfAConsumerClosedSince() throws Exception {
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "q", "m", 1);
            sendTexts(c, "q2", "n", 1);
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer first = s.createConsumer(s.createQueue("q"));
            c.start();
            assertEquals("m1", text(first.receive(WAIT_MS)));
            first.close();
            MessageConsumer second = s.createConsumer(s.createQueue("q2"));
            second.receive(WAIT_MS).acknowledge();
        }
        assertQueueEmpty("q");
        assertQueueEmpty("q2");
    }
}
