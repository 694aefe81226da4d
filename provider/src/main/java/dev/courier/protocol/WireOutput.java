package dev.courier.protocol;

import dev.courier.message.Address;
import dev.courier.message.MessageCodec;
import dev.courier.message.MessageRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds one frame: reserves the 4-byte length, then appends big-endian fields; {@link #finish}
 * patches the length in. Not thread-safe; one instance per frame.
 */
final class WireOutput {

    private byte[] buf;
    private int pos;

    WireOutput(int initialCapacity) {
        buf = new byte[Math.max(32, initialCapacity)];
        pos = Frame.LENGTH_BYTES;
    }

    private void ensure(int extra) {
        long needed = (long) pos + extra;
        if (needed > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("frame too large to encode");
        }
        if (needed > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, buf.length * 2L)));
        }
    }

    void writeByte(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
    }

    void writeBoolean(boolean v) {
        writeByte(v ? 1 : 0);
    }

    void writeShort(int v) {
        ensure(2);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
    }

    void writeInt(int v) {
        ensure(4);
        putInt(buf, pos, v);
        pos += 4;
    }

    void writeLong(long v) {
        writeInt((int) (v >>> 32));
        writeInt((int) v);
    }

    void writeLongs(long[] values) {
        writeInt(values.length);
        ensure(values.length * 8);
        for (long v : values) {
            writeLong(v);
        }
    }

    /** UTF-8 with an int length; -1 for null. */
    void writeString(String s) {
        if (s == null) {
            writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeInt(b.length);
        writeRaw(b);
    }

    /** A kind byte (0 for null, else ordinal + 1) and the name. */
    void writeAddress(Address address) {
        if (address == null) {
            writeByte(0);
            return;
        }
        writeByte(address.kind().ordinal() + 1);
        writeString(address.name());
    }

    /** The record in {@link MessageCodec}'s form, with an int length. */
    void writeRecord(MessageRecord record) {
        ByteBuffer kept = record.encodedBuffer();
        if (kept == null) {
            writeEncodedRecord(MessageCodec.encode(record));
            return;
        }
        // Straight from the range the record keeps: no copy of it as an array first.
        int n = kept.remaining();
        writeInt(n);
        ensure(n);
        kept.get(buf, pos, n);
        pos += n;
    }

    void writeEncodedRecord(byte[] encoded) {
        writeInt(encoded.length);
        writeRaw(encoded);
    }

    private void writeRaw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    /** Bytes written so far, the length prefix included. */
    int size() {
        return pos;
    }

    /** The finished frame: length prefix (of what follows it), type byte, fields. */
    byte[] finish() {
        putInt(buf, 0, pos - Frame.LENGTH_BYTES);
        return pos == buf.length ? buf : Arrays.copyOf(buf, pos);
    }

    static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
