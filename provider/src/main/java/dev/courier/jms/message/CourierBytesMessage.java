package dev.courier.jms.message;

import dev.courier.message.BodyType;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UTFDataFormatException;

/**
 * Courier's {@link BytesMessage}: a stream of bytes in the {@code java.io.DataOutput} format.
 *
 * <p>New or cleared, the body is write-only and collects into a buffer made on the first write.
 * {@link #reset()} (or receipt) makes it read-only; reads then walk an array that is never
 * changed again, which for a received message is the record's own array, read in place.
 * A read that fails (end of body, malformed UTF) leaves the position where it was.
 *
 * <p>Not thread-safe, like every message.
 */
public final class CourierBytesMessage extends CourierMessage implements BytesMessage {

    private static final byte[] EMPTY = new byte[0];

    /** Write-only mode: the bytes written so far; null until the first write. */
    private BodyBuffer buffer;
    private DataOutputStream out;
    /** Read-only mode: the whole body, never modified once assigned; null in write-only mode. */
    private byte[] data;
    private int position;

    /** An empty bytes message in write-only mode. */
    public CourierBytesMessage() {
    }

    // ---------------------------------------------------------------- modes

    /** Makes the body read-only and moves to its first byte. */
    @Override
    public void reset() {
        if (data == null) {
            data = buffer == null ? EMPTY : buffer.snapshot();
            buffer = null;
            out = null;
        }
        position = 0;
    }

    /** Empties the body and returns it to write-only mode. */
    @Override
    public void clearBody() {
        buffer = null;
        out = null;
        data = null;
        position = 0;
    }

    @Override
    public long getBodyLength() throws JMSException {
        return readable().length;
    }

    private byte[] readable() throws MessageNotReadableException {
        if (data == null) {
            throw new MessageNotReadableException("the body is write-only; call reset() to read it");
        }
        return data;
    }

    private DataOutputStream writable() throws MessageNotWriteableException {
        if (data != null) {
            throw new MessageNotWriteableException("the body is read-only; call clearBody() to write");
        }
        if (out == null) {
            buffer = new BodyBuffer();
            out = new DataOutputStream(buffer);
        }
        return out;
    }

    /** Claims {@code count} bytes for a read, or fails without moving. */
    private int take(int count) throws JMSException {
        byte[] bytes = readable();
        if (bytes.length - position < count) {
            throw new MessageEOFException("the end of the body was reached: " + count
                    + " bytes wanted, " + (bytes.length - position) + " left");
        }
        int start = position;
        position += count;
        return start;
    }

    // ---------------------------------------------------------------- reads

    @Override
    public boolean readBoolean() throws JMSException {
        int i = take(1);
        return data[i] != 0;
    }

    @Override
    public byte readByte() throws JMSException {
        int i = take(1);
        return data[i];
    }

    @Override
    public int readUnsignedByte() throws JMSException {
        int i = take(1);
        return data[i] & 0xFF;
    }

    @Override
    public short readShort() throws JMSException {
        return (short) readUnsignedShort();
    }

    @Override
    public int readUnsignedShort() throws JMSException {
        int i = take(2);
        return ((data[i] & 0xFF) << 8) | (data[i + 1] & 0xFF);
    }

    @Override
    public char readChar() throws JMSException {
        return (char) readUnsignedShort();
    }

    @Override
    public int readInt() throws JMSException {
        return intAt(take(4));
    }

    @Override
    public long readLong() throws JMSException {
        int i = take(8);
        return ((long) intAt(i) << 32) | (intAt(i + 4) & 0xFFFFFFFFL);
    }

    @Override
    public float readFloat() throws JMSException {
        return Float.intBitsToFloat(readInt());
    }

    @Override
    public double readDouble() throws JMSException {
        return Double.longBitsToDouble(readLong());
    }

    private int intAt(int i) {
        return ((data[i] & 0xFF) << 24) | ((data[i + 1] & 0xFF) << 16)
                | ((data[i + 2] & 0xFF) << 8) | (data[i + 3] & 0xFF);
    }

    /** Reads a String in modified UTF-8 with a two-byte length, as {@link #writeUTF} wrote it. */
    @Override
    public String readUTF() throws JMSException {
        byte[] bytes = readable();
        int start = position;
        int length = 2 + readUnsignedShort();
        position = start;
        take(length);
        try {
            return new DataInputStream(new ByteArrayInputStream(bytes, start, length)).readUTF();
        } catch (IOException malformed) {
            position = start;
            MessageFormatException e = new MessageFormatException("malformed UTF-8 string: " + malformed);
            e.setLinkedException(malformed);
            throw e;
        }
    }

    @Override
    public int readBytes(byte[] value) throws JMSException {
        return readBytes(value, value.length);
    }

