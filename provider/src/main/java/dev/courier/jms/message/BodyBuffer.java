package dev.courier.jms.message;

import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * The growing body of a message being written, which hands its bytes to a record without a
 * copy when they fill the array exactly (a body written in one call, the common case), and
 * otherwise trims once. The array handed out is shared with the record from then on, so the
 * next write copies first: a message changed after {@code send} never changes what was sent.
 *
 * <p>Not thread-safe, like the message that owns it.
 */
final class BodyBuffer extends OutputStream {

    private static final byte[] EMPTY = new byte[0];
    private static final int MIN_CAPACITY = 64;

    private byte[] bytes = EMPTY;
    private int size;
    /** True while {@link #bytes} is also a record's body and must not be written. */
    private boolean shared;

    int size() {
        return size;
    }

    @Override
    public void write(int b) {
        ensureWritable(1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureWritable(len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }

    /** The bytes written so far as an array nothing writes again (the same one until the next write). */
    byte[] snapshot() {
        if (size != bytes.length) {
            bytes = Arrays.copyOf(bytes, size);
        }
        shared = true;
        return bytes;
    }

    private void ensureWritable(int len) {
        int needed = size + len;
        if (needed < 0) {
            throw new OutOfMemoryError("message body over 2 GiB");
        }
        if (needed > bytes.length || shared) {
            // The first write sizes the array exactly (a body written in one go needs no trim);
            // later ones at least double it, so a body of many small writes copies O(n) bytes.
            // A shared array is full (snapshot trimmed it), so any write lands here and copies.
            int capacity = bytes.length == 0 ? Math.max(needed, MIN_CAPACITY) : Math.max(needed, bytes.length * 2);
            bytes = Arrays.copyOf(bytes, capacity);
            shared = false;
        }
    }
}
