package dev.courier.jms.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.message.BodyType;
import dev.courier.message.MessageRecord;
import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StreamMessageTest {

    static Stream<Arguments> pairs() {
        return ValueKind.allPairs(Arrays.asList(ValueKind.values()));
    }

    @ParameterizedTest(name = "{0} value read as {1}")
    @MethodSource("pairs")
    void valueIsReadableExactlyAsTheTableSays(ValueKind written, ValueKind read) throws JMSException {
        CourierStreamMessage m = new CourierStreamMessage();
        write(m, written);
        m.reset();
        assertReadAsTable(m, written, read);
    }

    @ParameterizedTest(name = "received {0} value read as {1}")
    @MethodSource("pairs")
    void receivedValueConvertsTheSameWay(ValueKind written, ValueKind read) throws JMSException {
        CourierStreamMessage m = new CourierStreamMessage();
        write(m, written);
        assertReadAsTable((CourierStreamMessage) CourierMessage.fromRecord(m.toRecord(), 1, false, null),
                written, read);
    }

    /** Also checks that a failed read does not advance: the field is then read as its own type. */
    private static void assertReadAsTable(CourierStreamMessage m, ValueKind written, ValueKind read)
            throws JMSException {
        if (written.readableAs(read)) {
            Object value = read(m, read);
            if (read == ValueKind.BYTES) {
                assertArrayEquals((byte[]) written.expectedAs(read), (byte[]) value);
            } else {
                assertEquals(written.expectedAs(read), value);
            }
        } else {
            assertThrows(MessageFormatException.class, () -> read(m, read));
            Object again = read(m, written);
            if (written == ValueKind.BYTES) {
                assertArrayEquals((byte[]) written.sample(), (byte[]) again);
            } else {
                assertEquals(written.sample(), again);
            }
        }
        assertThrows(MessageEOFException.class, m::readObject);
    }

    private static void write(CourierStreamMessage m, ValueKind kind) throws JMSException {
        Object v = kind.sample();
        switch (kind) {
            case BOOLEAN: m.writeBoolean((Boolean) v); break;
            case BYTE: m.writeByte((Byte) v); break;
            case SHORT: m.writeShort((Short) v); break;
            case CHAR: m.writeChar((Character) v); break;
            case INT: m.writeInt((Integer) v); break;
            case LONG: m.writeLong((Long) v); break;
            case FLOAT: m.writeFloat((Float) v); break;
            case DOUBLE: m.writeDouble((Double) v); break;
            case STRING: m.writeString((String) v); break;
            case BYTES: m.writeBytes((byte[]) v); break;
            default: throw new AssertionError(kind);
        }
    }

    /** Reads one whole field; byte[] through readBytes with a buffer larger than the field. */
    private static Object read(CourierStreamMessage m, ValueKind kind) throws JMSException {
        switch (kind) {
            case BOOLEAN: return m.readBoolean();
            case BYTE: return m.readByte();
            case SHORT: return m.readShort();
            case CHAR: return m.readChar();
            case INT: return m.readInt();
            case LONG: return m.readLong();
            case FLOAT: return m.readFloat();
            case DOUBLE: return m.readDouble();
            case STRING: return m.readString();
            case BYTES:
                byte[] buffer = new byte[100];
                int n = m.readBytes(buffer);
                return Arrays.copyOf(buffer, n);
            default: throw new AssertionError(kind);
        }
    }

    @Test
    void unparsableStringDoesNotAdvance() throws JMSException {
        CourierStreamMessage m = new CourierStreamMessage();
        m.writeString("abc");
        m.reset();
        assertThrows(NumberFormatException.class, m::readInt);
        assertEquals("abc", m.readString());
    }

    @Test
    void nullValueReadsAsValueOfNullAndDoesNotAdvanceOnFailure() throws JMSException {
        CourierStreamMessage m = new CourierStreamMessage();
        m.writeObject(null);
        m.writeString(null);
        m.reset();
        assertThrows(NumberFormatException.class, m::readInt);
        assertThrows(NullPointerException.class, m::readChar);
        assertThrows(NullPointerException.class, m::readDouble);
        assertEquals(false, m.readBoolean());
        assertNull(m.readString());
        m.reset();
        assertNull(m.readObject());
        assertNull(m.readObject());
    }

    @Test
    void readBytesChunksAFieldThenReturnsMinusOne() throws JMSException {
        CourierStreamMessage m = new CourierStreamMessage();
        m.writeBytes(new byte[] {1, 2, 3, 4});
        m.writeInt(7);
        m.reset();
        byte[] buffer = new byte[2];
        assertEquals(2, m.readBytes(buffer));
        assertArrayEquals(new byte[] {1, 2}, buffer);
        assertEquals(2, m.readBytes(buffer));
        assertArrayEquals(new byte[] {3, 4}, buffer);
        assertEquals(-1, m.readBytes(buffer));
        assertEquals(7, m.readInt());
    }

    @Test
    void readBytesShorterThanTheBufferEndsTheField() throws JMSException {
        CourierStreamMessage m = new CourierStreamMessage();
        m.writeBytes(new byte[] {1, 2, 3});
        m.writeBytes(new byte[] {4});
        m.reset();
        byte[] buffer = new byte[2];
        assertEquals(2, m.readBytes(buffer));
        assertEquals(1, m.readBytes(buffer));
        assertEquals(3, buffer[0]);
        assertEquals(1, m.readBytes(buffer));
        assertEquals(4, buffer[0]);
        assertThrows(MessageEOFException.class, () -> m.readBytes(buffer));
    }

    @Test
    void readBytesOfNullAndEmptyFields() throws JMSException {
        CourierStreamMessage m = new CourierStreamMessage();
        m.writeBytes(null);
        m.writeBytes(new byte[0]);
        m.writeInt(1);
        m.reset();
        assertEquals(-1, m.readBytes(new byte[4]));
        assertEquals(0, m.readBytes(new byte[4]));
        assertEquals(1, m.readInt());
    }

    @Test
    void otherReadsFailWhileAByteFieldIsHalfRead() throws JMSException {
        CourierStreamMessage m = new CourierStreamMessage();
        m.writeBytes(new byte[] {1, 2, 3});
        m.writeInt(5);
        m.reset();
        assertEquals(2, m.readBytes(new byte[2]));
        assertThrows(MessageFormatException.class, m::readInt);
        assertThrows(MessageFormatException.class, m::readObject);
        assertEquals(1, m.readBytes(new byte[2]));
        assertEquals(5, m.readInt());
    }

    @Test
    void readBytesOfAnotherTypeFailsWithoutAdvancing() throws JMSException {
        CourierStreamMessage m = new CourierStreamMessage();
        m.writeInt(5);
        m.reset();
        assertThrows(MessageFormatException.class, () -> m.readBytes(new byte[4]));
        assertEquals(5, m.readInt());
    }

    @Test
    void readObjectReturnsEachValueAndCopiesArrays() throws JMSException {
        CourierStreamMessage m = new CourierStreamMessage();
        List<Object> values = List.of(true, (byte) 1, (short) 2, 'c', 3, 4L, 5f, 6d, "s");
        for (Object v : values) {
            m.writeObject(v);
        }
        m.writeObject(new byte[] {1});
        m.reset();
        for (Object v : values) {
            assertEquals(v, m.readObject());
        }
        byte[] read = (byte[]) m.readObject();
        read[0] = 9;
        m.reset();
        for (int i = 0; i < values.size(); i++) {
            m.readObject();
        }
        assertArrayEquals(new byte[] {1}, (byte[]) m.readObject());
    }

    @Test
    void writeObjectRejectsOtherTypes() {
        CourierStreamMessage m = new CourierStreamMessage();
        assertThrows(MessageFormatException.class, () -> m.writeObject(new Object()));
    }

    @Test
    void writtenArraysAreCopied() throws JMSException {
        CourierStreamMessage m = new CourierStreamMessage();
        byte[] data = {1, 2, 3};
        m.writeBytes(data);
        m.writeBytes(data, 1, 2);
        data[1] = 9;
        m.reset();
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) m.readObject());
        assertArrayEquals(new byte[] {2, 3}, (byte[]) m.readObject());
    }

    @Test
    void newMessageIsWriteOnlyAndResetMessageReadOnly() throws JMSException {
        CourierStreamMessage m = new CourierStreamMessage();
        m.writeInt(1);
        assertThrows(MessageNotReadableException.class, m::readInt);
        assertThrows(MessageNotReadableException.class, () -> m.readBytes(new byte[1]));
        m.reset();
        assertThrows(MessageNotWriteableException.class, () -> m.writeInt(2));
        assertThrows(MessageNotWriteableException.class, () -> m.writeObject(2));
        assertEquals(1, m.readInt());
    }

    @Test
    void receivedMessageIsReadOnlyUntilClearBody() throws JMSException {
        CourierStreamMessage sent = new CourierStreamMessage();
        sent.writeInt(1);
        CourierStreamMessage r = (CourierStreamMessage) CourierMessage.fromRecord(sent.toRecord(), 1, false, null);
        assertThrows(MessageNotWriteableException.class, () -> r.writeInt(2));
        assertEquals(1, r.readInt());
        r.clearBody();
        assertThrows(MessageNotReadableException.class, r::readInt);
        r.writeString("x");
        r.reset();
        assertEquals("x", r.readString());
        assertThrows(MessageEOFException.class, r::readString);
    }

    @Test
    void recordListIsUnmodifiableAndKeepsNulls() throws JMSException {
        CourierStreamMessage m = new CourierStreamMessage();
        m.writeInt(1);
        m.writeObject(null);
        MessageRecord record = m.toRecord();
        assertEquals(BodyType.STREAM, record.bodyType());
        List<?> body = (List<?>) record.body();
        assertEquals(Arrays.asList(1, null), body);
        assertThrows(UnsupportedOperationException.class, () -> body.clear());
    }

    @Test
    void emptyStreamThrowsEof() throws JMSException {
        CourierStreamMessage m = new CourierStreamMessage();
        m.reset();
        assertThrows(MessageEOFException.class, m::readInt);
        assertTrue(((List<?>) m.toRecord().body()).isEmpty());
    }
}
