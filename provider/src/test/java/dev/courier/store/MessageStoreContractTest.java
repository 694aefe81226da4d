package dev.courier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.message.Address;
import dev.courier.message.BodyType;
import dev.courier.message.MessageRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What every {@link MessageStore} must do; subclasses supply the store and its reopening. */
abstract class MessageStoreContractTest {

    protected MessageStore store;

    /** A new, empty store. */
    protected abstract MessageStore create() throws Exception;

    /** The same data as a store that was closed and opened again (or the same instance where nothing is durable). */
    protected abstract MessageStore reopen(MessageStore old) throws Exception;

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    static StoredMessage message(long id) {
        return new StoredMessage(id, MessageRecord.builder().messageId("ID:" + id).destination(Address.queue("q"))
                .property("n", id).body(BodyType.TEXT, "body " + id).build());
    }

    private RecordingVisitor reopenAndRecover() throws Exception {
        store = reopen(store);
        return RecordingVisitor.recover(store);
    }

    @Test
    void emptyStoreRecoversNothing() throws Exception {
        store = create();
        RecordingVisitor v = RecordingVisitor.recover(store);
        assertTrue(v.references.isEmpty());
        assertEquals(0, v.lastMessageId);
    }

    @Test
    void recoversMessagesReferencesAndDeliveryCounts() throws Exception {
        store = create();
        store.commit(new StoreBatch().addMessage(message(1)).addReference("a", 1).addReference("b", 1));
        store.commit(new StoreBatch().addMessage(message(2)).addReference("a", 2));
        store.commit(new StoreBatch().addMessage(message(3)).addReference("b", 3).addReference("a", 3));
        store.commit(new StoreBatch().updateDeliveryCount("a", 2, 3).updateDeliveryCount("b", 1, 1));
        store.commit(new StoreBatch().updateDeliveryCount("a", 99, 1).removeReference("zz", 1));

        RecordingVisitor v = reopenAndRecover();
        assertEquals(List.of("1:0", "2:3", "3:0"), v.queue("a"));
        assertEquals(List.of("1:1", "3:0"), v.queue("b"));
        assertEquals("body 2", v.messages.get(2L).record().body());
        assertEquals(2L, v.messages.get(2L).record().property("n"));
        assertEquals(3, v.lastMessageId);
    }

    @Test
    void recoversSubscriptionsBeforeReferences() throws Exception {
        store = create();
        SubscriptionDefinition withSelector = new SubscriptionDefinition("client", "sub", "news", "color = 'red'",
                true, false, "sub-queue");
        SubscriptionDefinition shared = new SubscriptionDefinition(null, "shared", "news", null, false, true, "shared-queue");
        store.commit(new StoreBatch().addSubscription(withSelector).addSubscription(shared)
                .addMessage(message(7)).addReference("sub-queue", 7).addReference("shared-queue", 7));

        RecordingVisitor v = reopenAndRecover();
        assertEquals(2, v.subscriptions.size());
        assertTrue(v.subscriptions.contains(withSelector));
        assertTrue(v.subscriptions.contains(shared));
        assertEquals(List.of("subscription", "subscription", "reference", "reference", "last"), v.order);
    }

    @Test
    void addingASubscriptionAgainReplacesIt() throws Exception {
        store = create();
        store.commit(new StoreBatch().addSubscription(new SubscriptionDefinition("c", "s", "t", "a = 1", false, false, "q")));
        SubscriptionDefinition changed = new SubscriptionDefinition("c", "s", "t2", null, false, false, "q");
        store.commit(new StoreBatch().addSubscription(changed));
        assertEquals(List.of(changed), reopenAndRecover().subscriptions);
    }

    @Test
    void removingTheLastReferenceDeletesTheMessage() throws Exception {
        store = create();
        store.commit(new StoreBatch().addMessage(message(1)).addReference("a", 1).addReference("b", 1));
        store.commit(new StoreBatch().removeReference("a", 1));
        store.commit(new StoreBatch().addReference("c", 1));
        store.commit(new StoreBatch().removeReference("b", 1).removeReference("c", 1));
        assertThrows(StoreException.class, () -> store.commit(new StoreBatch().addReference("a", 1)));

        RecordingVisitor v = reopenAndRecover();
        assertTrue(v.references.isEmpty());
        assertEquals(1, v.lastMessageId, "ids keep increasing after their messages are gone");
    }

