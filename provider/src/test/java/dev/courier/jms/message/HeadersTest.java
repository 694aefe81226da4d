package dev.courier.jms.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.jms.CourierDestination;
import dev.courier.jms.CourierQueue;
import dev.courier.jms.CourierTopic;
import dev.courier.message.Address;
import dev.courier.message.MessageRecord;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TemporaryQueue;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HeadersTest {

    @Test
    void newMessageHasSpecDefaults() {
        CourierMessage m = new CourierMessage();
        assertEquals(DeliveryMode.PERSISTENT, m.getJMSDeliveryMode());
        assertEquals(Message.DEFAULT_PRIORITY, m.getJMSPriority());
        assertNull(m.getJMSMessageID());
        assertNull(m.getJMSDestination());
        assertNull(m.getJMSReplyTo());
        assertNull(m.getJMSCorrelationID());
        assertNull(m.getJMSCorrelationIDAsBytes());
        assertNull(m.getJMSType());
        assertEquals(0, m.getJMSTimestamp());
        assertEquals(0, m.getJMSExpiration());
        assertEquals(0, m.getJMSDeliveryTime());
        assertFalse(m.getJMSRedelivered());
    }

    @Test
    void everyHeaderReadsBackWhatWasSet() {
        CourierMessage m = new CourierMessage();
        CourierQueue queue = new CourierQueue("q");
        CourierTopic topic = new CourierTopic("t");
        m.setJMSMessageID("ID:1");
        m.setJMSTimestamp(10);
        m.setJMSCorrelationID("corr");
        m.setJMSDestination(queue);
        m.setJMSReplyTo(topic);
        m.setJMSDeliveryMode(DeliveryMode.NON_PERSISTENT);
        m.setJMSPriority(7);
        m.setJMSExpiration(20);
        m.setJMSDeliveryTime(30);
        m.setJMSType("type");
        m.setJMSRedelivered(true);
        assertEquals("ID:1", m.getJMSMessageID());
        assertEquals(10, m.getJMSTimestamp());
        assertEquals("corr", m.getJMSCorrelationID());
        assertEquals(queue, m.getJMSDestination());
        assertEquals(topic, m.getJMSReplyTo());
        assertEquals(DeliveryMode.NON_PERSISTENT, m.getJMSDeliveryMode());
        assertEquals(7, m.getJMSPriority());
        assertEquals(20, m.getJMSExpiration());
        assertEquals(30, m.getJMSDeliveryTime());
        assertEquals("type", m.getJMSType());
        assertTrue(m.getJMSRedelivered());
    }

    @Test
    void correlationIdAsBytesIsCopiedInAndOut() {
        CourierMessage m = new CourierMessage();
        byte[] id = {1, 2, 3};
        m.setJMSCorrelationIDAsBytes(id);
        id[0] = 9;
        byte[] read = m.getJMSCorrelationIDAsBytes();
        assertArrayEquals(new byte[] {1, 2, 3}, read);
        read[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, m.getJMSCorrelationIDAsBytes());
    }

    @Test
    void stringCorrelationIdReadsAsUtf8Bytes() {
        CourierMessage m = new CourierMessage();
        m.setJMSCorrelationID("é1");
        assertArrayEquals("é1".getBytes(StandardCharsets.UTF_8), m.getJMSCorrelationIDAsBytes());
    }

    @Test
    void byteCorrelationIdReadsAsUtf8StringAndTheLastSetterWins() {
        CourierMessage m = new CourierMessage();
        m.setJMSCorrelationIDAsBytes("abc".getBytes(StandardCharsets.UTF_8));
        assertEquals("abc", m.getJMSCorrelationID());
        m.setJMSCorrelationID("xyz");
        assertEquals("xyz", m.getJMSCorrelationID());
        m.setJMSCorrelationIDAsBytes(null);
        assertNull(m.getJMSCorrelationID());
    }

    @Test
    void everyHeaderSurvivesARecordRoundTrip() throws JMSException {
        CourierMessage m = new CourierMessage();
        m.setJMSMessageID("ID:1");
        m.setJMSTimestamp(10);
        m.setJMSCorrelationID("corr");
        m.setJMSDestination(new CourierQueue("q"));
        m.setJMSReplyTo(new CourierTopic("t"));
        m.setJMSDeliveryMode(DeliveryMode.NON_PERSISTENT);
        m.setJMSPriority(7);
        m.setJMSExpiration(20);
        m.setJMSDeliveryTime(30);
        m.setJMSType("type");
        MessageRecord record = m.toRecord();
        assertEquals(Address.queue("q"), record.destination());
        assertEquals(Address.topic("t"), record.replyTo());
        assertFalse(record.persistent());

        CourierMessage r = CourierMessage.fromRecord(record, 1, true, null);
        assertEquals("ID:1", r.getJMSMessageID());
        assertEquals(10, r.getJMSTimestamp());
        assertEquals("corr", r.getJMSCorrelationID());
        assertEquals(new CourierQueue("q"), r.getJMSDestination());
        assertEquals(new CourierTopic("t"), r.getJMSReplyTo());
        assertEquals(DeliveryMode.NON_PERSISTENT, r.getJMSDeliveryMode());
        assertEquals(7, r.getJMSPriority());
        assertEquals(20, r.getJMSExpiration());
        assertEquals(30, r.getJMSDeliveryTime());
        assertEquals("type", r.getJMSType());
        assertTrue(r.getJMSRedelivered());
    }

    @Test
    void redeliveredIsAsGivenOnReceipt() throws JMSException {
        MessageRecord record = new CourierMessage().toRecord();
        assertFalse(CourierMessage.fromRecord(record, 1, false, null).getJMSRedelivered());
        assertTrue(CourierMessage.fromRecord(record, 2, true, null).getJMSRedelivered());
    }

    @Test
    void persistentDeliveryModeRoundTrips() throws JMSException {
        CourierMessage m = new CourierMessage();
        m.setJMSDeliveryMode(DeliveryMode.PERSISTENT);
        MessageRecord record = m.toRecord();
        assertTrue(record.persistent());
        assertEquals(DeliveryMode.PERSISTENT,
                CourierMessage.fromRecord(record, 1, false, null).getJMSDeliveryMode());
    }

    @Test
    void byteCorrelationIdRoundTripsAsBytes() throws JMSException {
        CourierMessage m = new CourierMessage();
        m.setJMSCorrelationIDAsBytes(new byte[] {(byte) 0xff, 0});
        MessageRecord record = m.toRecord();
        assertArrayEquals(new byte[] {(byte) 0xff, 0}, record.correlationIdBytes());
        CourierMessage r = CourierMessage.fromRecord(record, 1, false, null);
        byte[] read = r.getJMSCorrelationIDAsBytes();
        read[0] = 1;
        assertArrayEquals(new byte[] {(byte) 0xff, 0}, record.correlationIdBytes());
    }

    @Test
    void temporaryDestinationKeepsItsKind() throws JMSException {
        Address temp = Address.of(Address.Kind.TEMPORARY_QUEUE, "tmp-1");
        CourierMessage r = CourierMessage.fromRecord(
                MessageRecord.builder().destination(temp).replyTo(temp).build(), 1, false, null);
        assertTrue(r.getJMSReplyTo() instanceof TemporaryQueue);
        assertEquals(temp, ((CourierDestination) r.getJMSReplyTo()).address());
        assertEquals(temp, r.toRecord().replyTo());
    }

    @Test
    void headersOfAReceivedMessageStaySettable() throws JMSException {
        CourierMessage r = CourierMessage.fromRecord(new CourierMessage().toRecord(), 1, false, null);
        r.setJMSType("changed");
        r.setJMSDestination(new CourierTopic("t"));
        assertEquals("changed", r.getJMSType());
        assertEquals(Address.topic("t"), r.toRecord().destination());
    }

    @Test
    void acknowledgeDelegatesToTheAcknowledger() throws JMSException {
        CourierMessage m = new CourierMessage();
        m.acknowledge();
        AtomicInteger calls = new AtomicInteger();
        m.setAcknowledger(calls::incrementAndGet);
        m.acknowledge();
        m.acknowledge();
        assertEquals(2, calls.get());
    }

    @Test
    void aGeneratedMessageIdReadsAsOneStringAndReachesTheRecord() throws JMSException {
        CourierMessage message = new CourierMessage();
        message.setGeneratedMessageId("ID:gen-", 12);
        assertEquals("ID:gen-12", message.toRecord().messageId());
        assertEquals("ID:gen-12", message.getJMSMessageID());
        assertEquals("ID:gen-12", message.toRecord().messageId());

        message.setGeneratedMessageId("ID:gen-", 13);
        message.setJMSMessageID(null);
        assertNull(message.getJMSMessageID());
        assertNull(message.toRecord().messageId());
    }

    @Test
    void aReceivedMessagesIdComesFromItsRecordUntilSet() throws JMSException {
        MessageRecord record = MessageRecord.builder().messageId("ID:rec-", 5).build();
        Message received = CourierMessage.fromRecord(record, 1, false, DeserializationPolicy.defaults());
        assertEquals("ID:rec-5", received.getJMSMessageID());
        Message renamed = CourierMessage.fromRecord(record, 1, false, DeserializationPolicy.defaults());
        renamed.setJMSMessageID("ID:other");
        assertEquals("ID:other", renamed.getJMSMessageID());
        assertEquals("ID:rec-5", record.messageId());
    }
}
