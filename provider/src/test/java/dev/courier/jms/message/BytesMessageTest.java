package dev.courier.jms.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.message.BodyType;
import dev.courier.message.MessageRecord;
import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class BytesMessageTest {

    private static CourierBytesMessage writtenWithEveryType() throws JMSException {
        CourierBytesMessage m = new CourierBytesMessage();
        m.writeBoolean(true);
        m.writeByte((byte) -2);
        m.writeShort((short) -3);
        m.writeChar('x');
        m.writeInt(-4);
        m.writeLong(Long.MIN_VALUE + 5);
        m.writeFloat(6.5f);
        m.writeDouble(-7.25);
        m.writeUTF("héllo");
        m.writeBytes(new byte[] {1, 2, 3});
        m.writeBytes(new byte[] {9, 4, 5, 9}, 1, 2);
        return m;
    }

    private static void assertEveryTypeReadsBack(CourierBytesMessage m) throws JMSException {
        assertTrue(m.readBoolean());
        assertEquals(-2, m.readByte());
        assertEquals(-3, m.readShort());
        assertEquals('x', m.readChar());
        assertEquals(-4, m.readInt());
        assertEquals(Long.MIN_VALUE + 5, m.readLong());
        assertEquals(6.5f, m.readFloat());
        assertEquals(-7.25, m.readDouble());
        assertEquals("héllo", m.readUTF());
        byte[] rest = new byte[10];
        assertEquals(5, m.readBytes(rest));
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, java.util.Arrays.copyOf(rest, 5));
        assertEquals(-1, m.readBytes(rest));
    }

    @Test
    void everyTypeReadsBackAfterReset() throws JMSException {
        CourierBytesMessage m = writtenWithEveryType();
        m.reset();
        assertEveryTypeReadsBack(m);
    }

    @Test
    void everyTypeReadsBackAfterARecordRoundTrip() throws JMSException {
        MessageRecord record = writtenWithEveryType().toRecord();
        assertEquals(BodyType.BYTES, record.bodyType());
        assertEveryTypeReadsBack((CourierBytesMessage) CourierMessage.fromRecord(record, 1, false, null));
    }

    @Test
    void formatIsTheDataOutputFormat() throws JMSException, IOException {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(expected);
        out.writeInt(42);
        out.writeUTF("a");
        out.writeShort(-1);
        CourierBytesMessage m = new CourierBytesMessage();
        m.writeInt(42);
        m.writeUTF("a");
        m.writeShort((short) -1);
        assertArrayEquals(expected.toByteArray(), (byte[]) m.toRecord().body());
    }

    @Test
    void unsignedReadsDoNotSignExtend() throws JMSException {
        CourierBytesMessage m = new CourierBytesMessage();
        m.writeByte((byte) -1);
        m.writeShort((short) -1);
        m.reset();
        assertEquals(255, m.readUnsignedByte());
        assertEquals(65535, m.readUnsignedShort());
    }

    @Test
    void newMessageIsWriteOnly() throws JMSException {
        CourierBytesMessage m = new CourierBytesMessage();
        m.writeInt(1);
        assertThrows(MessageNotReadableException.class, m::readInt);
        assertThrows(MessageNotReadableException.class, m::getBodyLength);
        assertThrows(MessageNotReadableException.class, () -> m.readBytes(new byte[1]));
    }

    @Test
    void resetMessageIsReadOnly() throws JMSException {
        CourierBytesMessage m = new CourierBytesMessage();
        m.writeInt(1);
        m.reset();
        assertThrows(MessageNotWriteableException.class, () -> m.writeInt(2));
        assertThrows(MessageNotWriteableException.class, () -> m.writeObject("s"));
        assertEquals(4, m.getBodyLength());
    }

    @Test
    void receivedMessageIsReadOnlyUntilClearBody() throws JMSException {
        CourierBytesMessage sent = new CourierBytesMessage();
        sent.writeInt(7);
        CourierBytesMessage r = (CourierBytesMessage) CourierMessage.fromRecord(sent.toRecord(), 1, false, null);
        assertEquals(4, r.getBodyLength());
        assertThrows(MessageNotWriteableException.class, () -> r.writeInt(1));
        r.clearBody();
        assertThrows(MessageNotReadableException.class, r::readInt);
        r.writeByte((byte) 3);
        r.reset();
        assertEquals(1, r.getBodyLength());
        assertEquals(3, r.readByte());
    }

    @Test
    void resetRewindsToTheStart() throws JMSException {
        CourierBytesMessage m = new CourierBytesMessage();
        m.writeInt(5);
        m.reset();
        assertEquals(5, m.readInt());
        m.reset();
        assertEquals(5, m.readInt());
    }

    @Test
    void readingPastTheEndThrowsEofAndDoesNotMove() throws JMSException {
        CourierBytesMessage m = new CourierBytesMessage();
        m.writeShort((short) 9);
        m.reset();
        assertThrows(MessageEOFException.class, m::readInt);
        assertEquals(9, m.readShort());
        assertThrows(MessageEOFException.class, m::readByte);
        assertThrows(MessageEOFException.class, m::readUTF);
    }

    @Test
    void readBytesFillsTheBufferThenReturnsTheRestThenMinusOne() throws JMSException {
        CourierBytesMessage m = new CourierBytesMessage();
        m.writeBytes(new byte[] {1, 2, 3, 4, 5});
        m.reset();
        byte[] buffer = new byte[2];
        assertEquals(2, m.readBytes(buffer));
        assertArrayEquals(new byte[] {1, 2}, buffer);
        assertEquals(2, m.readBytes(buffer));
        assertArrayEquals(new byte[] {3, 4}, buffer);
        assertEquals(1, m.readBytes(buffer));
        assertEquals(5, buffer[0]);
        assertEquals(-1, m.readBytes(buffer));
    }

    @Test
    void readBytesWithLengthReadsAtMostThatMany() throws JMSException {
        CourierBytesMessage m = new CourierBytesMessage();
        m.writeBytes(new byte[] {1, 2, 3});
        m.reset();
        byte[] buffer = new byte[5];
        assertEquals(2, m.readBytes(buffer, 2));
        assertEquals(1, m.readBytes(buffer, 5));
        assertEquals(3, buffer[0]);
        assertThrows(IndexOutOfBoundsException.class, () -> m.readBytes(buffer, 6));
        assertThrows(IndexOutOfBoundsException.class, () -> m.readBytes(buffer, -1));
    }

    @Test
    void emptyBodyReadsMinusOne() throws JMSException {
        CourierBytesMessage m = new CourierBytesMessage();
        m.reset();
        assertEquals(0, m.getBodyLength());
        assertEquals(-1, m.readBytes(new byte[4]));
    }

    @Test
    void writeObjectWritesLikeTheTypedMethods() throws JMSException {
        CourierBytesMessage typed = new CourierBytesMessage();
        CourierBytesMessage generic = new CourierBytesMessage();
        List<Object> values = List.of(true, (byte) 1, (short) 2, 'c', 3, 4L, 5f, 6d, "s", new byte[] {7});
        for (Object v : values) {
            generic.writeObject(v);
        }
        typed.writeBoolean(true);
        typed.writeByte((byte) 1);
        typed.writeShort((short) 2);
        typed.writeChar('c');
        typed.writeInt(3);
        typed.writeLong(4L);
        typed.writeFloat(5f);
        typed.writeDouble(6d);
        typed.writeUTF("s");
        typed.writeBytes(new byte[] {7});
        assertArrayEquals((byte[]) typed.toRecord().body(), (byte[]) generic.toRecord().body());
    }

    @Test
    void writeObjectRejectsOtherTypesAndNull() {
        CourierBytesMessage m = new CourierBytesMessage();
        assertThrows(MessageFormatException.class, () -> m.writeObject(new Object()));
        assertThrows(MessageFormatException.class, () -> m.writeObject(List.of()));
        assertThrows(NullPointerException.class, () -> m.writeObject(null));
    }

    @Test
    void tooLongUtfIsAFormatError() {
        CourierBytesMessage m = new CourierBytesMessage();
        assertThrows(MessageFormatException.class, () -> m.writeUTF("x".repeat(70_000)));
    }

    @Test
    void malformedUtfIsAFormatErrorAndDoesNotMove() throws JMSException {
        CourierBytesMessage m = new CourierBytesMessage();
        m.writeShort((short) 1);
        m.writeByte((byte) 0xC0);
        m.reset();
        assertThrows(MessageFormatException.class, m::readUTF);
        assertEquals(1, m.readShort());
    }

    @Test
    void writtenArrayIsCopied() throws JMSException {
        CourierBytesMessage m = new CourierBytesMessage();
        byte[] data = {1, 2};
        m.writeBytes(data);
        data[0] = 9;
        m.reset();
        assertEquals(1, m.readByte());
    }

    @Test
    void clearBodyEmptiesAndMakesWritable() throws JMSException {
        CourierBytesMessage m = new CourierBytesMessage();
        m.writeInt(1);
        m.reset();
        m.clearBody();
        m.writeByte((byte) 2);
        m.reset();
        assertEquals(1, m.getBodyLength());
    }

    @Test
    void bodyReadThroughGetBodyIsACopyTheRecordDoesNotShare() throws JMSException {
        CourierBytesMessage m = new CourierBytesMessage();
        m.writeBytes(new byte[] {1, 2});
        byte[] read = m.getBody(byte[].class);
        read[0] = 9;
        assertArrayEquals(new byte[] {1, 2}, (byte[]) m.toRecord().body());
    }

    @Test
    void manySmallWritesAndOneBulkWriteReadBackInOrder() throws JMSException {
        CourierBytesMessage m = new CourierBytesMessage();
        for (int i = 0; i < 300; i++) {
            m.writeByte((byte) i);
        }
        byte[] bulk = new byte[1000];
        java.util.Arrays.fill(bulk, (byte) 7);
        m.writeBytes(bulk);
        m.reset();
        assertEquals(1300, m.getBodyLength());
        for (int i = 0; i < 300; i++) {
            assertEquals((byte) i, m.readByte());
        }
        byte[] rest = new byte[1000];
        assertEquals(1000, m.readBytes(rest));
        assertArrayEquals(bulk, rest);
    }
}
