package dev.courier.store;

import dev.courier.message.MessageCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The payload of a {@link CommitJournal} record: the batches of one group that were applied, in
 * order, as {@code [int batch count]} then per batch {@code [int operation count]} and per
 * operation a tag byte and its fields (longs, ints, booleans as a byte, strings as an int UTF-8
 * length, -1 for null, then the bytes; a message as its id and its {@link MessageCodec} bytes).
 *
 * <p>A carry record (see {@link JournalledH2Writer}'s checkpoints) stands for a run of groups
 * H2 has not applied, netted into one batch: {@code [int -1][long first group's sequence][long
 * highest message id of the groups]} then that batch as above ({@code [int operation count]}
 * and the operations). The record's own sequence is the run's last group's.
 *
 * <p>Thread ownership: one instance per store, used by the writer thread (and the opening thread
 * before it starts); its buffer is reused from group to group.
 */
final class JournalCodec {

    private static final byte ADD_MESSAGE = 1;
    private static final byte ADD_REFERENCE = 2;
    private static final byte REMOVE_REFERENCE = 3;
    private static final byte UPDATE_DELIVERY_COUNT = 4;
    private static final byte ADD_SUBSCRIPTION = 5;
    private static final byte REMOVE_SUBSCRIPTION = 6;

    /** The batch count that marks a carry record instead. */
    private static final int CARRY = -1;

    private static final int INITIAL = 64 * 1024;
    private static final int MAX_KEPT = 4 * 1024 * 1024;

    private ByteBuffer buffer = ByteBuffer.allocate(INITIAL);

    /**
     * Encodes the batches whose result is null (applied) after {@link CommitJournal#HEADER}
     * reserved bytes.
     *
     * @param encoded a message's codec bytes (the writer's, so a message is encoded once)
     * @return the reused buffer, position 0, limit at the payload's end; valid until the next call
     */
    ByteBuffer encode(List<StoreBatch> batches, List<StoreException> results, Function<StoredMessage, byte[]> encoded) {
        startRecord();
        int applied = 0;
        for (StoreException r : results) {
            if (r == null) {
                applied++;
            }
        }
        putInt(applied);
        for (int i = 0; i < batches.size(); i++) {
            if (results.get(i) != null) {
                continue;
            }
            List<StoreBatch.Operation> ops = batches.get(i).operations();
            putInt(ops.size());
            for (StoreBatch.Operation op : ops) {
                put(op, encoded);
            }
        }
        return buffer.flip();
    }

    /**
     * Encodes a carry record for the groups from {@code firstSequence} on, netted into
     * {@code netted}, after {@link CommitJournal#HEADER} reserved bytes.
     *
     * @return the reused buffer, as {@link #encode} returns it
     */
    ByteBuffer encodeCarry(long firstSequence, long maxMessageId, StoreBatch netted,
            Function<StoredMessage, byte[]> encoded) {
        startRecord();
        putInt(CARRY);
        putLong(firstSequence);
        putLong(maxMessageId);
        putInt(netted.operations().size());
        for (StoreBatch.Operation op : netted.operations()) {
            put(op, encoded);
        }
        return buffer.flip();
    }

    private void startRecord() {
        if (buffer.capacity() > MAX_KEPT) {
            // One huge transaction must not pin its size for the store's lifetime.
            buffer = ByteBuffer.allocate(INITIAL);
        }
        buffer.clear().position(CommitJournal.HEADER);
    }

    /** What a decoded record holds: groups' batches, or a carry of netted groups. */
    record Decoded(List<StoreBatch> batches, boolean carry, long firstSequence, long maxMessageId) {
    }

    private void put(StoreBatch.Operation op, Function<StoredMessage, byte[]> encoded) {
        if (op instanceof StoreBatch.AddMessage a) {
            byte[] bytes = encoded.apply(a.message());
            room(1 + 8 + 4 + bytes.length);
            buffer.put(ADD_MESSAGE).putLong(a.message().id()).putInt(bytes.length).put(bytes);
        } else if (op instanceof StoreBatch.AddReference a) {
            putTag(ADD_REFERENCE);
            putString(a.queueName());
            putLong(a.messageId());
        } else if (op instanceof StoreBatch.RemoveReference r) {
            putTag(REMOVE_REFERENCE);
            putString(r.queueName());
            putLong(r.messageId());
        } else if (op instanceof StoreBatch.UpdateDeliveryCount u) {
            putTag(UPDATE_DELIVERY_COUNT);
            putString(u.queueName());
            putLong(u.messageId());
            putInt(u.deliveryCount());
        } else if (op instanceof StoreBatch.AddSubscription a) {
            SubscriptionDefinition s = a.subscription();
            putTag(ADD_SUBSCRIPTION);
            putString(s.clientId());
            putString(s.name());
            putString(s.topic());
            putString(s.selector());
            putTag((byte) (s.noLocal() ? 1 : 0));
            putTag((byte) (s.shared() ? 1 : 0));
            putString(s.queueName());
        } else if (op instanceof StoreBatch.RemoveSubscription r) {
            putTag(REMOVE_SUBSCRIPTION);
            putString(r.clientId());
            putString(r.name());
        } else {
            throw new IllegalArgumentException("unknown operation " + op);
        }
    }

    /**
     * Decodes a payload, groups or a carry, and each message's codec bytes into {@code encoded}.
     *
     * @throws StoreException when the payload is malformed (its CRC passed, so a bug or a newer format)
     */
    static Decoded decodeRecord(ByteBuffer in, Map<StoredMessage, byte[]> encoded) throws StoreException {
        try {
            int batchCount = in.getInt();
            boolean carry = batchCount == CARRY;
            long firstSequence = 0;
            long maxMessageId = 0;
            if (carry) {
                firstSequence = in.getLong();
                maxMessageId = in.getLong();
                batchCount = 1;
            }
            List<StoreBatch> batches = new ArrayList<>(batchCount);
            for (int b = 0; b < batchCount; b++) {
                StoreBatch batch = new StoreBatch();
                int opCount = in.getInt();
                for (int o = 0; o < opCount; o++) {
                    byte tag = in.get();
                    switch (tag) {
                        case ADD_MESSAGE -> {
                            long id = in.getLong();
                            byte[] bytes = new byte[in.getInt()];
                            in.get(bytes);
                            StoredMessage m = new StoredMessage(id, MessageCodec.decode(bytes));
                            encoded.put(m, bytes);
                            batch.addMessage(m);
                        }
                        case ADD_REFERENCE -> batch.addReference(getString(in), in.getLong());
                        case REMOVE_REFERENCE -> batch.removeReference(getString(in), in.getLong());
                        case UPDATE_DELIVERY_COUNT -> batch.updateDeliveryCount(getString(in), in.getLong(), in.getInt());
                        case ADD_SUBSCRIPTION -> batch.addSubscription(new SubscriptionDefinition(getString(in),
                                getString(in), getString(in), getString(in), in.get() != 0, in.get() != 0, getString(in)));
                        case REMOVE_SUBSCRIPTION -> batch.removeSubscription(getString(in), getString(in));
                        default -> throw new IllegalArgumentException("unknown operation tag " + tag);
                    }
                }
                batches.add(batch);
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " bytes left over");
            }
            return new Decoded(batches, carry, firstSequence, maxMessageId);
        } catch (RuntimeException e) {
            throw new StoreException("unreadable journal record: " + e.getMessage(), e);
        }
    }

    private static String getString(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0) {
            return null;
        }
        String s = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }

    private void putTag(byte tag) {
        room(1);
        buffer.put(tag);
    }

    private void putInt(int v) {
        room(4);
        buffer.putInt(v);
    }

    private void putLong(long v) {
        room(8);
        buffer.putLong(v);
    }

    private void putString(String s) {
        if (s == null) {
            putInt(-1);
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        room(4 + bytes.length);
        buffer.putInt(bytes.length).put(bytes);
    }

    private void room(int bytes) {
        if (buffer.remaining() < bytes) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + bytes));
            bigger.put(buffer.flip());
            buffer = bigger;
        }
    }
}
