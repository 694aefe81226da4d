package dev.courier.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.message.Address;
import dev.courier.message.BodyType;
import dev.courier.message.MessageRecord;
import dev.courier.store.Durability;
import dev.courier.store.H2MessageStore;
import dev.courier.store.InMemoryMessageStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker core with a tiny memory bound, driven directly: concurrent senders, a queue that
 * keeps switching between paging and not, and a consumer draining it at the same time. Every
 * message must arrive exactly once and each producer's messages in the order it sent them,
 * whatever the interleaving of store commits, page-ins and enqueues.
 */
class PagingRaceTest {

    private static final long WAIT_SECONDS = 30;
    private static final int BOUND = 4096;

    private final Broker broker;

    PagingRaceTest() throws BrokerException {
        broker = Broker.open("race", BrokerConfig.defaults().withMaxQueueMemory(BOUND), new InMemoryMessageStore());
    }

    @AfterEach
    void stop() {
        broker.stop();
    }

    private record Delivery(long deliveryId, MessageRecord record) {
    }

    private static MessageRecord message(int producer, int n) {
        return MessageRecord.builder().destination(Address.queue("q")).persistent(true)
                .property("producer", producer).property("n", n)
                .body(BodyType.TEXT, "p" + producer + "-" + n + "-" + "x".repeat(200)).build();
    }

    @Test
    void concurrentSendersAndAConsumerOnAPagingQueueGetEveryMessageOnceInPerProducerOrder() throws Exception {
        int producers = 4;
        int perProducer = 1500;
        BrokerConnection consumerConnection = broker.connect(null, null);
        BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
        consumerConnection.openConsumer(1, ConsumerSpec.of(Address.queue("q"), null, false, 10),
                (deliveryId, record, count, sequence) -> deliveries.add(new Delivery(deliveryId, record)));

        ExecutorService pool = Executors.newFixedThreadPool(producers);
        List<Future<?>> sends = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            sends.add(pool.submit(() -> {
                BrokerConnection c = broker.connect(null, null);
                for (int n = 0; n < perProducer; n++) {
                    c.send(message(producer, n));
                }
                return null;
            }));
        }

        int[] next = new int[producers];
        Set<String> seen = new HashSet<>();
        long maxMemory = 0;
        for (int i = 0; i < producers * perProducer; i++) {
            Delivery d = deliveries.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(d, "message " + i + " of " + producers * perProducer + " did not arrive");
            int producer = ((Number) d.record().property("producer")).intValue();
            int n = ((Number) d.record().property("n")).intValue();
            assertTrue(seen.add(producer + ":" + n), "duplicate " + producer + ":" + n);
            assertEquals(next[producer], n, "producer " + producer + " out of order");
            next[producer]++;
            consumerConnection.acknowledge(d.deliveryId());
            consumerConnection.addCredit(1, 1);
            maxMemory = Math.max(maxMemory, broker.queueStats("q").memoryBytes());
        }
        for (Future<?> f : sends) {
            f.get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        pool.shutdown();
        QueueStats stats = broker.queueStats("q");
        assertEquals(0, stats.depth());
        assertEquals(0, stats.paged());
        assertEquals(0, stats.memoryBytes());
        assertTrue(stats.enqueued() == producers * perProducer, "enqueued " + stats.enqueued());
        // Late arrivals (sent concurrently with a page-in) may go over by a few messages, never by a page.
        assertTrue(maxMemory < 2 * BOUND, "memory reached " + maxMemory);
    }

    @Test
    void delayedMessagesInAPagedTailWaitForTheirTimeAlsoAfterARestart(@TempDir Path data) throws Exception {
        broker.stop();
        BrokerConfig config = BrokerConfig.defaults().withMaxQueueMemory(BOUND);
        Broker first = Broker.open("delay", config, new H2MessageStore(data, Durability.NO_FSYNC));
        long due = System.currentTimeMillis() + 1500;
        try {
            BrokerConnection c = first.connect(null, null);
            for (int n = 0; n < 80; n++) {
                MessageRecord m = message(0, n);
                c.send(n >= 50 && n < 60 ? m.toBuilder().deliveryTime(due).build() : m);
            }
            assertTrue(first.queueStats("q").paged() > 0);
        } finally {
            first.stop();
        }
        Broker second = Broker.open("delay", config, new H2MessageStore(data, Durability.NO_FSYNC));
        try {
            BrokerConnection c = second.connect(null, null);
            assertTrue(second.queueStats("q").paged() > 0, "recovery did not page");
            BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
            c.openConsumer(1, ConsumerSpec.of(Address.queue("q"), null, false, 5),
                    (deliveryId, record, count, sequence) -> deliveries.add(new Delivery(deliveryId, record)));
            Set<Integer> seen = new HashSet<>();
            int lastImmediate = -1;
            for (int i = 0; i < 80; i++) {
                Delivery d = deliveries.poll(WAIT_SECONDS, TimeUnit.SECONDS);
                assertNotNull(d, "message " + i + " did not arrive");
                long receivedAt = System.currentTimeMillis();
                int n = ((Number) d.record().property("n")).intValue();
                assertTrue(seen.add(n), "duplicate " + n);
                if (n >= 50 && n < 60) {
                    assertTrue(receivedAt >= due, "delayed message " + n + " arrived early");
                } else {
                    assertTrue(n > lastImmediate, "message " + n + " after " + lastImmediate);
                    lastImmediate = n;
                }
                c.acknowledge(d.deliveryId());
                c.addCredit(1, 1);
            }
            assertEquals(80, seen.size());
        } finally {
            second.stop();
        }
    }

    @Test
    void aQueueOverItsBoundPagesPersistentMessagesAndPagesThemBackInArrivalOrder() throws Exception {
        BrokerConnection c = broker.connect(null, null);
        for (int n = 0; n < 200; n++) {
            c.send(message(0, n));
        }
        QueueStats full = broker.queueStats("q");
        assertTrue(full.memoryBytes() <= BOUND + message(0, 0).estimatedSize(), "memory " + full.memoryBytes());
        assertTrue(full.paged() > 150, "paged " + full.paged());
        assertEquals(200, full.depth() + full.paged());

        BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
        c.openConsumer(1, ConsumerSpec.of(Address.queue("q"), null, false, 5),
                (deliveryId, record, count, sequence) -> deliveries.add(new Delivery(deliveryId, record)));
        for (int n = 0; n < 200; n++) {
            Delivery d = deliveries.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(d, "message " + n + " did not arrive");
            assertEquals(n, ((Number) d.record().property("n")).intValue());
            c.acknowledge(d.deliveryId());
            c.addCredit(1, 1);
        }
        assertEquals(0, broker.queueStats("q").paged());
    }
}
