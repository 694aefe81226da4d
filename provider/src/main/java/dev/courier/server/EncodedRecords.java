package dev.courier.server;

import dev.courier.message.MessageCodec;
import dev.courier.message.MessageRecord;

/**
 * The encodings of the records delivered lately, so a message fanned out to many connections
 * (a topic's subscribers) is encoded once although each connection writes its own batch of
 * deliveries in turn. A small table indexed by identity: a miss only costs an encoding. Only
 * records of up to {@link #MAX_CACHED_BYTES} are kept, so it holds at most a few MiB; the
 * last record is always kept, whatever its size.
 *
 * <p>Threading: the selector thread only (it encodes deliveries as it writes them).
 */
final class EncodedRecords {

    private static final int SLOTS = 64;
    private static final int MAX_CACHED_BYTES = 16 * 1024;

    private final MessageRecord[] records = new MessageRecord[SLOTS];
    private final byte[][] encodings = new byte[SLOTS][];
    private MessageRecord lastRecord;
    private byte[] lastEncoded;

    /** The record in {@code MessageCodec} form; callers must not modify the array. */
    byte[] encode(MessageRecord record) {
        if (record == lastRecord) {
            return lastEncoded;
        }
        int slot = System.identityHashCode(record) & (SLOTS - 1);
        byte[] encoded;
        if (records[slot] == record) {
            encoded = encodings[slot];
        } else {
            encoded = MessageCodec.encode(record);
            if (encoded.length <= MAX_CACHED_BYTES) {
                records[slot] = record;
                encodings[slot] = encoded;
            }
        }
        lastRecord = record;
        lastEncoded = encoded;
        return encoded;
    }
}
