package dev.courier.message;

/**
 * Reads what {@link CodecWriter} wrote, from a slice of an array. Every read checks the bytes
 * left first, so truncated or corrupt input fails with {@link IllegalArgumentException} and a
 * bogus length can never make it allocate more than the input holds. Not thread-safe.
 */
final class CodecReader {

    private final byte[] buf;
    private final int end;
    private int pos;

    CodecReader(byte[] buf, int offset, int length) {
        if (offset < 0 || length < 0 || offset > buf.length - length) {
            throw new IllegalArgumentException("offset " + offset + " and length " + length
                    + " outside an array of " + buf.length + " bytes");
        }
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    int position() {
        return pos;
    }

    int remaining() {
        return end - pos;
    }

    private void need(int n, String what) {
        if (n > end - pos) {
            throw new IllegalArgumentException("truncated message: " + what + " needs " + n
                    + " bytes, " + (end - pos) + " left");
        }
    }

    int readByte() {
        need(1, "a byte");
        return buf[pos++];
    }

    int readUnsignedByte() {
        return readByte() & 0xFF;
    }

    /** A non-negative int; anything larger than {@link Integer#MAX_VALUE} is corrupt. */
    int readVarInt() {
        int result = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = readUnsignedByte();
            result |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (shift == 28 && (b & 0x78) != 0) {
                    throw new IllegalArgumentException("corrupt message: varint exceeds Integer.MAX_VALUE");
                }
                return result;
            }
        }
        throw new IllegalArgumentException("corrupt message: varint longer than 5 bytes");
    }

    long readVarLong() {
        long z = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = readUnsignedByte();
            z |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return (z >>> 1) ^ -(z & 1);
            }
        }
        throw new IllegalArgumentException("corrupt message: varlong longer than 10 bytes");
    }

    short readShort() {
        need(2, "a short");
        int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
        pos += 2;
        return (short) v;
    }

    int readInt() {
        need(4, "an int");
        int v = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16)
                | ((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    long readLong() {
        long hi = readInt() & 0xFFFFFFFFL;
        long lo = readInt() & 0xFFFFFFFFL;
        return (hi << 32) | lo;
    }

    /** A count of items that each take at least one byte: more than the bytes left is corrupt. */
    int readCount(String what) {
        int n = readVarInt();
        if (n < 0 || n > remaining()) {
            throw new IllegalArgumentException("corrupt message: " + what + " count " + n
                    + " exceeds the " + remaining() + " bytes left");
        }
        return n;
    }

    private int readLength(int n, String what) {
        if (n < 0) {
            throw new IllegalArgumentException("corrupt message: negative " + what + " length");
        }
        need(n, what);
        return n;
    }

    byte[] readBytes() {
        int n = readLength(readVarInt(), "byte array");
        byte[] b = new byte[n];
        System.arraycopy(buf, pos, b, 0, n);
        pos += n;
        return b;
    }

    void skip(int n) {
        need(n, n + " bytes");
        pos += n;
    }

    void skipBytes() {
        int n = readLength(readVarInt(), "byte array");
        pos += n;
    }

    /** Checks a string as {@link #readString} would read it (its UTF-8 too) without making it. */
    void skipString() {
        skipChecked(readVarInt());
    }

    /** Checks {@code n} bytes of UTF-8 (a string whose length was read) and moves past them. */
    void skipChecked(int n) {
        readLength(n, "string");
        Utf8.check(buf, pos, n);
        pos += n;
    }

    String readString() {
        int n = readLength(readVarInt(), "string");
        String s = Utf8.decode(buf, pos, n);
        pos += n;
        return s;
    }

    String readNullableString() {
        int n = readVarInt();
        if (n == 0) {
            return null;
        }
        n = readLength(n - 1, "string");
        String s = Utf8.decode(buf, pos, n);
        pos += n;
        return s;
    }
}
