package dev.courier.jms.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.courier.message.BodyType;
import dev.courier.message.MessageRecord;
import jakarta.jms.JMSException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** toRecord and fromRecord: every body kind round-trips, and no message can change a record. */
class RecordIsolationTest {

    @Test
    void everyBodyKindComesBackAsItsOwnSubclass() throws JMSException {
        assertInstanceOf(CourierTextMessage.class, roundTrip(new CourierTextMessage()));
        assertInstanceOf(CourierBytesMessage.class, roundTrip(new CourierBytesMessage()));
        assertInstanceOf(CourierMapMessage.class, roundTrip(new CourierMapMessage()));
        assertInstanceOf(CourierStreamMessage.class, roundTrip(new CourierStreamMessage()));
        assertInstanceOf(CourierObjectMessage.class, roundTrip(new CourierObjectMessage()));
        CourierMessage plain = roundTrip(new CourierMessage());
        assertEquals(CourierMessage.class, plain.getClass());
        assertEquals(BodyType.NONE, plain.toRecord().bodyType());
    }

    private static CourierMessage roundTrip(CourierMessage m) throws JMSException {
        return CourierMessage.fromRecord(m.toRecord(), 1, false, null);
    }

    @Test
    void textBodyRoundTrips() throws JMSException {
        CourierTextMessage m = new CourierTextMessage();
        m.setText("héllo");
        MessageRecord record = m.toRecord();
        assertEquals(BodyType.TEXT, record.bodyType());
        assertEquals("héllo", ((CourierTextMessage) CourierMessage.fromRecord(record, 1, false, null)).getText());
        assertNull(((CourierTextMessage) roundTrip(new CourierTextMessage())).getText());
    }

    @Test
    void changingAMessageAfterToRecordLeavesTheRecordAlone() throws JMSException {
        CourierTextMessage text = new CourierTextMessage();
        text.setText("a");
        text.setStringProperty("p", "1");
        text.setJMSType("t1");
        MessageRecord record = text.toRecord();
        text.setText("b");
        text.setStringProperty("p", "2");
        text.setStringProperty("q", "3");
        text.setJMSType("t2");
        assertEquals("a", record.body());
        assertEquals(Map.of("p", "1"), record.properties());
        assertEquals("t1", record.type());
    }

    @Test
    void bytesRecordIsExactLengthAndIndependent() throws JMSException {
        CourierBytesMessage m = new CourierBytesMessage();
        m.writeBytes(new byte[] {1, 2, 3});
        MessageRecord record = m.toRecord();
        m.writeByte((byte) 4);
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) record.body());
        m.clearBody();
        m.writeByte((byte) 7);
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) record.body());
    }

    @Test
    void mapRecordIsIndependent() throws JMSException {
        CourierMapMessage m = new CourierMapMessage();
        m.setInt("a", 1);
        MessageRecord record = m.toRecord();
        m.setInt("a", 2);
        m.setInt("b", 3);
        assertEquals(Map.of("a", 1), record.body());
    }

    @Test
    void streamRecordIsIndependent() throws JMSException {
        CourierStreamMessage m = new CourierStreamMessage();
        m.writeInt(1);
        MessageRecord record = m.toRecord();
        m.writeInt(2);
        assertEquals(List.of(1), record.body());
        m.reset();
        MessageRecord frozen = m.toRecord();
        m.clearBody();
        m.writeInt(3);
        assertEquals(List.of(1, 2), frozen.body());
    }

    @Test
    void objectRecordIsIndependent() throws JMSException {
        CourierObjectMessage m = new CourierObjectMessage();
        m.setObject("a");
        MessageRecord record = m.toRecord();
        m.setObject("b");
        assertEquals("a", ((CourierObjectMessage) CourierMessage.fromRecord(record, 1, false, null)).getObject());
    }

    @Test
    void receivedCopiesOfOneRecordDoNotAffectEachOtherOrTheRecord() throws JMSException {
        CourierMapMessage map = new CourierMapMessage();
        map.setBytes("b", new byte[] {1});
        map.setInt("i", 1);
        map.setStringProperty("p", "x");
        MessageRecord record = map.toRecord();

        CourierMapMessage first = (CourierMapMessage) CourierMessage.fromRecord(record, 1, false, null);
        CourierMapMessage second = (CourierMapMessage) CourierMessage.fromRecord(record, 1, false, null);
        first.getBytes("b")[0] = 9;
        first.clearBody();
        first.setInt("i", 2);
        first.clearProperties();
        first.setStringProperty("p", "y");
        first.setJMSType("changed");

        assertEquals(1, second.getInt("i"));
        assertArrayEquals(new byte[] {1}, second.getBytes("b"));
        assertEquals("x", second.getStringProperty("p"));
        assertNull(second.getJMSType());
        assertEquals(Map.of("p", "x"), record.properties());
        assertEquals(1, ((Map<?, ?>) record.body()).get("i"));
    }

    @Test
    void receivedBytesAndStreamCopiesReadIndependently() throws JMSException {
        CourierBytesMessage bytes = new CourierBytesMessage();
        bytes.writeInt(5);
        MessageRecord bytesRecord = bytes.toRecord();
        CourierBytesMessage b1 = (CourierBytesMessage) CourierMessage.fromRecord(bytesRecord, 1, false, null);
        CourierBytesMessage b2 = (CourierBytesMessage) CourierMessage.fromRecord(bytesRecord, 1, false, null);
        byte[] buffer = new byte[4];
        b1.readBytes(buffer);
        buffer[0] = 9;
        b1.clearBody();
        b1.writeInt(6);
        assertEquals(5, b2.readInt());

        CourierStreamMessage stream = new CourierStreamMessage();
        stream.writeBytes(new byte[] {1});
        MessageRecord streamRecord = stream.toRecord();
        CourierStreamMessage s1 = (CourierStreamMessage) CourierMessage.fromRecord(streamRecord, 1, false, null);
        CourierStreamMessage s2 = (CourierStreamMessage) CourierMessage.fromRecord(streamRecord, 1, false, null);
        ((byte[]) s1.readObject())[0] = 9;
        assertArrayEquals(new byte[] {1}, (byte[]) s2.readObject());
    }

    @Test
    void receivedMessageCanBeResentUnchanged() throws JMSException {
        CourierStreamMessage m = new CourierStreamMessage();
        m.writeString("s");
        m.writeObject(null);
        m.setIntProperty("p", 1);
        MessageRecord record = m.toRecord();
        CourierMessage received = CourierMessage.fromRecord(record, 4, true, null);
        MessageRecord resent = received.toRecord();
        assertEquals(Arrays.asList("s", null), resent.body());
        assertEquals(Map.of("p", 1), resent.properties());
    }
}
