package dev.courier.message;

import java.util.Arrays;

/**
 * A growable byte sink for {@link MessageCodec}: varints, fixed-width primitives and
 * length-prefixed strings. Not thread-safe; one instance per encode.
 */
final class CodecWriter {

    private byte[] buf;
    private int pos;

    CodecWriter(int initialCapacity) {
        this(initialCapacity, 0);
    }

    /** Starts writing after {@code headroom} bytes left zero, for the caller's own header. */
    CodecWriter(int initialCapacity, int headroom) {
        buf = new byte[headroom + Math.max(1, initialCapacity)];
        pos = headroom;
    }

    private void ensure(int extra) {
        int needed = pos + extra;
        if (needed < 0) {
            throw new IllegalArgumentException("message too large to encode");
        }
        if (needed > buf.length) {
            int grown = Math.max(needed, buf.length * 2);
            buf = Arrays.copyOf(buf, grown < 0 ? needed : grown);
        }
    }

    void writeByte(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
    }

    /** Unsigned LEB128: small counts and lengths take one byte. */
    void writeVarInt(int v) {
        ensure(5);
        while ((v & ~0x7F) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    /** Zig-zag LEB128, so the usual zero expiration and delivery time take one byte. */
    void writeVarLong(long v) {
        ensure(10);
        long z = (v << 1) ^ (v >> 63);
        while ((z & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((z & 0x7F) | 0x80);
            z >>>= 7;
        }
        buf[pos++] = (byte) z;
    }

    void writeShort(int v) {
        ensure(2);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
    }

    void writeInt(int v) {
        ensure(4);
        buf[pos++] = (byte) (v >>> 24);
        buf[pos++] = (byte) (v >>> 16);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
    }

    void writeLong(long v) {
        writeInt((int) (v >>> 32));
        writeInt((int) v);
    }

    void writeBytes(byte[] b) {
        writeVarInt(b.length);
        ensure(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    /** Length-prefixed UTF-8 (see {@link Utf8}: lossless for every Java string). */
    void writeString(String s) {
        writeString(s, 0);
    }

    /** A string that may be null: length + 1, with 0 meaning null. */
    void writeNullableString(String s) {
        if (s == null) {
            writeVarInt(0);
        } else {
            writeString(s, 1);
        }
    }

    /** The UTF-8 length plus {@code lengthBias}, then the bytes. */
    private void writeString(String s, int lengthBias) {
        int start = pos;
        writeVarInt(s.length() + lengthBias);
        if (!writeAscii(s)) {
            pos = start;
            int n = Utf8.encodedLength(s);
            writeVarInt(n + lengthBias);
            ensure(n);
            pos = Utf8.encode(s, buf, pos);
        }
    }

    /**
     * Writes an all-ASCII string, whose UTF-8 length is its length, in one pass; returns false,
     * having moved nothing, at the first other character. Most IDs and names are ASCII, and this
     * saves measuring them before writing them.
     */
    private boolean writeAscii(String s) {
        int n = s.length();
        ensure(n);
        byte[] b = buf;
        int at = pos;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return false;
            }
            b[at + i] = (byte) c;
        }
        pos = at + n;
        return true;
    }

    /** The bytes written, headroom included: the buffer itself when they fill it exactly. */
    byte[] toByteArray() {
        return pos == buf.length ? buf : Arrays.copyOf(buf, pos);
    }
}
