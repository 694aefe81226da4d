package dev.courier.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Groups the commit journal made durable but H2 has not applied yet, and what they come to once
 * netted: a message added and acknowledged while both still wait here never touches H2. On a
 * queue whose consumers keep up, that is nearly every message, so H2's per-message work (rows,
 * indexes, undo log) leaves the send path.
 *
 * <p>Only batches H2 cannot reject are deferred ({@link #canDefer}): the store confirms them
 * before H2 sees them, so they must be valid whatever H2 holds. Adding a message whose id is
 * above every id H2 or this buffer has seen, with references to it in the same batch, removing a
 * reference and counting a delivery qualify (the last two do nothing when the reference is
 * gone); anything else (a reference to an older message, subscriptions) is applied after the
 * buffer, directly, as before.
 *
 * <p>Netting ({@link #net}), in order over the buffered operations: a reference added here and
 * removed here later is dropped with its removal and with its delivery counts; a message added
 * here whose every reference was dropped is dropped too. If any reference is added twice here
 * (the broker never does), nothing is netted.
 *
 * <p>Carrying ({@link #carried}): when the store writes the netted operations into the next
 * journal cycle instead of giving them to H2, they replace the buffer as one batch standing for
 * the same groups, so the next netting cancels a carried message with its later acknowledgement.
 *
 * <p>Writer thread only, like the H2 connection it feeds.
 */
final class DeferredBatches {

    private static final int NETTED = -1;

    private final List<StoreBatch> batches = new ArrayList<>();
    /** Codec bytes of the buffered messages, made for the journal, so H2 need not encode them again. */
    private final Map<StoredMessage, byte[]> encodings = new IdentityHashMap<>();
    private final Set<Long> messageIds = new HashSet<>();
    private int operations;
    /** Codec bytes held in {@link #encodings}. */
    private long bytes;
    private long firstSequence;
    private long lastSequence;
    private long maxMessageId;

    boolean isEmpty() {
        return batches.isEmpty();
    }

    /** Operations buffered, for the store's bound on how much waits here. */
    int operations() {
        return operations;
    }

    /** Codec bytes of the buffered messages, for the store's bound on the heap they take. */
    long bytes() {
        return bytes;
    }

    /** The journal sequence of the first group buffered: H2's applied mark is the one before it. */
    long firstSequence() {
        return firstSequence;
    }

    /** The journal sequence of the last group buffered: H2's applied mark once these are applied. */
    long lastSequence() {
        return lastSequence;
    }

    /** The highest message id buffered (0 if none), which H2 must know even when netting drops it. */
    long maxMessageId() {
        return maxMessageId;
    }

    /**
     * Whether H2 would accept the batch whatever it holds: see the class comment.
     *
     * @param h2LastMessageId the highest message id H2 has ever been given
     */
    boolean canDefer(StoreBatch batch, long h2LastMessageId) {
        if (batch.isEmpty()) {
            return false;
        }
        Set<Long> added = null;
        Set<StoreBatch.AddReference> referenced = null;
        for (StoreBatch.Operation op : batch.operations()) {
            if (op instanceof StoreBatch.AddMessage a) {
                long id = a.message().id();
                if (id <= h2LastMessageId || messageIds.contains(id)) {
                    return false;
                }
                if (added == null) {
                    added = new HashSet<>(4);
                }
                if (!added.add(id)) {
                    return false;
                }
            } else if (op instanceof StoreBatch.AddReference r) {
                if (added == null || !added.contains(r.messageId())) {
                    return false;
                }
                if (referenced == null) {
                    referenced = new HashSet<>(4);
                }
                if (!referenced.add(r)) {
                    return false;
                }
            } else if (!(op instanceof StoreBatch.RemoveReference) && !(op instanceof StoreBatch.UpdateDeliveryCount)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Buffers a group the journal holds under {@code sequence}; every batch passed
     * {@link #canDefer}. {@code encoded} gives the codec bytes the journal record was made of.
     */
    void add(List<StoreBatch> group, long sequence, Function<StoredMessage, byte[]> encoded) {
        if (batches.isEmpty()) {
            firstSequence = sequence;
        }
        for (StoreBatch batch : group) {
            batches.add(batch);
            operations += batch.operations().size();
            for (StoreBatch.Operation op : batch.operations()) {
                if (op instanceof StoreBatch.AddMessage a) {
                    messageIds.add(a.message().id());
                    byte[] codecBytes = encoded.apply(a.message());
                    encodings.put(a.message(), codecBytes);
                    bytes += codecBytes.length;
                    maxMessageId = Math.max(maxMessageId, a.message().id());
                }
            }
        }
        lastSequence = sequence;
    }

    /** The buffered operations, netted, as one batch (possibly empty). */
    StoreBatch net() {
        List<StoreBatch.Operation> ops = new ArrayList<>(operations);
        for (StoreBatch batch : batches) {
            ops.addAll(batch.operations());
        }
        boolean[] dropped = new boolean[ops.size()];
        // Per reference added here: where, or NETTED once a removal here cancelled it.
        Map<StoreBatch.AddReference, Integer> adds = new HashMap<>();
        // Per message: references added here minus those netted; 0 means every one was netted.
        Map<Long, Integer> liveReferences = new HashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            StoreBatch.Operation op = ops.get(i);
            if (op instanceof StoreBatch.AddReference r) {
                if (adds.putIfAbsent(r, i) != null) {
                    return unnetted(ops);
                }
                liveReferences.merge(r.messageId(), 1, Integer::sum);
            } else if (op instanceof StoreBatch.RemoveReference r) {
                StoreBatch.AddReference key = new StoreBatch.AddReference(r.queueName(), r.messageId());
                Integer at = adds.get(key);
                if (at != null && at != NETTED) {
                    dropped[at] = true;
                    dropped[i] = true;
                    adds.put(key, NETTED);
                    liveReferences.merge(r.messageId(), -1, Integer::sum);
                }
            }
        }
        StoreBatch result = new StoreBatch();
        for (int i = 0; i < ops.size(); i++) {
            StoreBatch.Operation op = ops.get(i);
            boolean drop = dropped[i];
            if (op instanceof StoreBatch.UpdateDeliveryCount u) {
                // A netted reference's delivery counts go with it.
                drop = Integer.valueOf(NETTED).equals(adds.get(new StoreBatch.AddReference(u.queueName(), u.messageId())));
            } else if (op instanceof StoreBatch.AddMessage a) {
                drop = Integer.valueOf(0).equals(liveReferences.get(a.message().id()));
            }
            if (!drop) {
                result.add(op);
            }
        }
        return result;
    }

    private static StoreBatch unnetted(List<StoreBatch.Operation> ops) {
        StoreBatch result = new StoreBatch();
        for (StoreBatch.Operation op : ops) {
            result.add(op);
        }
        return result;
    }

    /**
     * About how many bytes a carry record of {@code netted} (what {@link #net} returned) takes:
     * its messages' codec bytes plus a generous allowance per operation. Cheap, so the store can
     * choose between carrying and applying before it encodes anything.
     */
    long carrySizeEstimate(StoreBatch netted) {
        long size = 0;
        for (StoreBatch.Operation op : netted.operations()) {
            size += 64;
            if (op instanceof StoreBatch.AddMessage a) {
                byte[] codecBytes = encodings.get(a.message());
                size += codecBytes == null ? 0 : codecBytes.length;
            }
        }
        return size;
    }

    /**
     * How many of {@code netted}'s operations (what {@link #net} returned) change messages H2
     * holds, not buffered here: acknowledgements and delivery counts that no later netting can
     * cancel, and whose rows H2 must copy into its transaction's undo log when it applies them.
     */
    int operationsOnH2Messages(StoreBatch netted) {
        int count = 0;
        for (StoreBatch.Operation op : netted.operations()) {
            if (op instanceof StoreBatch.RemoveReference r && !messageIds.contains(r.messageId())
                    || op instanceof StoreBatch.UpdateDeliveryCount u && !messageIds.contains(u.messageId())) {
                count++;
            }
        }
        return count;
    }

    /**
     * Replaces the buffer with {@code netted} (what {@link #net} returned), now written as the
     * first record of a new journal cycle that stands for the same groups: the sequences and the
     * highest message id stay, and only the messages still referenced keep their bytes here.
     */
    void carried(StoreBatch netted) {
        Map<StoredMessage, byte[]> kept = new IdentityHashMap<>();
        messageIds.clear();
        bytes = 0;
        for (StoreBatch.Operation op : netted.operations()) {
            if (op instanceof StoreBatch.AddMessage a) {
                byte[] codecBytes = encodings.get(a.message());
                kept.put(a.message(), codecBytes);
                messageIds.add(a.message().id());
                bytes += codecBytes.length;
            }
        }
        encodings.clear();
        encodings.putAll(kept);
        batches.clear();
        batches.add(netted);
        operations = netted.operations().size();
    }

    /** The buffered messages' codec bytes, by message. */
    Map<StoredMessage, byte[]> encodings() {
        return encodings;
    }

    /** Forgets the buffer once H2 has applied it. */
    void clear() {
        batches.clear();
        encodings.clear();
        messageIds.clear();
        operations = 0;
        bytes = 0;
        maxMessageId = 0;
    }
}
