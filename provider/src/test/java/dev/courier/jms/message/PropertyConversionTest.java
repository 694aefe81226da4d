package dev.courier.jms.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The property conversion table of spec 3.5.4, every written type against every getter. */
class PropertyConversionTest {

    static Stream<Arguments> pairs() {
        return ValueKind.allPairs(ValueKind.propertyKinds());
    }

    @ParameterizedTest(name = "{0} property read as {1}")
    @MethodSource("pairs")
    void propertyIsReadableExactlyAsTheTableSays(ValueKind written, ValueKind read) throws JMSException {
        CourierMessage message = new CourierMessage();
        write(message, written);
        if (written.readableAs(read)) {
            assertEquals(written.expectedAs(read), read(message, read));
        } else {
            assertThrows(MessageFormatException.class, () -> read(message, read));
        }
    }

    @ParameterizedTest(name = "{0} property survives a record round trip")
    @MethodSource("pairs")
    void receivedPropertyConvertsTheSameWay(ValueKind written, ValueKind read) throws JMSException {
        CourierMessage sent = new CourierMessage();
        write(sent, written);
        CourierMessage received = CourierMessage.fromRecord(sent.toRecord(), 1, false, null);
        if (written.readableAs(read)) {
            assertEquals(written.expectedAs(read), read(received, read));
        } else {
            assertThrows(MessageFormatException.class, () -> read(received, read));
        }
    }

    /** Uses the typed setter, so each one is exercised. */
    private static void write(CourierMessage message, ValueKind kind) throws JMSException {
        Object v = kind.sample();
        switch (kind) {
            case BOOLEAN: message.setBooleanProperty("p", (Boolean) v); break;
            case BYTE: message.setByteProperty("p", (Byte) v); break;
            case SHORT: message.setShortProperty("p", (Short) v); break;
            case INT: message.setIntProperty("p", (Integer) v); break;
            case LONG: message.setLongProperty("p", (Long) v); break;
            case FLOAT: message.setFloatProperty("p", (Float) v); break;
            case DOUBLE: message.setDoubleProperty("p", (Double) v); break;
            case STRING: message.setStringProperty("p", (String) v); break;
            default: throw new AssertionError(kind);
        }
    }

    private static Object read(CourierMessage message, ValueKind kind) throws JMSException {
        switch (kind) {
            case BOOLEAN: return message.getBooleanProperty("p");
            case BYTE: return message.getByteProperty("p");
            case SHORT: return message.getShortProperty("p");
            case INT: return message.getIntProperty("p");
            case LONG: return message.getLongProperty("p");
            case FLOAT: return message.getFloatProperty("p");
            case DOUBLE: return message.getDoubleProperty("p");
            case STRING: return message.getStringProperty("p");
            default: throw new AssertionError(kind);
        }
    }
}
