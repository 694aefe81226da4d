package dev.courier.jms;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Small helpers shared by the session behaviour suites. Not a test itself. */
final class SessionTestSupport {

    private SessionTestSupport() {
    }

    /** Sends texts "prefix1" .. "prefixN" to a queue from a fresh non-transacted session of {@code c}. */
    static void sendTexts(Connection c, String queue, String prefix, int n) throws JMSException {
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        try {
            MessageProducer p = s.createProducer(s.createQueue(queue));
            for (int i = 1; i <= n; i++) {
                p.send(s.createTextMessage(prefix + i));
            }
        } finally {
            s.close();
        }
    }

    static String text(Message m) throws JMSException {
        assertNotNull(m, "expected a message, got none");
        return ((TextMessage) m).getText();
    }

    static int deliveryCount(Message m) throws JMSException {
        return m.getIntProperty("JMSXDeliveryCount");
    }

    /** Receives exactly {@code n} messages, failing if one does not arrive within {@code waitMs}. */
    static List<Message> receive(MessageConsumer consumer, int n, long waitMs) throws JMSException {
        List<Message> result = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Message m = consumer.receive(waitMs);
            if (m == null) {
                fail("only " + i + " of " + n + " messages arrived");
            }
            result.add(m);
        }
        return result;
    }

    static List<String> texts(List<Message> messages) throws JMSException {
        List<String> result = new ArrayList<>();
        for (Message m : messages) {
            result.add(text(m));
        }
        return result;
    }

    /** Runs {@code task} on a new daemon thread (not named courier-*) and returns its future. */
    static <T> Future<T> async(String name, Callable<T> task) {
        FutureTask<T> future = new FutureTask<>(task);
        Thread t = new Thread(future, "test-" + name);
        t.setDaemon(true);
        t.start();
        return future;
    }

    /** True if the future is still not done after {@code ms} milliseconds. */
    static boolean stillRunningAfter(Future<?> future, long ms) throws InterruptedException {
        try {
            future.get(ms, TimeUnit.MILLISECONDS);
            return false;
        } catch (TimeoutException e) {
            return true;
        } catch (ExecutionException e) {
            return false;
        }
    }

    /** The result of a future, failing the test if it does not complete within {@code ms}. */
    static <T> T await(Future<T> future, long ms, String what) throws Exception {
        try {
            return future.get(ms, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return fail(what + " did not complete within " + ms + " ms (deadlock or missed wake-up?)");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Polls {@code condition} until it holds or {@code ms} pass; returns its last value. */
    static boolean eventually(long ms, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
    }

    /** Live threads whose name starts with "courier-", other than a standalone test broker's. */
    static long courierThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("courier-"))
                // Threads of the test's standalone broker (tcp transport) are not the connection's.
                .filter(t -> !t.getName().startsWith("courier-server-"))
                .count();
    }
}
