package dev.courier.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.broker.Broker;
import dev.courier.broker.BrokerConfig;
import dev.courier.broker.QueueStats;
import dev.courier.client.VmBrokers;
import dev.courier.server.TcpServer;
import dev.courier.store.Durability;
import dev.courier.store.H2MessageStore;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.nio.file.Path;
import java.util.Collections;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Paging on an H2 store with a small memory bound (64 KiB), over {@code vm://} and
 * {@code tcp://}: a backlog many times the bound is held in the store, memory stays at the
 * bound, and consumers still get every message once and in order, also after a restart; browsers
 * see the paged messages.
 */
@ParameterizedClass(name = "[{0}]")
@ValueSource(strings = {"vm", "tcp"})
class PagingTest {

    private static final long WAIT_MS = 10_000;
    private static final long ABSENT_MS = 200;
    private static final long BOUND = 64 * 1024;
    private static final String PADDING = "x".repeat(1000);

    @Parameter
    String transport;

    @TempDir
    Path data;

    private final String name = "paging-" + UUID.randomUUID();
    private Broker tcpBroker;
    private TcpServer tcpServer;
    private int tcpPort;

    private synchronized CourierConnectionFactory factory() throws Exception {
        if ("vm".equals(transport)) {
            return new CourierConnectionFactory("vm://" + name + "?fsync=false&maxQueueMemory=64k&data=" + data);
        }
        if (tcpServer == null) {
            tcpBroker = Broker.open(name, BrokerConfig.defaults().withMaxQueueMemory(BOUND),
                    new H2MessageStore(data, Durability.NO_FSYNC));
            // The same port after a restart, as a client of a standalone broker would expect.
            tcpServer = new TcpServer(tcpBroker, "127.0.0.1", tcpPort).start();
            tcpPort = tcpServer.port();
        }
        return new CourierConnectionFactory("tcp://127.0.0.1:" + tcpPort);
    }

    private synchronized Broker broker() {
        return "vm".equals(transport) ? VmBrokers.find(name) : tcpBroker;
    }

    private synchronized void restart() {
        if (tcpServer != null) {
            tcpServer.close();
            tcpBroker.stop();
            tcpServer = null;
            tcpBroker = null;
        }
        VmBrokers.stop(name);
    }

    @AfterEach
    void stop() {
        restart();
    }

    private static String body(int n) {
        return n + ":" + PADDING;
    }

    private void sendPersistent(String queue, int count) throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            MessageProducer p = s.createProducer(s.createQueue(queue));
            for (int i = 0; i < count; i++) {
                p.send(s.createTextMessage(body(i)));
            }
        }
    }

    private void receiveInOrder(Session s, MessageConsumer consumer, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            Message m = consumer.receive(WAIT_MS);
            assertNotNull(m, "message " + i + " of " + count + " did not arrive");
            assertEquals(body(i), ((TextMessage) m).getText());
        }
        assertNull(consumer.receive(ABSENT_MS));
    }

    private void assertPaged(String queue, int total) {
        QueueStats stats = broker().queueStats(queue);
        assertTrue(stats.memoryBytes() <= BOUND + 2048, "memory " + stats.memoryBytes() + " over the bound " + BOUND);
        assertTrue(stats.paged() > total / 2, "only " + stats.paged() + " of " + total + " paged");
        assertEquals(total, stats.depth() + stats.paged());
    }

    @Test
    void aBacklogManyTimesTheBoundStaysInTheStoreAndIsReceivedOnceInOrder() throws Exception {
        int total = 1000; // about 1 MiB, sixteen times the bound
        sendPersistent("q", total);
        assertPaged("q", total);
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            receiveInOrder(s, consumer, total);
        }
        QueueStats drained = broker().queueStats("q");
        assertEquals(0, drained.paged());
        assertEquals(0, drained.depth());
    }

    @Test
    void aRestartRecoversOnlyTheBoundIntoMemoryAndPagesTheRest() throws Exception {
        int total = 600;
        sendPersistent("q", total);
        restart();
        try (Connection c = factory().createConnection()) {
            assertPaged("q", total);
            Session s = c.createSession();
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            receiveInOrder(s, consumer, total);
        }
    }

    @Test
    void aDurableSubscriptionBacklogPagesAndSurvivesARestart() throws Exception {
        int total = 400;
        try (Connection c = factory().createConnection()) {
            c.setClientID("pager");
            Session s = c.createSession();
            Topic topic = s.createTopic("news");
            s.createDurableSubscriber(topic, "sub").close();
            MessageProducer p = s.createProducer(topic);
            for (int i = 0; i < total; i++) {
                p.send(s.createTextMessage(body(i)));
            }
        }
        restart();
        try (Connection c = factory().createConnection()) {
            c.setClientID("pager");
            QueueStats stats = broker().queueStats().stream().filter(q -> q.name().contains("sub")).findFirst().orElseThrow();
            assertTrue(stats.memoryBytes() <= BOUND + 2048, "memory " + stats.memoryBytes());
            assertTrue(stats.paged() > total / 2, "paged " + stats.paged());
            Session s = c.createSession();
            MessageConsumer consumer = s.createDurableSubscriber(s.createTopic("news"), "sub");
            c.start();
            receiveInOrder(s, consumer, total);
        }
    }

    @Test
    void aBrowserSeesPagedMessagesAfterTheOnesInMemory() throws Exception {
        // 70 KiB of bodies: more than the bound, less than what a browse reads (the messages in
        // memory, which over tcp:// count their bytes twice, decoded and as they came, plus a
        // bound's worth of the tail).
        int total = 70;
        sendPersistent("q", total);
        assertTrue(broker().queueStats("q").paged() > 0);
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            QueueBrowser browser = s.createBrowser(s.createQueue("q"));
            int i = 0;
            for (Object o : Collections.list(browser.getEnumeration())) {
                assertEquals(body(i++), ((TextMessage) o).getText());
            }
            assertEquals(total, i);
            QueueBrowser selective = s.createBrowser(s.createQueue("q"), "JMSPriority = 4");
            assertEquals(total, Collections.list(selective.getEnumeration()).size());
        }
        assertEquals(total, broker().queueStats("q").depth() + broker().queueStats("q").paged());
    }

    @Test
    void aNonPersistentSendWaitsWhilePersistentOnesPageAndAConsumerReleasesIt() throws Exception {
        int backlog = 200;
        sendPersistent("q", backlog);
        try (Connection producerConnection = factory().createConnection();
             Connection consumerConnection = factory().createConnection()) {
            Session ps = producerConnection.createSession();
            MessageProducer producer = ps.createProducer(ps.createQueue("q"));
            producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            CountDownLatch sent = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    producer.send(ps.createTextMessage("non-persistent"));
                    sent.countDown();
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            t.start();
            awaitBlocked(broker());
            if ("vm".equals(transport)) {
                // Over vm:// the sending thread itself waits; over tcp:// a non-persistent send
                // does not wait for the broker's answer, the broker holds the connection's requests.
                assertEquals(1, sent.getCount(), "a send waiting for room returned");
            }
            Session cs = consumerConnection.createSession();
            Queue q = cs.createQueue("q");
            MessageConsumer consumer = cs.createConsumer(q);
            consumerConnection.start();
            boolean sawNonPersistent = false;
            for (int i = 0; i < backlog + 1; i++) {
                TextMessage m = (TextMessage) consumer.receive(WAIT_MS);
                assertNotNull(m, "message " + i + " did not arrive");
                sawNonPersistent |= m.getText().equals("non-persistent");
            }
            assertTrue(sawNonPersistent);
            assertTrue(sent.await(WAIT_MS, TimeUnit.MILLISECONDS));
            t.join(WAIT_MS);
            assertNull(failure.get());
        }
    }

    /** Waits (bounded) until the broker holds a send back for room. */
    private static void awaitBlocked(Broker broker) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (broker.waitingSends() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(1, broker.waitingSends(), "no send is waiting for room");
    }
}
