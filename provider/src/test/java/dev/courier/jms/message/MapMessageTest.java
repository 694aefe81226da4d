package dev.courier.jms.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.message.BodyType;
import dev.courier.message.MessageRecord;
import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MapMessageTest {

    static Stream<Arguments> pairs() {
        return ValueKind.allPairs(Arrays.asList(ValueKind.values()));
    }

    @ParameterizedTest(name = "{0} entry read as {1}")
    @MethodSource("pairs")
    void entryIsReadableExactlyAsTheTableSays(ValueKind written, ValueKind read) throws JMSException {
        CourierMapMessage m = new CourierMapMessage();
        write(m, written);
        assertReadAsTable(m, written, read);
    }

    @ParameterizedTest(name = "received {0} entry read as {1}")
    @MethodSource("pairs")
    void receivedEntryConvertsTheSameWay(ValueKind written, ValueKind read) throws JMSException {
        CourierMapMessage m = new CourierMapMessage();
        write(m, written);
        assertReadAsTable((CourierMapMessage) CourierMessage.fromRecord(m.toRecord(), 1, false, null),
                written, read);
    }

    private static void assertReadAsTable(CourierMapMessage m, ValueKind written, ValueKind read)
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
        }
    }

    private static void write(CourierMapMessage m, ValueKind kind) throws JMSException {
        Object v = kind.sample();
        switch (kind) {
            case BOOLEAN: m.setBoolean("k", (Boolean) v); break;
            case BYTE: m.setByte("k", (Byte) v); break;
            case SHORT: m.setShort("k", (Short) v); break;
            case CHAR: m.setChar("k", (Character) v); break;
            case INT: m.setInt("k", (Integer) v); break;
            case LONG: m.setLong("k", (Long) v); break;
            case FLOAT: m.setFloat("k", (Float) v); break;
            case DOUBLE: m.setDouble("k", (Double) v); break;
            case STRING: m.setString("k", (String) v); break;
            case BYTES: m.setBytes("k", (byte[]) v); break;
            default: throw new AssertionError(kind);
        }
    }

    private static Object read(CourierMapMessage m, ValueKind kind) throws JMSException {
        switch (kind) {
            case BOOLEAN: return m.getBoolean("k");
            case BYTE: return m.getByte("k");
            case SHORT: return m.getShort("k");
            case CHAR: return m.getChar("k");
            case INT: return m.getInt("k");
            case LONG: return m.getLong("k");
            case FLOAT: return m.getFloat("k");
            case DOUBLE: return m.getDouble("k");
            case STRING: return m.getString("k");
            case BYTES: return m.getBytes("k");
            default: throw new AssertionError(kind);
        }
    }

    @Test
    void absentEntryReadsAsValueOfNull() throws JMSException {
        CourierMapMessage m = new CourierMapMessage();
        assertFalse(m.getBoolean("x"));
        assertThrows(NumberFormatException.class, () -> m.getInt("x"));
        assertThrows(NumberFormatException.class, () -> m.getByte("x"));
        assertThrows(NullPointerException.class, () -> m.getDouble("x"));
        assertThrows(NullPointerException.class, () -> m.getChar("x"));
        assertNull(m.getString("x"));
        assertNull(m.getBytes("x"));
        assertNull(m.getObject("x"));
        assertFalse(m.itemExists("x"));
    }

    @Test
    void setObjectAcceptsWrappersStringAndBytes() throws JMSException {
        CourierMapMessage m = new CourierMapMessage();
        List<Object> values = List.of(true, (byte) 1, (short) 2, 'c', 3, 4L, 5f, 6d, "s");
        for (int i = 0; i < values.size(); i++) {
            m.setObject("k" + i, values.get(i));
            assertEquals(values.get(i), m.getObject("k" + i));
        }
        m.setObject("b", new byte[] {1});
        assertArrayEquals(new byte[] {1}, (byte[]) m.getObject("b"));
        m.setObject("n", null);
        assertTrue(m.itemExists("n"));
        assertNull(m.getObject("n"));
    }

    @Test
    void setObjectRejectsOtherTypes() {
        CourierMapMessage m = new CourierMapMessage();
        assertThrows(MessageFormatException.class, () -> m.setObject("k", new Object()));
        assertThrows(MessageFormatException.class, () -> m.setObject("k", List.of(1)));
    }

    @Test
    void nullOrEmptyNameIsIllegal() {
        CourierMapMessage m = new CourierMapMessage();
        assertThrows(IllegalArgumentException.class, () -> m.setInt(null, 1));
        assertThrows(IllegalArgumentException.class, () -> m.setString("", "v"));
        assertThrows(IllegalArgumentException.class, () -> m.setObject("", 1));
    }

    @Test
    void mapNamesAndItemExistsReflectTheEntries() throws JMSException {
        CourierMapMessage m = new CourierMapMessage();
        m.setInt("a", 1);
        m.setString("b", null);
        Set<Object> names = new HashSet<>();
        Enumeration<?> e = m.getMapNames();
        while (e.hasMoreElements()) {
            names.add(e.nextElement());
        }
        assertEquals(Set.of("a", "b"), names);
        assertTrue(m.itemExists("a"));
        assertTrue(m.itemExists("b"));
    }

    @Test
    void byteArraysAreCopiedInAndOut() throws JMSException {
        CourierMapMessage m = new CourierMapMessage();
        byte[] data = {1, 2};
        m.setBytes("b", data);
        data[0] = 9;
        byte[] read = m.getBytes("b");
        assertArrayEquals(new byte[] {1, 2}, read);
        read[0] = 9;
        ((byte[]) m.getObject("b"))[1] = 9;
        assertArrayEquals(new byte[] {1, 2}, m.getBytes("b"));
    }

    @Test
    void setBytesWithOffsetStoresTheSlice() throws JMSException {
        CourierMapMessage m = new CourierMapMessage();
        m.setBytes("b", new byte[] {1, 2, 3, 4}, 1, 2);
        assertArrayEquals(new byte[] {2, 3}, m.getBytes("b"));
    }

    @Test
    void receivedMapIsReadOnlyUntilClearBody() throws JMSException {
        CourierMapMessage sent = new CourierMapMessage();
        sent.setInt("a", 1);
        CourierMapMessage r = (CourierMapMessage) CourierMessage.fromRecord(sent.toRecord(), 1, false, null);
        assertEquals(1, r.getInt("a"));
        assertThrows(MessageNotWriteableException.class, () -> r.setInt("b", 2));
        assertThrows(MessageNotWriteableException.class, () -> r.setObject("b", 2));
        r.clearBody();
        assertFalse(r.itemExists("a"));
        r.setInt("b", 2);
        assertEquals(2, r.getInt("b"));
    }

    @Test
    void recordMapIsUnmodifiableAndHoldsTheValues() throws JMSException {
        CourierMapMessage m = new CourierMapMessage();
        m.setInt("a", 1);
        m.setBytes("b", new byte[] {5});
        MessageRecord record = m.toRecord();
        assertEquals(BodyType.MAP, record.bodyType());
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) record.body();
        assertEquals(1, body.get("a"));
        assertArrayEquals(new byte[] {5}, (byte[]) body.get("b"));
        assertThrows(UnsupportedOperationException.class, () -> body.put("c", 1));
    }
}
