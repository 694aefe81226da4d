package dev.courier.jms.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code Message.getBody} and {@code isBodyAssignableTo}, JMS 2.0 rules. */
class GetBodyTest {

    @Test
    void plainMessageHasNoBodyAndAnyTypeGivesNull() throws JMSException {
        CourierMessage m = new CourierMessage();
        assertNull(m.getBody(String.class));
        assertNull(m.getBody(Integer.class));
        assertTrue(m.isBodyAssignableTo(Map.class));
    }

    @Test
    void textBodyIsAString() throws JMSException {
        CourierTextMessage m = new CourierTextMessage();
        m.setText("hi");
        assertEquals("hi", m.getBody(String.class));
        assertEquals("hi", m.getBody(Object.class));
        assertEquals("hi", m.getBody(CharSequence.class));
        assertTrue(m.isBodyAssignableTo(String.class));
        assertFalse(m.isBodyAssignableTo(byte[].class));
        assertThrows(MessageFormatException.class, () -> m.getBody(byte[].class));
    }

    @Test
    void emptyBodiesGiveNullForAnyType() throws JMSException {
        assertNull(new CourierTextMessage().getBody(byte[].class));
        assertNull(new CourierBytesMessage().getBody(String.class));
        assertNull(new CourierMapMessage().getBody(String.class));
        assertNull(new CourierObjectMessage().getBody(String.class));
        assertTrue(new CourierBytesMessage().isBodyAssignableTo(String.class));
    }

    @Test
    void bytesBodyIsACopyOfTheWholeBodyInEitherMode() throws JMSException {
        CourierBytesMessage m = new CourierBytesMessage();
        m.writeBytes(new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, m.getBody(byte[].class));
        m.reset();
        m.readByte();
        byte[] body = m.getBody(byte[].class);
        assertArrayEquals(new byte[] {1, 2, 3}, body);
        body[0] = 9;
        assertEquals(2, m.readByte());
        assertTrue(m.isBodyAssignableTo(byte[].class));
        assertFalse(m.isBodyAssignableTo(String.class));
        assertThrows(MessageFormatException.class, () -> m.getBody(String.class));
    }

    @Test
    void mapBodyIsACopiedMap() throws JMSException {
        CourierMapMessage m = new CourierMapMessage();
        m.setInt("a", 1);
        m.setBytes("b", new byte[] {1});
        @SuppressWarnings("unchecked")
        Map<String, Object> body = m.getBody(Map.class);
        assertEquals(1, body.get("a"));
        ((byte[]) body.get("b"))[0] = 9;
        body.put("c", 3);
        assertArrayEquals(new byte[] {1}, m.getBytes("b"));
        assertFalse(m.itemExists("c"));
        assertTrue(m.isBodyAssignableTo(Map.class));
        assertTrue(m.isBodyAssignableTo(Object.class));
        assertFalse(m.isBodyAssignableTo(HashMap.class));
        assertThrows(MessageFormatException.class, () -> m.getBody(String.class));
    }

    @Test
    void objectBodyIsTheDeserializedObject() throws JMSException {
        CourierObjectMessage m = new CourierObjectMessage();
        m.setObject(new ArrayList<>(List.of("x")));
        assertEquals(List.of("x"), m.getBody(List.class));
        assertEquals(List.of("x"), m.getBody(Serializable.class));
        assertTrue(m.isBodyAssignableTo(ArrayList.class));
        assertFalse(m.isBodyAssignableTo(String.class));
        assertThrows(MessageFormatException.class, () -> m.getBody(String.class));
    }

    @Test
    void undeserializableObjectBodyIsAFormatErrorAndNotAssignable() throws JMSException {
        CourierObjectMessage sent = new CourierObjectMessage();
        sent.setObject(new ObjectMessageTest.Payload("p"));
        CourierMessage r = CourierMessage.fromRecord(sent.toRecord(), 1, false, DeserializationPolicy.of(null, null));
        assertThrows(MessageFormatException.class, () -> r.getBody(Serializable.class));
        assertFalse(r.isBodyAssignableTo(Serializable.class));
    }

    @Test
    void streamBodyIsNeverAvailable() throws JMSException {
        CourierStreamMessage m = new CourierStreamMessage();
        assertThrows(MessageFormatException.class, () -> m.getBody(Object.class));
        m.writeInt(1);
        assertThrows(MessageFormatException.class, () -> m.getBody(Object.class));
        assertFalse(m.isBodyAssignableTo(Object.class));
    }
}