    /**
     * Fills up to {@code length} bytes; returns how many were read, or -1 at the end of the body.
     *
     * @throws IndexOutOfBoundsException when length is negative or longer than the array
     */
    @Override
    public int readBytes(byte[] value, int length) throws JMSException {
        if (length < 0 || length > value.length) {
            throw new IndexOutOfBoundsException("length " + length + " for an array of "
                    + value.length);
        }
        byte[] bytes = readable();
        int available = bytes.length - position;
        if (available == 0) {
            return -1;
        }
        int count = Math.min(available, length);
        System.arraycopy(bytes, position, value, 0, count);
        position += count;
        return count;
    }

    // ---------------------------------------------------------------- writes

    @Override
    public void writeBoolean(boolean value) throws JMSException {
        write(() -> writable().writeBoolean(value));
    }

    @Override
    public void writeByte(byte value) throws JMSException {
        write(() -> writable().writeByte(value));
    }

    @Override
    public void writeShort(short value) throws JMSException {
        write(() -> writable().writeShort(value));
    }

    @Override
    public void writeChar(char value) throws JMSException {
        write(() -> writable().writeChar(value));
    }

    @Override
    public void writeInt(int value) throws JMSException {
        write(() -> writable().writeInt(value));
    }

    @Override
    public void writeLong(long value) throws JMSException {
        write(() -> writable().writeLong(value));
    }

    @Override
    public void writeFloat(float value) throws JMSException {
        write(() -> writable().writeFloat(value));
    }

    @Override
    public void writeDouble(double value) throws JMSException {
        write(() -> writable().writeDouble(value));
    }

    /** @throws MessageFormatException when the encoded string is longer than 65535 bytes */
    @Override
    public void writeUTF(String value) throws JMSException {
        write(() -> writable().writeUTF(value));
    }

    @Override
    public void writeBytes(byte[] value) throws JMSException {
        writeBytes(value, 0, value.length);
    }

    @Override
    public void writeBytes(byte[] value, int offset, int length) throws JMSException {
        writable();
        // Straight into the buffer: no stream layer and no lambda for the common bulk write.
        buffer.write(value, offset, length);
    }

    /**
     * Writes a primitive wrapper, String (as UTF) or byte[] like the matching typed method.
     *
     * @throws NullPointerException when the value is null, as the javadoc requires
     * @throws MessageFormatException for any other type
     */
    @Override
    public void writeObject(Object value) throws JMSException {
        if (value == null) {
            throw new NullPointerException("BytesMessage.writeObject does not accept null");
        }
        if (value instanceof Boolean) {
            writeBoolean((Boolean) value);
        } else if (value instanceof Byte) {
            writeByte((Byte) value);
        } else if (value instanceof Short) {
            writeShort((Short) value);
        } else if (value instanceof Character) {
            writeChar((Character) value);
        } else if (value instanceof Integer) {
            writeInt((Integer) value);
        } else if (value instanceof Long) {
            writeLong((Long) value);
        } else if (value instanceof Float) {
            writeFloat((Float) value);
        } else if (value instanceof Double) {
            writeDouble((Double) value);
        } else if (value instanceof String) {
            writeUTF((String) value);
        } else if (value instanceof byte[]) {
            writeBytes((byte[]) value);
        } else {
            throw new MessageFormatException("writeObject accepts primitive wrappers, String and "
                    + "byte[], not " + value.getClass().getName());
        }
    }

    /** A write to the in-memory stream; only an over-long UTF string can make it fail. */
    private interface Write {
        void run() throws IOException, JMSException;
    }

    private static void write(Write write) throws JMSException {
        try {
            write.run();
        } catch (UTFDataFormatException tooLong) {
            MessageFormatException e = new MessageFormatException("string too long for writeUTF");
            e.setLinkedException(tooLong);
            throw e;
        } catch (IOException impossible) {
            throw new IllegalStateException("in-memory write failed", impossible);
        }
    }

    // ---------------------------------------------------------------- record and getBody

    @Override
    BodyType bodyType() {
        return BodyType.BYTES;
    }

    /** The exact bytes, as an array nothing changes: the buffer's (copied on its next write) or the read-only one. */
    @Override
    Object bodySnapshot() {
        if (data != null) {
            return data;
        }
        return buffer == null ? EMPTY : buffer.snapshot();
    }

    @Override
    void receiveBody(Object recordBody, DeserializationPolicy policy) {
        data = recordBody == null ? EMPTY : (byte[]) recordBody;
        position = 0;
    }

    @Override
    boolean hasNoBody() {
        return data != null ? data.length == 0 : buffer == null || buffer.size() == 0;
    }

    /** The whole body whatever the mode and position, as a copy; the position does not move. */
    @Override
    Object bodyValue() {
        return ((byte[]) bodySnapshot()).clone();
    }
}