    @Test
    void removingASubscriptionDropsItsReferences() throws Exception {
        store = create();
        store.commit(new StoreBatch().addSubscription(new SubscriptionDefinition("c", "s", "t", null, false, false, "sq"))
                .addSubscription(new SubscriptionDefinition("c", "other", "t", null, false, false, "oq"))
                .addMessage(message(1)).addReference("sq", 1).addReference("oq", 1)
                .addMessage(message(2)).addReference("sq", 2));
        store.commit(new StoreBatch().removeSubscription("c", "s").removeSubscription("c", "missing"));
        assertThrows(StoreException.class, () -> store.commit(new StoreBatch().addReference("x", 2)),
                "message 2 went with its last reference");

        RecordingVisitor v = reopenAndRecover();
        assertEquals(1, v.subscriptions.size());
        assertEquals("other", v.subscriptions.get(0).name());
        assertEquals(List.of(), v.queue("sq"));
        assertEquals(List.of("1:0"), v.queue("oq"));
    }

    @Test
    void aFailingBatchLeavesNothing() throws Exception {
        store = create();
        store.commit(new StoreBatch().addMessage(message(1)).addReference("a", 1));
        StoreBatch bad = new StoreBatch().addMessage(message(2)).addReference("a", 2).updateDeliveryCount("a", 1, 5)
                .removeReference("a", 1).addSubscription(new SubscriptionDefinition("c", "s", "t", null, false, false, "q"))
                .addReference("a", 999);
        assertThrows(StoreException.class, () -> store.commit(bad));
        assertThrows(StoreException.class,
                () -> store.commit(new StoreBatch().addMessage(message(3)).addMessage(message(1))), "duplicate id");
        assertThrows(StoreException.class,
                () -> store.commit(new StoreBatch().addMessage(message(4)).addReference("a", 1)), "duplicate reference");

        RecordingVisitor v = reopenAndRecover();
        assertEquals(List.of("1:0"), v.queue("a"));
        assertTrue(v.subscriptions.isEmpty());
        assertEquals(1, v.lastMessageId);
        store.commit(new StoreBatch().addMessage(message(2)).addReference("a", 2));
        assertEquals(List.of("1:0", "2:0"), RecordingVisitor.recover(store).queue("a"));
    }

    @Test
    void operationsApplyInSubmissionOrder() throws Exception {
        store = create();
        store.commit(new StoreBatch().addMessage(message(1)).addReference("a", 1).addReference("b", 1)
                .addMessage(message(2)).addReference("a", 2)
                .removeReference("a", 1).addReference("a", 1).updateDeliveryCount("a", 1, 4));
        store.commit(new StoreBatch().updateDeliveryCount("a", 2, 2).removeReference("a", 2).addMessage(message(3))
                .addReference("a", 3).removeReference("b", 1));
        RecordingVisitor v = reopenAndRecover();
        assertEquals(List.of("1:4", "3:0"), v.queue("a"));
        assertEquals(List.of(), v.queue("b"));
    }

    @Test
    void aMessageMayBeReferencedInALaterBatch() throws Exception {
        store = create();
        store.commit(new StoreBatch().addMessage(message(5)));
        store.commit(new StoreBatch().addReference("a", 5));
        assertEquals(List.of("5:0"), reopenAndRecover().queue("a"));
    }

    @Test
    void concurrentCommitsAreAllRecoveredInOrder() throws Exception {
        store = create();
        int threads = 8;
        int commits = 60;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < commits; i++) {
                    long id = thread * 1000L + i + 1;
                    store.commit(new StoreBatch().addMessage(message(id)).addReference("q" + thread, id)
                            .addReference("all", id));
                    if (i % 3 == 2) {
                        store.commit(new StoreBatch().removeReference("all", id - 1).updateDeliveryCount("q" + thread, id, 2));
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        RecordingVisitor v = reopenAndRecover();
        for (int t = 0; t < threads; t++) {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < commits; i++) {
                expected.add((t * 1000L + i + 1) + ":" + (i % 3 == 2 ? 2 : 0));
            }
            assertEquals(expected, v.queue("q" + t));
        }
        assertEquals(threads * commits * 2 / 3, v.queue("all").size());
        assertEquals(7000L + commits, v.lastMessageId);
    }

