package dev.courier.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.broker.Broker;
import dev.courier.broker.BrokerConfig;
import dev.courier.broker.BrokerConnection;
import dev.courier.broker.ConsumerSpec;
import dev.courier.message.Address;
import dev.courier.message.BodyType;
import dev.courier.message.MessageRecord;
import dev.courier.protocol.Frame;
import dev.courier.protocol.WireError;
import dev.courier.store.InMemoryMessageStore;
import dev.courier.store.MessageStore;
import dev.courier.store.QueuePage;
import dev.courier.store.RecoveryVisitor;
import dev.courier.store.StoreBatch;
import dev.courier.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A persistent send or a transaction's commit over TCP waits for the store without holding a
 * thread: it is answered when the store confirms it, the connection's later requests wait behind
 * it, and other connections go on, even with one worker thread.
 */
class DurableSendTest {

    private static final long WAIT_MS = 10_000;

    private GatedStore store;
    private Broker broker;
    private TcpServer server;

    @BeforeEach
    void start() throws Exception {
        store = new GatedStore();
        broker = Broker.open("durable-send", BrokerConfig.defaults(), store);
        server = new TcpServer(broker, "127.0.0.1", 0, TcpServerConfig.defaults().withWorkerThreads(1)).start();
    }

    @AfterEach
    void stop() {
        store.open();
        server.close();
        broker.stop();
    }

    private static MessageRecord text(String queue, String body, boolean persistent) {
        return MessageRecord.builder().messageId("ID:" + body).destination(Address.queue(queue)).persistent(persistent)
                .body(BodyType.TEXT, body).build();
    }

    @Test
    void aPersistentSendIsAnsweredAndDeliveredOnlyOnceTheStoreConfirmsIt() throws Exception {
        try (RawClient producer = RawClient.handshaken(server.port());
             RawClient consumer = RawClient.handshaken(server.port())) {
            consumer.send(new Frame.OpenConsumer(1, 7, Address.queue("gated"), null, false, null, false, false, 10));
            assertInstanceOf(Frame.Ok.class, consumer.read(WAIT_MS));
            producer.send(new Frame.Send(5, text("gated", "p1", true)));
            store.awaitHeld(1);
            // Another connection's request, answered while the send waits: the message is not queued yet.
            consumer.send(new Frame.QueueStats(2));
            assertEquals(0, depthAndInFlight(consumer.read(WAIT_MS), "gated"));

            store.releaseHeld();
            assertEquals(new Frame.Ok(5), producer.read(WAIT_MS));
            Frame.Delivery delivery = assertInstanceOf(Frame.Delivery.class, consumer.read(WAIT_MS));
            assertEquals("p1", delivery.record().body());
        }
    }

    @Test
    void theConnectionsLaterRequestsWaitBehindASendTheStoreHasNotConfirmed() throws Exception {
        try (RawClient client = RawClient.handshaken(server.port())) {
            client.send(new Frame.OpenConsumer(1, 7, Address.queue("ordered"), null, false, null, false, false, 10));
            assertInstanceOf(Frame.Ok.class, client.read(WAIT_MS));
            client.send(new Frame.Send(2, text("ordered", "persistent", true)));
            store.awaitHeld(1);
            // Posted right behind it (another session of the same connection, say): must not overtake it.
            client.send(new Frame.Send(Frame.NO_ANSWER, text("ordered", "non-persistent", false)));
            client.send(new Frame.QueueStats(3));

            store.releaseHeld();
            List<Object> seen = new ArrayList<>();
            while (seen.size() < 4) {
                Frame frame = client.read(WAIT_MS);
                if (frame instanceof Frame.Delivery d) {
                    seen.add(d.record().body());
                } else if (frame instanceof Frame.Ok ok) {
                    seen.add("ok " + ok.requestId());
                } else {
                    seen.add("stats " + assertInstanceOf(Frame.QueueStatsAnswer.class, frame).requestId());
                }
            }
            // Delivered first: the send is answered once its message is queued, as before.
            assertEquals(List.of("persistent", "ok 2", "non-persistent", "stats 3"), seen);
        }
    }

    @Test
    void anApplicationsAcknowledgeOfOneStoredMessageIsAnsweredOnlyOnceDurable() throws Exception {
        try (RawClient client = RawClient.handshaken(server.port())) {
            client.send(new Frame.OpenConsumer(1, 7, Address.queue("client-ack"), null, false, null, false, false, 10));
            assertInstanceOf(Frame.Ok.class, client.read(WAIT_MS));
            client.send(new Frame.Send(2, text("client-ack", "m", true)));
            store.awaitHeld(1);
            store.releaseHeld();
            long deliveryId = -1;
            for (int answers = 0; answers < 2; answers++) {
                Frame frame = client.read(WAIT_MS);
                if (frame instanceof Frame.Delivery d) {
                    deliveryId = d.deliveryId();
                }
            }
            // An acknowledgement with a request id is an application's acknowledge(): durable
            // before its answer, even for a single message (an automatic one would not wait).
            client.send(new Frame.Acknowledge(3, new long[] {deliveryId}));
            store.awaitBlockedCommit();
            store.open();
            assertEquals(new Frame.Ok(3), client.read(WAIT_MS));
        }
    }

