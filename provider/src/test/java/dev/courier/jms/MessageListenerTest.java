package dev.courier.jms;

import static dev.courier.jms.SessionTestSupport.async;
import static dev.courier.jms.SessionTestSupport.await;
import static dev.courier.jms.SessionTestSupport.sendTexts;
import static dev.courier.jms.SessionTestSupport.stillRunningAfter;
import static dev.courier.jms.SessionTestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.Session;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Asynchronous delivery: serial per session, and connection stop/start. */
@AllTransports
class MessageListenerTest extends BrokerFixture {

    /** A listener that records message texts. */
    private static MessageListener recordingInto(BlockingQueue<String> seen) {
        return m -> {
            try {
                seen.add(text(m));
            } catch (JMSException e) {
                throw new AssertionError(e);
            }
        };
    }

    /**
     * Sessions share a few listener threads, but a listener that blocks must not hold up the
     * others: here every listener waits until all of them are running at once, which needs more
     * threads than cores; the connection adds them when its threads stop making progress.
     */
    @Test
    void listenersThatWaitForEachOtherAllRunAtOnce() throws Exception {
        int sessions = Runtime.getRuntime().availableProcessors() + 3;
        CountDownLatch allRunning = new CountDownLatch(sessions);
        CountDownLatch released = new CountDownLatch(sessions);
        try (Connection c = factory().createConnection(); Connection senders = factory().createConnection()) {
            for (int i = 0; i < sessions; i++) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                s.createConsumer(s.createQueue("rendezvous-" + i)).setMessageListener(m -> {
                    allRunning.countDown();
                    try {
                        if (allRunning.await(WAIT_MS, TimeUnit.MILLISECONDS)) {
                            released.countDown();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            c.start();
            for (int i = 0; i < sessions; i++) {
                sendTexts(senders, "rendezvous-" + i, "m", 1);
            }
            assertTrue(released.await(WAIT_MS, TimeUnit.MILLISECONDS),
                    (sessions - allRunning.getCount()) + " of " + sessions + " listeners ran concurrently");
        }
    }

    /**
     * Spec 6.2.7 / 8.7: a session delivers to its listeners serially -- "the session uses a single
     * thread to run all its message listeners"; no two onMessage calls of one session overlap.
     */
    @Test
    void listenersOfOneSessionNeverRunConcurrently() throws Exception {
        int perQueue = 300;
        AtomicInteger active = new AtomicInteger();
        AtomicInteger maxActive = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(2 * perQueue);
        MessageListener listener = m -> {
            int now = active.incrementAndGet();
            maxActive.accumulateAndGet(now, Math::max);
            for (int i = 0; i < 200; i++) {
                Thread.onSpinWait(); // widen the window in which an overlap would show
            }
            active.decrementAndGet();
            all.countDown();
        };
        try (Connection c = factory().createConnection(); Connection senders = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createConsumer(s.createQueue("qa")).setMessageListener(listener);
            s.createConsumer(s.createQueue("qb")).setMessageListener(listener);
            c.start();
            Future<Void> a = async("send-a", () -> {
                sendTexts(senders, "qa", "a", perQueue);
                return null;
            });
            Future<Void> b = async("send-b", () -> {
                sendTexts(senders, "qb", "b", perQueue);
                return null;
            });
            await(a, WAIT_MS, "sending to qa");
            await(b, WAIT_MS, "sending to qb");
            assertTrue(all.await(WAIT_MS, TimeUnit.MILLISECONDS), "only " + (2 * perQueue - all.getCount()) + " delivered");
        }
        assertEquals(1, maxActive.get(), "onMessage calls of one session overlapped");
    }

    @Test
    void listenerReceivesMessagesInSendOrder() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createConsumer(s.createQueue("q")).setMessageListener(recordingInto(seen));
            c.start();
            sendTexts(c, "q", "m", 50);
            for (int i = 1; i <= 50; i++) {
                assertEquals("m" + i, seen.poll(WAIT_MS, TimeUnit.MILLISECONDS));
            }
        }
    }

    @Test
    void listenerSetBeforeStartGetsNothingUntilStart() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "q", "m", 1);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createConsumer(s.createQueue("q")).setMessageListener(recordingInto(seen));
            assertNull(seen.poll(ABSENT_MS, TimeUnit.MILLISECONDS), "delivered before start()");
            c.start();
            assertEquals("m1", seen.poll(WAIT_MS, TimeUnit.MILLISECONDS));
        }
    }

    /** Connection.stop(): "must not return until delivery of messages has paused" -- a running listener returned. */
    @Test
    void stopWaitsForRunningListenerToReturn() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "q", "m", 1);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createConsumer(s.createQueue("q")).setMessageListener(m -> {
                entered.countDown();
                try {
                    release.await(WAIT_MS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            c.start();
            assertTrue(entered.await(WAIT_MS, TimeUnit.MILLISECONDS));
            Future<Void> stop = async("stop", () -> {
                c.stop();
                return null;
            });
            assertTrue(stillRunningAfter(stop, ABSENT_MS), "stop() returned while a listener was still running");
            release.countDown();
            await(stop, WAIT_MS, "stop()");
        } finally {
            release.countDown();
        }
    }

    @Test
    void stopPausesListenerDeliveryAndStartResumesIt() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createConsumer(s.createQueue("q")).setMessageListener(recordingInto(seen));
            c.start();
            sendTexts(c, "q", "m", 1);
            assertEquals("m1", seen.poll(WAIT_MS, TimeUnit.MILLISECONDS));
            c.stop();
            sendTexts(c, "q", "m", 3); // sending works on a stopped connection
            assertNull(seen.poll(ABSENT_MS, TimeUnit.MILLISECONDS), "delivered while stopped");
            c.start();
            assertEquals("m1", seen.poll(WAIT_MS, TimeUnit.MILLISECONDS));
            assertEquals("m2", seen.poll(WAIT_MS, TimeUnit.MILLISECONDS));
            assertEquals("m3", seen.poll(WAIT_MS, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void stopAndStartAreIdempotent() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createConsumer(s.createQueue("q")).setMessageListener(recordingInto(seen));
            c.stop();
            c.start();
            c.start();
            c.stop();
            c.stop();
            sendTexts(c, "q", "m", 1);
            assertNull(seen.poll(ABSENT_MS, TimeUnit.MILLISECONDS));
            c.start();
            assertEquals("m1", seen.poll(WAIT_MS, TimeUnit.MILLISECONDS));
        }
    }

    /** Connection.stop(): "receive timers for a stopped connection continue to advance". */
    @Test
    void receiveOnStoppedConnectionTimesOutThenGetsMessageAfterStart() throws Exception {
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "q", "m", 1);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            long t0 = System.nanoTime();
            assertNull(consumer.receive(ABSENT_MS), "received on a connection that was never started");
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(waited >= ABSENT_MS - 20, "receive(timeout) returned after only " + waited + " ms");
            assertNull(consumer.receiveNoWait());
            c.start();
            assertEquals("m1", text(consumer.receive(WAIT_MS)));
        }
    }

    @Test
    void receiveBlockedOnStoppedConnectionReturnsMessageWhenStarted() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            c.stop();
            sendTexts(c, "q", "m", 1);
            Future<Message> receive = async("receive", () -> consumer.receive(WAIT_MS));
            assertTrue(stillRunningAfter(receive, ABSENT_MS), "receive returned on a stopped connection");
            c.start();
            assertEquals("m1", text(await(receive, WAIT_MS, "receive after start()")));
        }
    }

    @Test
    void receiveOnConsumerWithListenerThrowsIllegalState() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            consumer.setMessageListener(m -> { });
            assertThrows(IllegalStateException.class, consumer::receive);
            assertThrows(IllegalStateException.class, () -> consumer.receive(1));
            assertThrows(IllegalStateException.class, consumer::receiveNoWait);
        }
    }

    @Test
    void removingTheListenerAllowsReceiveAgain() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            consumer.setMessageListener(m -> { });
            consumer.setMessageListener(null);
            sendTexts(c, "q", "m", 1);
            c.start();
            assertEquals("m1", text(consumer.receive(WAIT_MS)));
        }
    }

    /**
     * Connection.stop() from a listener on its own connection: it "will either fail and throw a
     * jakarta.jms.IllegalStateException, or it will succeed and stop the connection, blocking until
     * all other message listeners that may have been running have returned". Never a deadlock.
     */
    @Test
    void stopFromInsideListenerDoesNotDeadlock() throws Exception {
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        CountDownLatch returned = new CountDownLatch(1);
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "q", "m", 1);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createConsumer(s.createQueue("q")).setMessageListener(m -> {
                try {
                    c.stop();
                } catch (Throwable t) {
                    outcome.set(t);
                }
                returned.countDown();
            });
            c.start();
            assertTrue(returned.await(WAIT_MS, TimeUnit.MILLISECONDS), "stop() inside onMessage did not return");
            Throwable t = outcome.get();
            assertTrue(t == null || t instanceof IllegalStateException, "unexpected " + t);
        }
    }

    /** recover() may be called from a CLIENT_ACKNOWLEDGE listener: delivery restarts with the oldest unacknowledged. */
    @Test
    void recoverFromInsideListenerRedeliversUnacknowledgedMessages() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "q", "m", 2);
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            s.createConsumer(s.createQueue("q")).setMessageListener(m -> {
                try {
                    seen.add(text(m) + (m.getJMSRedelivered() ? "*" : ""));
                    if (text(m).equals("m2") && !m.getJMSRedelivered()) {
                        s.recover();
                    } else if (text(m).equals("m2")) {
                        m.acknowledge();
                    }
                } catch (JMSException e) {
                    seen.add("failed: " + e);
                }
            });
            c.start();
            List<String> expected = List.of("m1", "m2", "m1*", "m2*");
            for (String e : expected) {
                assertEquals(e, seen.poll(WAIT_MS, TimeUnit.MILLISECONDS));
            }
            assertNull(seen.poll(ABSENT_MS, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void listenerWithConsumerWindowZeroReceivesEveryMessageInOrder() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        try (Connection c = factory("consumerWindow=0").createConnection()) {
            sendTexts(c, "q", "m", 20);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createConsumer(s.createQueue("q")).setMessageListener(recordingInto(seen));
            c.start();
            for (int i = 1; i <= 20; i++) {
                assertEquals("m" + i, seen.poll(WAIT_MS, TimeUnit.MILLISECONDS));
            }
            sendTexts(c, "q", "late", 1);
            assertEquals("late1", seen.poll(WAIT_MS, TimeUnit.MILLISECONDS));
        }
    }

    /** Many stop/start cycles while messages arrive: none is lost or stuck in a consumer's buffer. */
    @Test
    void repeatedStopAndStartNeverStrandsBufferedMessages() throws Exception {
        int rounds = 100;
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        try (Connection c = factory().createConnection(); Connection sender = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createConsumer(s.createQueue("q")).setMessageListener(recordingInto(seen));
            Session ss = sender.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var producer = ss.createProducer(ss.createQueue("q"));
            c.start();
            for (int i = 1; i <= rounds; i++) {
                producer.send(ss.createTextMessage("m" + i));
                if (i % 2 == 0) {
                    c.stop();
                } else {
                    c.start();
                }
            }
            c.start();
            for (int i = 1; i <= rounds; i++) {
                String got = seen.poll(WAIT_MS, TimeUnit.MILLISECONDS);
                assertEquals("m" + i, got, "after stop/start cycles");
            }
        }
    }

    @Test
    void transactedListenerRollbackRedeliversAndCommitSettles() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "q", "m", 2);
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            tx.createConsumer(tx.createQueue("q")).setMessageListener(m -> {
                try {
                    seen.add(text(m) + (m.getJMSRedelivered() ? "*" : ""));
                    if (text(m).equals("m1") && !m.getJMSRedelivered()) {
                        tx.rollback();
                    } else {
                        tx.commit();
                    }
                } catch (JMSException e) {
                    seen.add("failed: " + e);
                }
            });
            c.start();
            for (String expected : List.of("m1", "m1*", "m2")) {
                assertEquals(expected, seen.poll(WAIT_MS, TimeUnit.MILLISECONDS));
            }
            assertNull(seen.poll(ABSENT_MS, TimeUnit.MILLISECONDS));
        }
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            assertNull(consumer.receive(ABSENT_MS), "committed messages came back");
        }
    }

    @Test
    void clientAcknowledgeInsideListenerSettlesTheMessage() throws Exception {
        CountDownLatch done = new CountDownLatch(2);
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "q", "m", 2);
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            s.createConsumer(s.createQueue("q")).setMessageListener(m -> {
                try {
                    m.acknowledge();
                } catch (JMSException e) {
                    throw new AssertionError(e);
                }
                done.countDown();
            });
            c.start();
            assertTrue(done.await(WAIT_MS, TimeUnit.MILLISECONDS));
        }
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            assertNull(consumer.receive(ABSENT_MS), "acknowledged messages came back");
        }
    }

    /**
     * Spec 8.7: in a transacted session, if onMessage throws a RuntimeException "the next message for
     * the listener is delivered"; the failed one stays part of the transaction.
     */
    @Test
    void transactedListenerThrowingMovesOnAndCommitIncludesTheFailedMessage() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "q", "m", 2);
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            tx.createConsumer(tx.createQueue("q")).setMessageListener(m -> {
                String t;
                try {
                    t = text(m);
                    seen.add(t);
                    if (t.equals("m2")) {
                        tx.commit();
                    }
                } catch (JMSException e) {
                    seen.add("failed: " + e);
                    return;
                }
                if (t.equals("m1")) {
                    throw new RuntimeException("fails (expected by the test)");
                }
            });
            c.start();
            assertEquals("m1", seen.poll(WAIT_MS, TimeUnit.MILLISECONDS));
            assertEquals("m2", seen.poll(WAIT_MS, TimeUnit.MILLISECONDS));
            assertNull(seen.poll(ABSENT_MS, TimeUnit.MILLISECONDS));
        }
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            assertNull(consumer.receive(ABSENT_MS), "the commit did not cover the message whose listener threw");
        }
    }

    /**
     * A listener that throws an Error (an AssertionError in a test, a StackOverflowError...) must
     * not stall its session: later messages are still delivered and the failed one is not left
     * unsettled for the life of the connection. (Robustness; the spec only covers RuntimeException.)
     */
    @Test
    void listenerThrowingAnErrorDoesNotStallTheSession() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "q", "m", 2);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createConsumer(s.createQueue("q")).setMessageListener(m -> {
                String t;
                try {
                    t = text(m) + (m.getJMSRedelivered() ? "*" : "");
                } catch (JMSException e) {
                    t = "failed: " + e;
                }
                seen.add(t);
                if (t.equals("m1")) {
                    throw new AssertionError("an Error from onMessage (expected by the test)");
                }
            });
            c.start();
            assertEquals("m1", seen.poll(WAIT_MS, TimeUnit.MILLISECONDS));
            String next = seen.poll(WAIT_MS, TimeUnit.MILLISECONDS);
            assertTrue("m1*".equals(next) || "m2".equals(next), "after an Error in onMessage got " + next);
        }
    }
}