    @Test
    void readQueueReturnsOneQueuesMessagesAfterAnIdInIdOrder() throws Exception {
        store = create();
        store.commit(new StoreBatch().addMessage(message(5)).addReference("a", 5));
        store.commit(new StoreBatch().addMessage(message(3)).addReference("a", 3).addReference("b", 3));
        store.commit(new StoreBatch().addMessage(message(9)).addReference("a", 9));
        store.commit(new StoreBatch().addMessage(message(7)).addReference("b", 7).addReference("a", 7));
        store.commit(new StoreBatch().updateDeliveryCount("a", 7, 2));

        QueuePage all = store.readQueue("a", 0, 100, Long.MAX_VALUE);
        assertEquals(List.of(3L, 5L, 7L, 9L), ids(all));
        assertEquals(9, all.lastMessageId());
        assertEquals(2, all.messages().get(2).deliveryCount());
        assertEquals("body 5", all.messages().get(1).message().record().body());

        QueuePage after = store.readQueue("a", 5, 100, Long.MAX_VALUE);
        assertEquals(List.of(7L, 9L), ids(after));
        QueuePage two = store.readQueue("a", 0, 2, Long.MAX_VALUE);
        assertEquals(List.of(3L, 5L), ids(two));
        assertEquals(5, two.lastMessageId());
        QueuePage oneByBytes = store.readQueue("a", 0, 100, 1);
        assertEquals(List.of(3L), ids(oneByBytes));

        QueuePage none = store.readQueue("a", 9, 100, Long.MAX_VALUE);
        assertTrue(none.isEmpty());
        assertEquals(9, none.lastMessageId());
        assertTrue(store.readQueue("unknown", 0, 100, Long.MAX_VALUE).isEmpty());

        store.commit(new StoreBatch().removeReference("a", 5));
        assertEquals(List.of(3L, 7L, 9L), ids(store.readQueue("a", 0, 100, Long.MAX_VALUE)));
    }

    private static List<Long> ids(QueuePage page) {
        List<Long> ids = new ArrayList<>();
        for (StoredReference ref : page.messages()) {
            ids.add(ref.message().id());
        }
        return ids;
    }

    @Test
    void commitAfterCloseFails() throws Exception {
        store = create();
        store.close();
        store.close();
        assertThrows(StoreException.class, () -> store.commit(new StoreBatch().addMessage(message(1))));
    }

    @Test
    void calledBackCommitsAreDurableWhenToldAndRefusedOnesLeaveNothing() throws Exception {
        store = create();
        List<String> told = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch allTold = new java.util.concurrent.CountDownLatch(4);
        for (int i = 1; i <= 3; i++) {
            String name = "m" + i;
            store.commitThen(new StoreBatch().addMessage(message(i)).addReference("a", i), e -> {
                told.add(name + ":" + (e == null ? "ok" : "refused"));
                allTold.countDown();
            });
        }
        // A duplicate reference is refused alone, and told so.
        store.commitThen(new StoreBatch().addMessage(message(4)).addReference("a", 1), e -> {
            told.add("dup:" + (e == null ? "ok" : "refused"));
            allTold.countDown();
        });
        assertTrue(allTold.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("m1:ok", "m2:ok", "m3:ok", "dup:refused"), told);
        RecordingVisitor v = reopenAndRecover();
        assertEquals(List.of("1:0", "2:0", "3:0"), v.queue("a"));
        assertEquals(3, v.lastMessageId);
    }

    @Test
    void aCalledBackCommitAfterCloseIsToldItFailed() throws Exception {
        store = create();
        store.close();
        List<StoreException> told = new ArrayList<>();
        store.commitThen(new StoreBatch().addMessage(message(1)).addReference("a", 1), told::add);
        assertEquals(1, told.size());
        assertNotNull(told.get(0), "refused");
    }
}
