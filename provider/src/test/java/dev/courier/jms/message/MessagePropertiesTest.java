package dev.courier.jms.message;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.message.MessageRecord;
import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessagePropertiesTest {

    @Test
    void absentPropertyReadsAsValueOfNull() throws JMSException {
        CourierMessage m = new CourierMessage();
        assertFalse(m.getBooleanProperty("absent"));
        assertThrows(NumberFormatException.class, () -> m.getByteProperty("absent"));
        assertThrows(NumberFormatException.class, () -> m.getShortProperty("absent"));
        assertThrows(NumberFormatException.class, () -> m.getIntProperty("absent"));
        assertThrows(NumberFormatException.class, () -> m.getLongProperty("absent"));
        assertThrows(NullPointerException.class, () -> m.getFloatProperty("absent"));
        assertThrows(NullPointerException.class, () -> m.getDoubleProperty("absent"));
        assertNull(m.getStringProperty("absent"));
        assertNull(m.getObjectProperty("absent"));
        assertFalse(m.propertyExists("absent"));
    }

    @Test
    void unparsableStringPropertyThrowsNumberFormatException() throws JMSException {
        CourierMessage m = new CourierMessage();
        m.setStringProperty("s", "not a number");
        assertThrows(NumberFormatException.class, () -> m.getIntProperty("s"));
        assertThrows(NumberFormatException.class, () -> m.getDoubleProperty("s"));
        assertFalse(m.getBooleanProperty("s"));
    }

    @Test
    void objectPropertyAcceptsWrappersAndString() throws JMSException {
        CourierMessage m = new CourierMessage();
        List<Object> values = List.of(true, (byte) 1, (short) 2, 3, 4L, 5f, 6d, "s");
        for (int i = 0; i < values.size(); i++) {
            m.setObjectProperty("p" + i, values.get(i));
            assertEquals(values.get(i), m.getObjectProperty("p" + i));
        }
    }

    @Test
    void objectPropertyRejectsOtherTypes() {
        CourierMessage m = new CourierMessage();
        assertThrows(MessageFormatException.class, () -> m.setObjectProperty("c", 'c'));
        assertThrows(MessageFormatException.class, () -> m.setObjectProperty("b", new byte[1]));
        assertThrows(MessageFormatException.class, () -> m.setObjectProperty("l", List.of()));
    }

    @Test
    void nullPropertyValueExistsAndReadsAsNull() throws JMSException {
        CourierMessage m = new CourierMessage();
        m.setObjectProperty("o", null);
        m.setStringProperty("s", null);
        assertTrue(m.propertyExists("o"));
        assertNull(m.getObjectProperty("o"));
        assertNull(m.getStringProperty("s"));
        assertThrows(NumberFormatException.class, () -> m.getIntProperty("s"));
    }

    @Test
    void nullOrEmptyNameIsIllegal() {
        CourierMessage m = new CourierMessage();
        assertThrows(IllegalArgumentException.class, () -> m.setIntProperty(null, 1));
        assertThrows(IllegalArgumentException.class, () -> m.setIntProperty("", 1));
        assertThrows(IllegalArgumentException.class, () -> m.setObjectProperty("", 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1abc", "a-b", "a b", "a.b", "NULL", "true", "False", "NOT", "and", "OR",
        "BETWEEN", "like", "IN", "is", "ESCAPE", "nULL", "\u0131n"})
    void invalidIdentifiersAndSelectorKeywordsAreRejected(String name) {
        CourierMessage m = new CourierMessage();
        assertThrows(IllegalArgumentException.class, () -> m.setStringProperty(name, "v"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "_x", "$y", "camelCase9", "JMSXGroupID", "JMSXGroupSeq", "Isolation", "NOTE", "seq",
        "producer", "k", "\u00e9t\u00e9"})
    void validIdentifiersAreAccepted(String name) {
        CourierMessage m = new CourierMessage();
        assertDoesNotThrow(() -> m.setStringProperty(name, "v"));
    }

    @Test
    void propertyNamesListsEverySetProperty() throws JMSException {
        CourierMessage m = new CourierMessage();
        m.setIntProperty("a", 1);
        m.setStringProperty("JMSXGroupID", "g");
        m.setIntProperty("JMSXGroupSeq", 2);
        assertEquals(Set.of("a", "JMSXGroupID", "JMSXGroupSeq"), names(m));
        assertTrue(m.propertyExists("JMSXGroupID"));
    }

    @Test
    void newMessageHasNoProperties() {
        assertEquals(Set.of(), names(new CourierMessage()));
    }

    @Test
    void receivedMessageCarriesDeliveryCountAsIntProperty() throws JMSException {
        CourierMessage sent = new CourierMessage();
        sent.setStringProperty("a", "x");
        CourierMessage received = CourierMessage.fromRecord(sent.toRecord(), 3, true, null);
        assertEquals(3, received.getIntProperty("JMSXDeliveryCount"));
        assertEquals(3, received.getObjectProperty("JMSXDeliveryCount"));
        assertTrue(received.propertyExists("JMSXDeliveryCount"));
        assertEquals(Set.of("a", "JMSXDeliveryCount"), names(received));
    }

    @Test
    void deliveryCountIsNotCarriedInARecord() throws JMSException {
        CourierMessage received = CourierMessage.fromRecord(MessageRecord.builder().build(), 2, true, null);
        MessageRecord resent = received.toRecord();
        assertFalse(resent.properties().containsKey("JMSXDeliveryCount"));
    }

    @Test
    void receivedPropertiesAreReadOnly() throws JMSException {
        CourierMessage received = CourierMessage.fromRecord(MessageRecord.builder().build(), 1, false, null);
        assertThrows(MessageNotWriteableException.class, () -> received.setIntProperty("a", 1));
        assertThrows(MessageNotWriteableException.class, () -> received.setObjectProperty("a", 1));
        assertThrows(MessageNotWriteableException.class, () -> received.setStringProperty("a", "b"));
        assertThrows(MessageNotWriteableException.class, () -> received.setBooleanProperty("a", true));
    }

    @Test
    void clearPropertiesEmptiesAndMakesWritable() throws JMSException {
        CourierMessage sent = new CourierMessage();
        sent.setIntProperty("a", 1);
        CourierMessage received = CourierMessage.fromRecord(sent.toRecord(), 1, false, null);
        received.clearProperties();
        assertEquals(Set.of(), names(received));
        assertFalse(received.propertyExists("a"));
        received.setIntProperty("b", 2);
        assertEquals(2, received.getIntProperty("b"));
    }

    @Test
    void clearPropertiesLeavesHeadersAndBody() throws JMSException {
        CourierTextMessage m = new CourierTextMessage();
        m.setText("body");
        m.setJMSType("t");
        m.setIntProperty("a", 1);
        m.clearProperties();
        assertEquals("body", m.getText());
        assertEquals("t", m.getJMSType());
    }

    @Test
    void propertyNamesEnumerationIsASnapshot() throws JMSException {
        CourierMessage m = new CourierMessage();
        m.setIntProperty("a", 1);
        var names = m.getPropertyNames();
        m.setIntProperty("b", 2);
        assertEquals("a", names.nextElement());
        assertFalse(names.hasMoreElements());
    }

    static Set<String> names(CourierMessage m) {
        Set<String> names = new HashSet<>();
        Enumeration<?> e = m.getPropertyNames();
        while (e.hasMoreElements()) {
            names.add((String) e.nextElement());
        }
        return names;
    }
}
