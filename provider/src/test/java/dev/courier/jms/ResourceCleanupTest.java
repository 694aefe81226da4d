package dev.courier.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.client.VmBrokers;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Try-with-resources leaves nothing running: no Courier thread, no broker connection. */
@AllTransports
class ResourceCleanupTest extends BrokerFixture {

    private static final int MESSAGES = 50;

    @Test
    void closingContextsThatUsedListenersAndAsyncSendsEndTheirThreads() throws Exception {
        List<String> before = courierThreads();
        CountDownLatch received = new CountDownLatch(MESSAGES);
        CountDownLatch completed = new CountDownLatch(MESSAGES);
        try (JMSContext context = factory().createContext();
             JMSContext second = context.createContext(JMSContext.CLIENT_ACKNOWLEDGE)) {
            Queue q = context.createQueue("q");
            JMSConsumer consumer = second.createConsumer(q);
            consumer.setMessageListener(m -> received.countDown());
            for (int i = 0; i < MESSAGES; i++) {
                context.createProducer().setAsync(countingListener(completed)).send(q, "m" + i);
            }
            assertTrue(completed.await(WAIT_MS, TimeUnit.MILLISECONDS));
            assertTrue(received.await(WAIT_MS, TimeUnit.MILLISECONDS));
            assertTrue(courierThreads().size() > before.size(), "listeners and completions ran on Courier threads");
        }
        assertThreadsReturnTo(before);
        assertEquals(0, broker().connectionCount());
    }

    @Test
    void closingAClassicConnectionEndsItsThreads() throws Exception {
        List<String> before = courierThreads();
        CountDownLatch received = new CountDownLatch(MESSAGES);
        CountDownLatch completed = new CountDownLatch(MESSAGES);
        try (Connection c = factory().createConnection()) {
            Session listening = c.createSession();
            Session sending = c.createSession();
            Queue q = sending.createQueue("q");
            listening.createConsumer(q).setMessageListener(m -> received.countDown());
            c.start();
            MessageProducer p = sending.createProducer(q);
            for (int i = 0; i < MESSAGES; i++) {
                p.send(sending.createTextMessage("m" + i), countingListener(completed));
            }
            assertTrue(completed.await(WAIT_MS, TimeUnit.MILLISECONDS));
            assertTrue(received.await(WAIT_MS, TimeUnit.MILLISECONDS));
        }
        assertThreadsReturnTo(before);
    }

    private static CompletionListener countingListener(CountDownLatch latch) {
        return new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                latch.countDown();
            }

            @Override
            public void onException(Message message, Exception exception) {
                throw new AssertionError(exception);
            }
        };
    }

    /** The client side's threads; over TCP the test's own broker server runs threads too. */
    private static List<String> courierThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("courier-") && !name.startsWith("courier-server-"))
                .sorted()
                .toList();
    }

    /**
     * No Courier thread is left but those that ran before the test (some of which may end
     * meanwhile). A thread ends just after its executor terminates, hence the bounded polling.
     */
    private static void assertThreadsReturnTo(List<String> baseline) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        List<String> now = courierThreads();
        while (!baseline.containsAll(now) && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
            now = courierThreads();
        }
        assertTrue(baseline.containsAll(now), "left running: " + now + ", before: " + baseline);
    }
}