    @Test
    void aSendWaitingForTheStoreHoldsNoWorker() throws Exception {
        try (RawClient waiting = RawClient.handshaken(server.port());
             RawClient other = RawClient.handshaken(server.port())) {
            waiting.send(new Frame.Send(1, text("slow-disk", "m", true)));
            store.awaitHeld(1);
            // Creating a temporary queue runs on a worker; the server has one.
            other.send(new Frame.CreateTemporary(9, Address.Kind.TEMPORARY_QUEUE));
            assertEquals(9, assertInstanceOf(Frame.TemporaryCreated.class, other.read(WAIT_MS)).requestId());
            store.releaseHeld();
            assertEquals(new Frame.Ok(1), waiting.read(WAIT_MS));
        }
    }

    @Test
    void aCommitWaitingForTheStoreHoldsNoWorkerAndTakesEffectOnceDurable() throws Exception {
        try (RawClient committer = RawClient.handshaken(server.port());
             RawClient other = RawClient.handshaken(server.port())) {
            committer.send(new Frame.Commit(1, List.of(text("tx-gated", "t1", true), text("tx-gated", "t2", true)),
                    new long[0]));
            store.awaitHeld(1);
            // Creating a temporary queue runs on a worker; the server has one.
            other.send(new Frame.CreateTemporary(9, Address.Kind.TEMPORARY_QUEUE));
            assertEquals(9, assertInstanceOf(Frame.TemporaryCreated.class, other.read(WAIT_MS)).requestId());
            other.send(new Frame.QueueStats(10));
            assertEquals(0, depthAndInFlight(other.read(WAIT_MS), "tx-gated"));

            store.releaseHeld();
            assertEquals(new Frame.Ok(1), committer.read(WAIT_MS));
            other.send(new Frame.QueueStats(11));
            assertEquals(2, depthAndInFlight(other.read(WAIT_MS), "tx-gated"));
        }
    }

    @Test
    void aCommitTheStoreRefusesChangesNothingAndTheConnectionGoesOn() throws Exception {
        try (RawClient client = RawClient.handshaken(server.port())) {
            store.open();
            client.send(new Frame.Send(1, text("tx-refused", "held", true)));
            assertEquals(new Frame.Ok(1), client.read(WAIT_MS));
            client.send(new Frame.OpenConsumer(2, 7, Address.queue("tx-refused"), null, false, null, false, false, 10));
            long deliveryId = -1;
            for (int frames = 0; frames < 2; frames++) {
                Frame frame = client.read(WAIT_MS);
                if (frame instanceof Frame.Delivery d) {
                    deliveryId = d.deliveryId();
                }
            }
            assertTrue(deliveryId >= 0, "the stored message was not delivered");

            store.refuseNext();
            client.send(new Frame.Commit(3, List.of(text("tx-refused", "lost", true)), new long[] {deliveryId}));
            assertRefusedByTheDisk(client.read(WAIT_MS), 3);
            // Neither half happened: the send is not queued and the delivery is still held.
            client.send(new Frame.QueueStats(4));
            Frame.QueueInfo afterRefusal = queueInfo(client.read(WAIT_MS), "tx-refused");
            assertEquals(List.of(0, 1), List.of(afterRefusal.depth(), afterRefusal.inFlight()), "depth, in flight");

            store.open();
            client.send(new Frame.Commit(5, List.of(), new long[] {deliveryId}));
            assertEquals(new Frame.Ok(5), client.read(WAIT_MS));
            client.send(new Frame.QueueStats(6));
            Frame.QueueInfo afterCommit = queueInfo(client.read(WAIT_MS), "tx-refused");
            assertEquals(List.of(0, 0), List.of(afterCommit.depth(), afterCommit.inFlight()), "depth, in flight");
        }
    }

    @Test
    void aSendTheStoreRefusesFailsAloneAndTheConnectionGoesOn() throws Exception {
        try (RawClient client = RawClient.handshaken(server.port())) {
            store.refuseNext();
            client.send(new Frame.Send(1, text("refusing", "lost", true)));
            assertRefusedByTheDisk(client.read(WAIT_MS), 1);

            store.open();
            client.send(new Frame.Send(2, text("refusing", "kept", true)));
            assertEquals(new Frame.Ok(2), client.read(WAIT_MS));
            client.send(new Frame.QueueStats(3));
            assertEquals(1, depthAndInFlight(client.read(WAIT_MS), "refusing"));
        }
    }

