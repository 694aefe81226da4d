package dev.courier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.message.MessageCodec;
import dev.courier.message.MessageRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeferredBatchesTest {

    private static StoredMessage message(long id) {
        return new StoredMessage(id, MessageRecord.builder().messageId("ID:" + id).build());
    }

    private static byte[] encode(StoredMessage m) {
        return MessageCodec.encode(m.record());
    }

    private static StoreBatch send(long id, String... queues) {
        StoreBatch b = new StoreBatch().addMessage(message(id));
        for (String q : queues) {
            b.addReference(q, id);
        }
        return b;
    }

    @Test
    void defersOnlyBatchesH2CannotReject() {
        DeferredBatches d = new DeferredBatches();
        assertTrue(d.canDefer(send(11, "a", "b"), 10));
        assertTrue(d.canDefer(new StoreBatch().removeReference("a", 3).updateDeliveryCount("a", 4, 2), 10));
        assertFalse(d.canDefer(send(10, "a"), 10), "an id H2 may hold");
        assertFalse(d.canDefer(new StoreBatch().addReference("a", 3), 10), "a reference to an older message");
        assertFalse(d.canDefer(new StoreBatch().addMessage(message(12)).addReference("a", 12).addReference("a", 12), 10),
                "a duplicate reference");
        assertFalse(d.canDefer(new StoreBatch().addMessage(message(12)).addMessage(message(12)), 10), "a duplicate id");
        assertFalse(d.canDefer(new StoreBatch().removeSubscription("c", "s"), 10), "subscriptions");
        assertFalse(d.canDefer(new StoreBatch(), 10), "an empty batch is a read barrier");
        d.add(List.of(send(11, "a")), 1, DeferredBatchesTest::encode);
        assertFalse(d.canDefer(send(11, "a"), 10), "an id already deferred");
    }

    @Test
    void aMessageAddedAndRemovedWhileDeferredNetsToNothing() {
        DeferredBatches d = new DeferredBatches();
        d.add(List.of(send(1, "a")), 1, DeferredBatchesTest::encode);
        d.add(List.of(new StoreBatch().updateDeliveryCount("a", 1, 2)), 2, DeferredBatchesTest::encode);
        d.add(List.of(new StoreBatch().removeReference("a", 1)), 3, DeferredBatchesTest::encode);
        assertEquals(List.of(), d.net().operations());
        assertEquals(3, d.lastSequence());
        assertEquals(1, d.maxMessageId());
    }

    @Test
    void countsTheCodecBytesItHoldsUntilCleared() {
        DeferredBatches d = new DeferredBatches();
        d.add(List.of(send(1, "a"), send(2, "a", "b")), 1, DeferredBatchesTest::encode);
        d.add(List.of(new StoreBatch().removeReference("a", 1)), 2, DeferredBatchesTest::encode);
        assertEquals(encode(message(1)).length + encode(message(2)).length, d.bytes());
        d.clear();
        assertEquals(0, d.bytes());
    }

    @Test
    void aMessageKeepsWhatStillReferencesIt() {
        DeferredBatches d = new DeferredBatches();
        d.add(List.of(send(1, "a", "b"), new StoreBatch().removeReference("b", 1)), 1, DeferredBatchesTest::encode);
        assertEquals(List.of(new StoreBatch.AddMessage(message(1)).getClass(), StoreBatch.AddReference.class),
                d.net().operations().stream().map(Object::getClass).toList());
        assertEquals(new StoreBatch.AddReference("a", 1), d.net().operations().get(1));
        assertEquals(List.of(1L), d.encodings().keySet().stream().map(StoredMessage::id).toList(),
                "the journal's encoding is kept for H2");
    }

    @Test
    void removalsOfReferencesH2HoldsAreKeptInOrder() {
        DeferredBatches d = new DeferredBatches();
        d.add(List.of(new StoreBatch().updateDeliveryCount("a", 5, 3), send(6, "a"), new StoreBatch().removeReference("a", 5)), 4, DeferredBatchesTest::encode);
        List<StoreBatch.Operation> ops = d.net().operations();
        assertEquals(4, ops.size());
        assertEquals(new StoreBatch.UpdateDeliveryCount("a", 5, 3), ops.get(0));
        assertEquals(new StoreBatch.RemoveReference("a", 5), ops.get(3));
    }

    @Test
    void nothingIsNettedWhenAReferenceIsAddedTwice() {
        DeferredBatches d = new DeferredBatches();
        d.add(List.of(send(1, "a"), new StoreBatch().removeReference("a", 1)), 1, DeferredBatchesTest::encode);
        d.add(List.of(new StoreBatch().addMessage(message(2)).addReference("a", 2).addReference("b", 2)), 2, DeferredBatchesTest::encode);
        d.add(List.of(new StoreBatch().addMessage(message(3)).addReference("a", 3)), 3, DeferredBatchesTest::encode);
        // A pair added twice cannot come from canDefer; netting must still not mistake it.
        d.add(List.of(new StoreBatch().add(new StoreBatch.AddReference("a", 1))), 4, DeferredBatchesTest::encode);
        assertEquals(9, d.net().operations().size(), "every operation, as buffered");
        d.clear();
        assertTrue(d.isEmpty());
        assertEquals(0, d.operations());
    }

    @Test
    void aCarriedMessageNetsWithItsAcknowledgementInALaterCycle() {
        DeferredBatches d = new DeferredBatches();
        d.add(List.of(send(1, "a", "b"), send(2, "a")), 7, DeferredBatchesTest::encode);
        d.add(List.of(new StoreBatch().removeReference("b", 1).removeReference("a", 2)), 8, DeferredBatchesTest::encode);
        StoreBatch carried = d.net();
        d.carried(carried);
        assertEquals(List.of(1L), d.encodings().keySet().stream().map(StoredMessage::id).toList(),
                "only the message still referenced keeps its bytes");
        assertEquals(encode(message(1)).length, d.bytes());
        assertEquals(2, d.operations());
        assertEquals(7, d.firstSequence(), "the carry stands for the groups from the first on");
        assertEquals(8, d.lastSequence());
        assertEquals(2, d.maxMessageId(), "H2 must still learn of the netted message's id");
        assertFalse(d.canDefer(send(1, "c"), 0), "a carried id is still buffered");

        d.add(List.of(new StoreBatch().removeReference("a", 1)), 9, DeferredBatchesTest::encode);
        assertEquals(List.of(), d.net().operations());
        assertEquals(7, d.firstSequence());
        assertEquals(9, d.lastSequence());
    }

    @Test
    void countsTheOperationsOnMessagesH2Holds() {
        DeferredBatches d = new DeferredBatches();
        d.add(List.of(send(6, "a"), new StoreBatch().removeReference("a", 4).updateDeliveryCount("a", 5, 2)
                .updateDeliveryCount("a", 6, 1)), 1, DeferredBatchesTest::encode);
        StoreBatch netted = d.net();
        assertEquals(2, d.operationsOnH2Messages(netted), "messages 4 and 5, not the buffered 6");
        assertTrue(d.carrySizeEstimate(netted) >= encode(message(6)).length);
    }
}
