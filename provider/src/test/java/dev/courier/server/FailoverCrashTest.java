package dev.courier.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.client.TransactionOutcomeUnknownException;
import dev.courier.jms.CourierConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.TransactionRolledBackException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of the standalone broker under producers and a consumer connected with
 * {@code failover:}: they carry on against the broker restarted on the same data and port, every
 * persistent message whose send returned and every committed batch is consumed, and no
 * transaction is half-applied. A send whose answer the crash lost is sent again (the design's
 * at-least-once), so at most one plain message per producer may arrive twice.
 */
class FailoverCrashTest {

    private static final long WAIT_S = 60;
    private static final int BATCH = 5;

    @TempDir
    Path dir;

    /** What the clients did, collected from their threads. */
    private final Collection<String> confirmed = new ConcurrentLinkedQueue<>();
    private final Collection<Integer> committedBatches = new ConcurrentLinkedQueue<>();
    private final Collection<Integer> rolledBackBatches = new ConcurrentLinkedQueue<>();
    private final Collection<Integer> inDoubtBatches = new ConcurrentLinkedQueue<>();
    private final Collection<String> consumed = new ConcurrentLinkedQueue<>();
    private final Collection<String> maybeConsumed = new ConcurrentLinkedQueue<>();
    private final Collection<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final Semaphore sent = new Semaphore(0);
    private final Semaphore committed = new Semaphore(0);
    private final Semaphore received = new Semaphore(0);
    private volatile boolean stopProducing;
    private volatile boolean stopConsuming;