    @Test
    void theStoresThreadOnlyHandsOverTheMessageIsQueuedOnTheSelectorThread() throws Exception {
        BrokerConnection local = broker.connect(null, null);
        List<String> deliveredOn = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch delivered = new CountDownLatch(1);
        local.openConsumer(1, new ConsumerSpec(Address.queue("handed-over"), null, false, null, false, false, 10),
                (deliveryId, record, count, sequence) -> {
                    deliveredOn.add(Thread.currentThread().getName());
                    delivered.countDown();
                });
        try (RawClient client = RawClient.handshaken(server.port())) {
            client.send(new Frame.Send(1, text("handed-over", "m", true)));
            store.awaitHeld(1);
            store.releaseHeld();
            assertEquals(new Frame.Ok(1), client.read(WAIT_MS));
            assertTrue(delivered.await(WAIT_MS, TimeUnit.MILLISECONDS));
            assertTrue(deliveredOn.get(0).startsWith("courier-server-") && deliveredOn.get(0).endsWith("-selector"),
                    "enqueued and dispatched on " + deliveredOn.get(0));
        } finally {
            store.open(); // closing returns the delivery, which updates its count in the store
            local.close();
        }
    }

    @Test
    void aSendTheStoreConfirmsAfterTheServerClosedIsStillQueued() throws Exception {
        try (RawClient client = RawClient.handshaken(server.port())) {
            client.send(new Frame.Send(1, text("outlives-server", "m", true)));
            store.awaitHeld(1);
            server.close();
            // Durable once the store confirms: it must be queued although the server and its client are gone.
            store.releaseHeld();
            int depth = broker.queueStats().stream().filter(q -> q.name().equals("outlives-server"))
                    .mapToInt(q -> q.depth()).sum();
            assertEquals(1, depth);
        }
    }

    /** The answer says the store refused request {@code requestId}. */
    private static void assertRefusedByTheDisk(Frame answer, long requestId) {
        Frame.Failed failed = assertInstanceOf(Frame.Failed.class, answer);
        assertEquals(requestId, failed.requestId());
        assertEquals(WireError.GENERAL, failed.error());
        assertTrue(failed.message().contains("disk refused"), failed.message());
    }

    private static Frame.QueueInfo queueInfo(Frame answer, String queue) {
        for (Frame.QueueInfo info : assertInstanceOf(Frame.QueueStatsAnswer.class, answer).queues()) {
            if (info.name().equals(queue)) {
                return info;
            }
        }
        throw new AssertionError("no queue " + queue + " in the statistics");
    }

    private static int depthAndInFlight(Frame answer, String queue) {
        for (Frame.QueueInfo info : assertInstanceOf(Frame.QueueStatsAnswer.class, answer).queues()) {
            if (info.name().equals(queue)) {
                return info.depth() + info.inFlight();
            }
        }
        return 0;
    }

    /**
     * An in-memory store whose commits wait until the test lets them through: called-back commits
     * are held (no thread waits), waiting commits block their caller. Starts shut.
     */
    private static final class GatedStore implements MessageStore {

        private final InMemoryMessageStore delegate = new InMemoryMessageStore();
        private final Semaphore held = new Semaphore(0);
        private final Semaphore blocked = new Semaphore(0);
        private final List<Runnable> heldCommits = new ArrayList<>();
        private boolean shut = true;
        private boolean refuseNext;

        @Override
        public void recover(RecoveryVisitor visitor) throws StoreException {
            delegate.recover(visitor);
        }

        @Override
        public synchronized void commit(StoreBatch batch) throws StoreException {
            if (shut) {
                blocked.release();
            }
            while (shut) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    throw new StoreException("interrupted");
                }
            }
            delegate.commit(batch);
        }

        @Override
        public void commitThen(StoreBatch batch, Consumer<StoreException> whenDone) {
            Runnable apply = () -> delegate.commitThen(batch, whenDone);
            synchronized (this) {
                if (refuseNext) {
                    refuseNext = false;
                    apply = () -> whenDone.accept(new StoreException("the disk refused it"));
                } else if (shut) {
                    heldCommits.add(apply);
                    held.release();
                    return;
                }
            }
            apply.run();
        }

        /** Changes that wait for nobody are never held: only what claims durability waits at the gate. */
        @Override
        public void commitLater(StoreBatch batch) throws StoreException {
            delegate.commitLater(batch);
        }

        /** Returns once a waiting commit is blocked at the gate. */
        void awaitBlockedCommit() throws InterruptedException {
            assertTrue(blocked.tryAcquire(WAIT_MS, TimeUnit.MILLISECONDS), "no commit waited for the store");
        }

        void awaitHeld(int count) throws InterruptedException {
            assertTrue(held.tryAcquire(count, WAIT_MS, TimeUnit.MILLISECONDS), "no send reached the store");
        }

        /** Applies the held commits on a thread of their own, as a store's writer would. */
        void releaseHeld() throws InterruptedException {
            List<Runnable> commits;
            synchronized (this) {
                commits = List.copyOf(heldCommits);
                heldCommits.clear();
            }
            Thread writer = new Thread(() -> commits.forEach(Runnable::run), "gated-store-writer");
            writer.start();
            writer.join(WAIT_MS);
        }

        synchronized void refuseNext() {
            refuseNext = true;
            open();
        }

        synchronized void open() {
            shut = false;
            notifyAll();
        }

        @Override
        public QueuePage readQueue(String queueName, long afterMessageId, int maxMessages, long maxBytes)
                throws StoreException {
            return delegate.readQueue(queueName, afterMessageId, maxMessages, maxBytes);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
