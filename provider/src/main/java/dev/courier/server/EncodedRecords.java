package dev.courier.server;

import dev.courier.message.MessageCodec;
import dev.courier.message.MessageRecord;
import java.nio.ByteBuffer;

/**
 * The encodings of the records delivered lately, so a message is not encoded again for each
 * delivery: a message fanned out to many connections (a topic's subscribers) is encoded once
 * although each connection writes its batch of deliveries in turn. A message that came from a
 * client carries the bytes it came in ({@link MessageRecord#encodedBuffer()}) and needs no entry; the
 * table is for the others (sent over {@code vm://}, or made by the broker). A small table indexed
 * by identity: a miss only costs an encoding. Only records of up to {@link #MAX_CACHED_BYTES}
 * are kept, so it holds a few MiB at most; the last record encoded is kept whatever its size.
 *
 * <p>Threading: the selector thread only (it encodes deliveries as it writes them). The bytes
 * handed out are shared; each caller gets a buffer of its own over them.
 */
final class EncodedRecords {

    private static final int SLOTS = 256;
    private static final int MAX_CACHED_BYTES = 16 * 1024;

    private final MessageRecord[] records = new MessageRecord[SLOTS];
    private final byte[][] encodings = new byte[SLOTS][];
    private MessageRecord lastRecord;
    private byte[] lastEncoded;

    /**
     * The record in {@code MessageCodec} form: a buffer of the caller's own, over bytes that are
     * shared and must never be modified.
     */
    ByteBuffer encode(MessageRecord record) {
        ByteBuffer kept = record.encodedBuffer();
        return kept != null ? kept : ByteBuffer.wrap(bytesOf(record));
    }

    private byte[] bytesOf(MessageRecord record) {
        if (record == lastRecord) {
            return lastEncoded;
        }
        int slot = slot(record);
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

    private static int slot(MessageRecord record) {
        return System.identityHashCode(record) & (SLOTS - 1);
    }
}