    @Test
    void everyConfirmedMessageIsConsumedAndNoTransactionIsHalfApplied() throws Exception {
        List<String> leftovers = new ArrayList<>();
        int port;
        BrokerProcess restarted = null;
        try (BrokerProcess broker = new BrokerProcess(dir)) {
            port = broker.port();
            String url = "failover:(tcp://127.0.0.1:" + port + ")?initialReconnectDelay=50&maxReconnectDelay=500"
                    + "&maxReconnectAttempts=200";
            Connection producerConnection = new CourierConnectionFactory(url).createConnection();
            Connection txConnection = new CourierConnectionFactory(url).createConnection();
            Connection consumerConnection = new CourierConnectionFactory(url).createConnection();
            List<JMSException> told = new ArrayList<>();
            for (Connection c : List.of(producerConnection, txConnection, consumerConnection)) {
                c.setExceptionListener(e -> {
                    synchronized (told) {
                        told.add(e);
                    }
                });
            }
            Thread producer = start("plain-producer", () -> produce(producerConnection));
            Thread txProducer = start("tx-producer", () -> produceBatches(txConnection));
            Thread consumer = start("tx-consumer", () -> consume(consumerConnection));

            awaitProgress("before the crash");
            broker.kill();
            restarted = new BrokerProcess(dir, port);
            awaitProgress("after the restart");

            stopProducing = true;
            producer.join(TimeUnit.SECONDS.toMillis(WAIT_S));
            txProducer.join(TimeUnit.SECONDS.toMillis(WAIT_S));
            Set<String> expected = new HashSet<>(confirmed);
            for (int batch : committedBatches) {
                for (int k = 0; k < BATCH; k++) {
                    expected.add("t" + batch + "-" + k);
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
            while (!seen(List.of()).containsAll(expected) && System.nanoTime() < deadline) {
                received.tryAcquire(1, TimeUnit.SECONDS);
            }
            stopConsuming = true;
            consumer.join(TimeUnit.SECONDS.toMillis(WAIT_S));
            producerConnection.close();
            txConnection.close();
            consumerConnection.close();
            assertTrue(failures.isEmpty(), "client threads failed: " + failures);
            synchronized (told) {
                assertTrue(told.isEmpty(), "reconnection gave up: " + told);
            }

            // Whatever the consumer left (messages of transactions whose outcome was unknown).
            try (Connection c = new CourierConnectionFactory("tcp://127.0.0.1:" + port).createConnection()) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer drain = s.createConsumer(s.createQueue("orders"));
                c.start();
                Message m;
                while ((m = drain.receive(500)) != null) {
                    leftovers.add(((TextMessage) m).getText());
                }
            }

            Set<String> seen = seen(leftovers);
            List<String> missing = new ArrayList<>(expected);
            missing.removeAll(seen);
            assertEquals(List.of(), missing, "confirmed or committed but never consumed");
            Map<Integer, Integer> perBatch = new HashMap<>();
            for (String text : seen) {
                if (text.startsWith("t")) {
                    perBatch.merge(Integer.parseInt(text.substring(1, text.indexOf('-'))), 1, Integer::sum);
                }
            }
            perBatch.forEach((batch, count) -> assertEquals(BATCH, count, "batch " + batch + " half-applied"));
            for (int batch : rolledBackBatches) {
                assertTrue(!perBatch.containsKey(batch), "rolled-back batch " + batch + " was applied");
            }
            Map<String, Integer> times = new HashMap<>();
            for (String text : consumed) {
                times.merge(text, 1, Integer::sum);
            }
            for (String text : leftovers) {
                times.merge(text, 1, Integer::sum);
            }
            long duplicatePlain = times.entrySet().stream().filter(e -> e.getValue() > 1 && e.getKey().startsWith("p")).count();
            long duplicateBatch = times.entrySet().stream().filter(e -> e.getValue() > 1 && e.getKey().startsWith("t")).count();
            System.out.printf("failover crash: %d confirmed sends, %d committed batches, %d in doubt, %d rolled back;"
                            + " %d consumed, %d in consumer transactions of unknown outcome, %d left over;"
                            + " duplicates: %d plain, %d transacted%n",
                    confirmed.size(), committedBatches.size(), inDoubtBatches.size(), rolledBackBatches.size(),
                    consumed.size(), maybeConsumed.size(), leftovers.size(), duplicatePlain, duplicateBatch);
            assertTrue(duplicatePlain <= 1, "only the send in flight at the crash may be sent twice: " + duplicatePlain);
            assertEquals(0, duplicateBatch, "a committed consumer transaction never comes again");
        } finally {
            if (restarted != null) {
                restarted.close();
            }
        }
    }

    private Set<String> seen(List<String> leftovers) {
        Set<String> seen = new HashSet<>(consumed);
        seen.addAll(maybeConsumed);
        seen.addAll(leftovers);
        return seen;
    }

    /** Waits until every client has made progress since the last call (bounded). */
    private void awaitProgress(String when) throws InterruptedException {
        sent.drainPermits();
        committed.drainPermits();
        received.drainPermits();
        assertTrue(sent.tryAcquire(100, WAIT_S, TimeUnit.SECONDS), "100 confirmed sends " + when);
        assertTrue(committed.tryAcquire(10, WAIT_S, TimeUnit.SECONDS), "10 committed batches " + when);
        assertTrue(received.tryAcquire(50, WAIT_S, TimeUnit.SECONDS), "50 consumed messages " + when);
    }

    private void produce(Connection connection) throws JMSException {
        Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = s.createProducer(s.createQueue("orders"));
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        for (int i = 0; !stopProducing; i++) {
            producer.send(s.createTextMessage("p" + i));
            confirmed.add("p" + i);
            sent.release();
        }
    }

    private void produceBatches(Connection connection) throws JMSException {
        Session s = connection.createSession(true, Session.SESSION_TRANSACTED);
        MessageProducer producer = s.createProducer(s.createQueue("orders"));
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        for (int batch = 0; !stopProducing; batch++) {
            for (int k = 0; k < BATCH; k++) {
                producer.send(s.createTextMessage("t" + batch + "-" + k));
            }
            try {
                s.commit();
                committedBatches.add(batch);
                committed.release();
            } catch (TransactionRolledBackException e) {
                rolledBackBatches.add(batch);
            } catch (TransactionOutcomeUnknownException e) {
                inDoubtBatches.add(batch);
            }
        }
    }

    /** Receives in transactions of up to ten messages. */
    private void consume(Connection connection) throws JMSException {
        Session s = connection.createSession(true, Session.SESSION_TRANSACTED);
        MessageConsumer consumer = s.createConsumer(s.createQueue("orders"));
        connection.start();
        List<String> batch = new ArrayList<>();
        while (!stopConsuming) {
            Message m = consumer.receive(200);
            if (m != null) {
                batch.add(((TextMessage) m).getText());
            }
            if (batch.isEmpty() || (m != null && batch.size() < 10)) {
                continue;
            }
            try {
                s.commit();
                consumed.addAll(batch);
                received.release(batch.size());
            } catch (TransactionRolledBackException e) {
                // They come again.
            } catch (TransactionOutcomeUnknownException e) {
                maybeConsumed.addAll(batch);
                received.release(batch.size());
            }
            batch.clear();
        }
    }

    private interface ClientWork {
        void run() throws Exception;
    }

    private Thread start(String name, ClientWork work) {
        Thread thread = new Thread(() -> {
            try {
                work.run();
            } catch (Throwable e) {
                failures.add(e);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
