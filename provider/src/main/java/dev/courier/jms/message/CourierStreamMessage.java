package dev.courier.jms.message;

import dev.courier.message.BodyType;
import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.StreamMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Courier's {@link StreamMessage}: a sequence of typed values read back in order with the
 * conversion table of spec 3.11.3.
 *
 * <p>New or cleared, the body is write-only; {@link #reset()} (or receipt) makes it read-only.
 * A read that fails for any reason (wrong type, unparsable String, null as a primitive, end of
 * stream) leaves the position where it was, so the field can be read again as another type, as
 * the javadoc requires for {@code MessageFormatException} and {@code NumberFormatException}.
 * A {@code byte[]} field read with {@link #readBytes} in pieces must be read to its end before
 * any other read.
 *
 * <p>A received message reads the record's unmodifiable list in place. Not thread-safe.
 */
public final class CourierStreamMessage extends CourierMessage implements StreamMessage {

    /** Null until the first write; read-only lists are never modified once assigned. */
    private List<Object> values;
    private boolean bodyReadOnly;
    /** True while {@link #values} is immutable and may be handed to a record as it is. */
    private boolean frozen;
    private int position;
    /** How much of the current byte[] field readBytes has delivered; -1 when none is in progress. */
    private int bytesOffset = -1;

    /** An empty stream message in write-only mode. */
    public CourierStreamMessage() {
    }

    // ---------------------------------------------------------------- modes

    /** Makes the body read-only and moves to its first value. */
    @Override
    public void reset() {
        bodyReadOnly = true;
        position = 0;
        bytesOffset = -1;
    }

    /** Empties the body and returns it to write-only mode. */
    @Override
    public void clearBody() {
        values = null;
        frozen = false;
        bodyReadOnly = false;
        position = 0;
        bytesOffset = -1;
    }

    // ---------------------------------------------------------------- reads

    /** The next value, without moving past it; refused while a byte[] field is half read. */
    private Object peek() throws JMSException {
        if (bytesOffset >= 0) {
            throw new MessageFormatException("the byte[] field being read with readBytes must be "
                    + "read to its end first");
        }
        return peekField();
    }

    private Object peekField() throws JMSException {
        if (!bodyReadOnly) {
            throw new MessageNotReadableException("the body is write-only; call reset() to read it");
        }
        if (values == null || position >= values.size()) {
            throw new MessageEOFException("the end of the stream was reached");
        }
        return values.get(position);
    }

    /** Every read converts the peeked value first, then advances: a failed conversion does not. */
    private void advance() {
        position++;
        bytesOffset = -1;
    }

    @Override
    public boolean readBoolean() throws JMSException {
        boolean value = TypedValues.toBoolean(peek());
        advance();
        return value;
    }

    @Override
    public byte readByte() throws JMSException {
        byte value = TypedValues.toByte(peek());
        advance();
        return value;
    }

    @Override
    public short readShort() throws JMSException {
        short value = TypedValues.toShort(peek());
        advance();
        return value;
    }

    @Override
    public char readChar() throws JMSException {
        char value = TypedValues.toChar(peek());
        advance();
        return value;
    }

    @Override
    public int readInt() throws JMSException {
        int value = TypedValues.toInt(peek());
        advance();
        return value;
    }

    @Override
    public long readLong() throws JMSException {
        long value = TypedValues.toLong(peek());
        advance();
        return value;
    }

    @Override
    public float readFloat() throws JMSException {
        float value = TypedValues.toFloat(peek());
        advance();
        return value;
    }

    @Override
    public double readDouble() throws JMSException {
        double value = TypedValues.toDouble(peek());
        advance();
        return value;
    }

    @Override
    public String readString() throws JMSException {
        String value = TypedValues.toText(peek());
        advance();
        return value;
    }

    /** The next value as a wrapper, String, a copied byte[] or null. */
    @Override
    public Object readObject() throws JMSException {
        Object value = TypedValues.exposedValue(peek());
        advance();
        return value;
    }

    /**
     * Copies the next piece of a byte[] field. Returns the count copied; a count below the
     * buffer's length ends the field. After a count equal to the buffer's length the next call
     * continues the field and returns -1 if nothing was left. A null field returns -1 and an
     * empty one 0, both ending the field.
     */
    @Override
    public int readBytes(byte[] buffer) throws JMSException {
        Object value = peekField();
        if (value == null) {
            advance();
            return -1;
        }
        if (!(value instanceof byte[])) {
            throw new MessageFormatException("a " + value.getClass().getSimpleName()
                    + " value cannot be read as byte[]");
        }
        byte[] field = (byte[]) value;
        boolean continuing = bytesOffset >= 0;
        int offset = continuing ? bytesOffset : 0;
        int count = Math.min(field.length - offset, buffer.length);
        if (offset == field.length) {
            advance();
            return continuing ? -1 : 0;
        }
        System.arraycopy(field, offset, buffer, 0, count);
        if (count < buffer.length) {
            advance();
        } else {
            bytesOffset = offset + count;
        }
        return count;
    }

    // ---------------------------------------------------------------- writes

    private void append(Object value) throws MessageNotWriteableException {
        if (bodyReadOnly) {
            throw new MessageNotWriteableException("the body is read-only; call clearBody() to write");
        }
        if (values == null || frozen) {
            values = values == null ? new ArrayList<>() : new ArrayList<>(values);
            frozen = false;
        }
        values.add(value);
    }

    @Override
    public void writeBoolean(boolean value) throws JMSException {
        append(value);
    }

    @Override
    public void writeByte(byte value) throws JMSException {
        append(value);
    }

    @Override
    public void writeShort(short value) throws JMSException {
        append(value);
    }

    @Override
    public void writeChar(char value) throws JMSException {
        append(value);
    }

    @Override
    public void writeInt(int value) throws JMSException {
        append(value);
    }

    @Override
    public void writeLong(long value) throws JMSException {
        append(value);
    }

    @Override
    public void writeFloat(float value) throws JMSException {
        append(value);
    }

    @Override
    public void writeDouble(double value) throws JMSException {
        append(value);
    }

    @Override
    public void writeString(String value) throws JMSException {
        append(value);
    }

    /** Appends a copy of the array; null appends a null value. */
    @Override
    public void writeBytes(byte[] value) throws JMSException {
        append(value == null ? null : value.clone());
    }

    @Override
    public void writeBytes(byte[] value, int offset, int length) throws JMSException {
        byte[] slice = new byte[length];
        System.arraycopy(value, offset, slice, 0, length);
        append(slice);
    }

    /**
     * Appends a primitive wrapper, String, byte[] (copied) or null.
     *
     * @throws MessageFormatException for any other type
     */
    @Override
    public void writeObject(Object value) throws JMSException {
        Object owned = TypedValues.ownedBodyValue(value);
        append(owned);
    }

    // ---------------------------------------------------------------- record and getBody

    @Override
    BodyType bodyType() {
        return BodyType.STREAM;
    }

    /**
     * An unmodifiable list for a record. Once the body is read-only its list is frozen and shared
     * by every later snapshot; a write after clearBody starts a new list, so sharing is safe.
     */
    @Override
    Object bodySnapshot() {
        if (values == null) {
            return Collections.emptyList();
        }
        if (frozen) {
            return values;
        }
        List<Object> copy = Collections.unmodifiableList(new ArrayList<>(values));
        if (bodyReadOnly) {
            values = copy;
            frozen = true;
        }
        return copy;
    }

    @Override
    @SuppressWarnings("unchecked")
    void receiveBody(Object recordBody, DeserializationPolicy policy) {
        List<Object> list = (List<Object>) recordBody;
        values = list == null || list.isEmpty() ? null : list;
        frozen = true;
        bodyReadOnly = true;
        position = 0;
        bytesOffset = -1;
    }

    /** A stream body can never be had through getBody. */
    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        throw new MessageFormatException("the body of a StreamMessage cannot be read with getBody");
    }

    @Override
    @SuppressWarnings("rawtypes")
    public boolean isBodyAssignableTo(Class c) {
        return false;
    }
}
