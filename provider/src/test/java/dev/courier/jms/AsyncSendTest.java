package dev.courier.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** JMS 2.0 asynchronous send on MessageProducer and JMSProducer. */
@AllTransports
class AsyncSendTest extends BrokerFixture {

    private static final int SENDS = 10_000;

    /** Records, per producer, the "n" property of each completed message and the threads used. */
    private static final class Recorder implements CompletionListener {
        final List<Integer> completed = Collections.synchronizedList(new ArrayList<>());
        final Map<Thread, Boolean> threads = new ConcurrentHashMap<>();
        final AtomicInteger failures = new AtomicInteger();
        final CountDownLatch done;

        Recorder(int expected) {
            done = new CountDownLatch(expected);
        }

        @Override
        public void onCompletion(Message message) {
            threads.put(Thread.currentThread(), true);
            try {
                completed.add(message.getIntProperty("n"));
            } catch (JMSException e) {
                failures.incrementAndGet();
            }
            done.countDown();
        }

        @Override
        public void onException(Message message, Exception exception) {
            failures.incrementAndGet();
            done.countDown();
        }

        void assertCompletedInOrder(int count) throws InterruptedException {
            assertTrue(done.await(WAIT_MS, TimeUnit.MILLISECONDS), "completions: " + completed.size());
            assertEquals(0, failures.get());
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                expected.add(i);
            }
            assertEquals(expected, completed, "each message completes once, in send order");
            assertTrue(!threads.containsKey(Thread.currentThread()), "never on the sending thread");
        }
    }

    @Test
    void tenThousandClassicAsyncSendsCompleteExactlyOnceInOrderPerProducer() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            Queue qa = s.createQueue("a");
            Queue qb = s.createQueue("b");
            MessageProducer pa = s.createProducer(qa);
            MessageProducer pb = s.createProducer(qb);
            Recorder ra = new Recorder(SENDS / 2);
            Recorder rb = new Recorder(SENDS / 2);
            for (int i = 0; i < SENDS / 2; i++) {
                TextMessage ma = s.createTextMessage("a" + i);
                ma.setIntProperty("n", i);
                pa.send(ma, ra);
                TextMessage mb = s.createTextMessage("b" + i);
                mb.setIntProperty("n", i);
                pb.send(mb, rb);
            }
            ra.assertCompletedInOrder(SENDS / 2);
            rb.assertCompletedInOrder(SENDS / 2);
            assertEquals(SENDS / 2, waitingIn("a"));
            assertEquals(SENDS / 2, waitingIn("b"));
            pa.close();
            pb.close();
            assertEquals(SENDS, ra.completed.size() + rb.completed.size(), "no late duplicate completions");
        }
    }

    @Test
    void tenThousandJmsProducerAsyncSendsCompleteExactlyOnceInOrder() throws Exception {
        try (JMSContext context = factory().createContext()) {
            Queue q = context.createQueue("q");
            Recorder recorder = new Recorder(SENDS);
            JMSProducer producer = context.createProducer().setAsync(recorder);
            assertSame(recorder, producer.getAsync());
            for (int i = 0; i < SENDS; i++) {
                producer.setProperty("n", i).send(q, "m" + i);
            }
            recorder.assertCompletedInOrder(SENDS);
            JMSConsumer consumer = context.createConsumer(q);
            for (int i = 0; i < SENDS; i++) {
                assertEquals(i, consumer.receive(WAIT_MS).getIntProperty("n"));
            }
            assertNull(consumer.receiveNoWait());
        }
    }

    @Test
    void aFailedSendReachesOnException() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            TemporaryQueue gone = s.createTemporaryQueue();
            gone.delete();
            AtomicReference<Exception> failure = new AtomicReference<>();
            AtomicInteger completions = new AtomicInteger();
            CountDownLatch called = new CountDownLatch(1);
            Message message = s.createTextMessage("lost");
            s.createProducer(gone).send(message, new CompletionListener() {
                @Override
                public void onCompletion(Message m) {
                    completions.incrementAndGet();
                    called.countDown();
                }

                @Override
                public void onException(Message m, Exception e) {
                    assertSame(message, m);
                    failure.set(e);
                    called.countDown();
                }
            });
            assertTrue(called.await(WAIT_MS, TimeUnit.MILLISECONDS));
            assertInstanceOf(InvalidDestinationException.class, failure.get());
            assertEquals(0, completions.get());
        }
    }

    @Test
    void aSynchronousSendAfterAsynchronousOnesKeepsTheSendOrder() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            Queue q = s.createQueue("q");
            MessageProducer p = s.createProducer(q);
            Recorder recorder = new Recorder(1000);
            for (int i = 0; i < 1000; i++) {
                Message m = s.createMessage();
                m.setIntProperty("n", i);
                p.send(m, recorder);
            }
            Message last = s.createMessage();
            last.setIntProperty("n", 1000);
            p.send(last);
            MessageConsumer consumer = s.createConsumer(q);
            c.start();
            for (int i = 0; i <= 1000; i++) {
                assertEquals(i, consumer.receive(WAIT_MS).getIntProperty("n"));
            }
        }
    }

    @Test
    void closeOfTheProducerSessionOrConnectionWaitsForOutstandingCompletions() throws Exception {
        for (int target = 0; target < 3; target++) {
            Connection c = factory().createConnection();
            Session s = c.createSession();
            MessageProducer p = s.createProducer(s.createQueue("q"));
            GatedListener listener = new GatedListener();
            for (int i = 0; i < 1000; i++) {
                p.send(s.createMessage(), listener);
            }
            AutoCloseable closed = target == 0 ? p : target == 1 ? s : c;
            listener.assertCloseWaits(closed, 1000);
            c.close();
        }
    }

    @Test
    void whileTheSessionClosesOnlyTheListenerItWaitsForMaySendAsynchronously() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            Queue in = s.createQueue("async-close-in");
            Queue out = s.createQueue("async-close-out");
            MessageProducer producer = s.createProducer(out);
            TextMessage fromListener = s.createTextMessage("sent by the listener");
            fromListener.setIntProperty("n", 0);
            TextMessage fromOutside = s.createTextMessage("sent by another thread");
            Recorder listenerSend = new Recorder(1);
            CountDownLatch inListener = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicReference<Exception> listenerFailure = new AtomicReference<>();
            s.createConsumer(in).setMessageListener(m -> {
                inListener.countDown();
                try {
                    if (!release.await(WAIT_MS, TimeUnit.MILLISECONDS)) {
                        throw new IllegalStateException("never released");
                    }
                    producer.send(fromListener, listenerSend);
                } catch (Exception e) {
                    listenerFailure.set(e);
                }
            });
            c.start();
            try (Connection other = factory().createConnection()) {
                Session os = other.createSession();
                os.createProducer(in).send(os.createMessage());
            }
            assertTrue(inListener.await(WAIT_MS, TimeUnit.MILLISECONDS));
            CourierSession session = (CourierSession) s;
            AtomicReference<Exception> closeFailure = new AtomicReference<>();
            Thread closer = new Thread(() -> {
                try {
                    s.close();
                } catch (Exception e) {
                    closeFailure.set(e);
                }
            });
            closer.start();
            try {
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
                while (!session.isClosing() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertTrue(session.isClosing(), "close began");
                assertThrows(IllegalStateException.class, () -> producer.send(fromOutside, new Recorder(1)));
            } finally {
                release.countDown();
            }
            closer.join(WAIT_MS);
            assertTrue(!closer.isAlive(), "close finished");
            assertNull(closeFailure.get());
            assertNull(listenerFailure.get());
            listenerSend.assertCompletedInOrder(1);
            TextMessage got = (TextMessage) c.createSession().createConsumer(out).receive(WAIT_MS);
            assertEquals("sent by the listener", got.getText());
        }
    }

    @Test
    void closeOfAContextWaitsForOutstandingCompletions() throws Exception {
        try (JMSContext context = factory().createContext()) {
            JMSContext other = context.createContext(JMSContext.AUTO_ACKNOWLEDGE);
            GatedListener listener = new GatedListener();
            JMSProducer producer = other.createProducer().setAsync(listener);
            Queue q = other.createQueue("q");
            for (int i = 0; i < 1000; i++) {
                producer.send(q, "m");
            }
            listener.assertCloseWaits(other, 1000);
        }
    }

    /** Holds its first callback until the test opens the gate, so a close has something to wait for. */
    private static final class GatedListener implements CompletionListener {
        final CountDownLatch gate = new CountDownLatch(1);
        final AtomicInteger completed = new AtomicInteger();

        @Override
        public void onCompletion(Message message) {
            try {
                gate.await(WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            completed.incrementAndGet();
        }

        @Override
        public void onException(Message message, Exception exception) {
            completed.incrementAndGet();
        }

        void assertCloseWaits(AutoCloseable closeable, int sends) throws Exception {
            AtomicReference<Exception> failure = new AtomicReference<>();
            AtomicInteger completedAtClose = new AtomicInteger(-1);
            Thread closer = new Thread(() -> {
                try {
                    closeable.close();
                    completedAtClose.set(completed.get());
                } catch (Exception e) {
                    failure.set(e);
                }
            });
            closer.start();
            closer.join(ABSENT_MS);
            assertTrue(closer.isAlive(), "close must wait for the held callback");
            gate.countDown();
            closer.join(WAIT_MS);
            assertNull(failure.get());
            assertEquals(sends, completedAtClose.get(), "close returned before every callback had");
        }
    }

    @Test
    void callbacksMustNotCloseCommitOrRollBackTheirOwnSessionConnectionOrProducer() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(Session.SESSION_TRANSACTED);
            MessageProducer p = s.createProducer(s.createQueue("q"));
            List<Exception> refusals = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch done = new CountDownLatch(1);
            p.send(s.createMessage(), new CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                    attempt(refusals, p::close);
                    attempt(refusals, s::commit);
                    attempt(refusals, s::rollback);
                    attempt(refusals, s::close);
                    attempt(refusals, c::close);
                    done.countDown();
                }

                @Override
                public void onException(Message message, Exception exception) {
                    done.countDown();
                }
            });
            assertTrue(done.await(WAIT_MS, TimeUnit.MILLISECONDS));
            assertEquals(5, refusals.size(), "refusals: " + refusals);
            refusals.forEach(e -> assertInstanceOf(IllegalStateException.class, e));
            s.commit();
            MessageConsumer consumer = c.createSession().createConsumer(s.createQueue("q"));
            c.start();
            assertNotNull(consumer.receive(WAIT_MS), "the session still works after the refusals");
        }
    }

    @Test
    void callbacksMustNotCloseCommitOrRollBackTheirOwnContext() throws Exception {
        try (JMSContext context = factory().createContext(JMSContext.SESSION_TRANSACTED)) {
            List<RuntimeException> refusals = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch done = new CountDownLatch(1);
            context.createProducer().setAsync(new CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                    for (Runnable call : List.<Runnable>of(context::close, context::commit, context::rollback)) {
                        try {
                            call.run();
                        } catch (RuntimeException e) {
                            refusals.add(e);
                        }
                    }
                    done.countDown();
                }

                @Override
                public void onException(Message message, Exception exception) {
                    done.countDown();
                }
            }).send(context.createQueue("q"), "x");
            assertTrue(done.await(WAIT_MS, TimeUnit.MILLISECONDS));
            assertEquals(3, refusals.size());
            refusals.forEach(e -> assertInstanceOf(IllegalStateRuntimeException.class, e));
            context.commit();
        }
    }

    @Test
    void commitWaitsForAsynchronousSendsOfTheTransaction() throws Exception {
        try (JMSContext context = factory().createContext(JMSContext.SESSION_TRANSACTED);
             JMSContext reader = factory().createContext()) {
            Queue q = context.createQueue("q");
            Recorder recorder = new Recorder(500);
            JMSProducer producer = context.createProducer().setAsync(recorder);
            for (int i = 0; i < 500; i++) {
                producer.setProperty("n", i).send(q, "m");
            }
            context.commit();
            assertEquals(0, recorder.done.getCount(), "commit returned before every callback");
            JMSConsumer consumer = reader.createConsumer(q);
            for (int i = 0; i < 500; i++) {
                assertEquals(i, consumer.receive(WAIT_MS).getIntProperty("n"));
            }
        }
    }

    private interface JmsCall {
        void run() throws JMSException;
    }

    private static void attempt(List<Exception> refusals, JmsCall call) {
        try {
            call.run();
        } catch (JMSException | RuntimeException e) {
            refusals.add(e);
        }
    }

    private int waitingIn(String queue) {
        return broker().queueStats(queue).depth();
    }
}
