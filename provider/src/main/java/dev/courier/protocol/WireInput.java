package dev.courier.protocol;

import dev.courier.message.Address;
import dev.courier.message.MessageCodec;
import dev.courier.message.MessageRecord;
import java.nio.charset.StandardCharsets;

/**
 * Reads the fields of one frame body. Every read checks the bytes left first, so a truncated or
 * corrupt frame fails with a {@link ProtocolException} and a bogus length or count never makes
 * it allocate more than the frame holds. Not thread-safe.
 */
final class WireInput {

    private static final Address.Kind[] KINDS = Address.Kind.values();

    private final byte[] buf;
    private final int end;
    private int pos;

    WireInput(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    int remaining() {
        return end - pos;
    }

    private void need(int n, String what) throws ProtocolException {
        if (n < 0 || n > end - pos) {
            throw new ProtocolException("truncated frame: " + what + " needs " + n + " bytes, " + (end - pos) + " left");
        }
    }

    int readByte(String what) throws ProtocolException {
        need(1, what);
        return buf[pos++] & 0xFF;
    }

    boolean readBoolean(String what) throws ProtocolException {
        int b = readByte(what);
        if (b > 1) {
            throw new ProtocolException("corrupt frame: " + what + " is " + b + ", not a boolean");
        }
        return b == 1;
    }

    int readShort(String what) throws ProtocolException {
        need(2, what);
        int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    int readInt(String what) throws ProtocolException {
        need(4, what);
        int v = getInt(buf, pos);
        pos += 4;
        return v;
    }

    long readLong(String what) throws ProtocolException {
        long hi = readInt(what) & 0xFFFFFFFFL;
        return (hi << 32) | (readInt(what) & 0xFFFFFFFFL);
    }

    long[] readLongs(String what) throws ProtocolException {
        int n = readInt(what + " count");
        if (n < 0 || n > remaining() / 8) {
            throw new ProtocolException("corrupt frame: " + what + " count " + n + " does not fit the " + remaining() + " bytes left");
        }
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = readLong(what);
        }
        return values;
    }

    /** A count of items that each take at least {@code minBytes}. */
    int readCount(String what, int minBytes) throws ProtocolException {
        int n = readInt(what + " count");
        if (n < 0 || n > remaining() / minBytes) {
            throw new ProtocolException("corrupt frame: " + what + " count " + n + " does not fit the " + remaining() + " bytes left");
        }
        return n;
    }

    String readString(String what) throws ProtocolException {
        int n = readInt(what + " length");
        if (n == -1) {
            return null;
        }
        need(n, what);
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    String readRequiredString(String what) throws ProtocolException {
        String s = readString(what);
        if (s == null) {
            throw new ProtocolException("corrupt frame: " + what + " must not be null");
        }
        return s;
    }

    Address readAddress(String what) throws ProtocolException {
        int kind = readByte(what);
        if (kind == 0) {
            return null;
        }
        if (kind > KINDS.length) {
            throw new ProtocolException("corrupt frame: " + what + " has unknown kind " + kind);
        }
        return Address.of(KINDS[kind - 1], readRequiredString(what));
    }

    /** What a decoded record keeps of the bytes it was read from. */
    enum Keep {
        /** Nothing: a record a client only reads. */
        NOTHING,
        /** A copy of its bytes: one record of several in a frame, which must not keep the others alive. */
        COPY,
        /** The frame's own array: the only record in a frame nobody modifies again. */
        FRAME
    }

    /**
     * A length-prefixed record; one a client sent keeps its bytes, from which the broker then
     * delivers and stores it (see {@link MessageCodec#decodeKeepingEncoding}).
     */
    MessageRecord readRecord(String what, Keep keep) throws ProtocolException {
        int n = readInt(what + " length");
        need(n, what);
        try {
            MessageRecord record = switch (keep) {
                case NOTHING -> MessageCodec.decode(buf, pos, n);
                case COPY -> MessageCodec.decodeKeepingEncoding(buf, pos, n);
                case FRAME -> MessageCodec.decodeSharingEncoding(buf, pos, n);
            };
            pos += n;
            return record;
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("corrupt frame: " + what + ": " + e.getMessage());
        }
    }

    void expectEnd(String frame) throws ProtocolException {
        if (pos != end) {
            throw new ProtocolException("corrupt frame: " + (end - pos) + " bytes after the end of " + frame);
        }
    }

    static int getInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }
}
