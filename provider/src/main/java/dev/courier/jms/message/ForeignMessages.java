package dev.courier.jms.message;

import dev.courier.jms.CourierDestination;
import dev.courier.message.Address;
import dev.courier.message.BodyType;
import dev.courier.message.MessageRecord;
import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns another provider's message into a {@link MessageRecord}, as the spec requires a provider
 * to accept foreign messages on send. Only the public {@code jakarta.jms} API is used; the body
 * is read by the message's interface type. Stateless and thread-safe (the foreign message is not).
 */
final class ForeignMessages {

    private ForeignMessages() {
    }

    static MessageRecord toRecord(Message foreign) throws JMSException {
        MessageRecord.Builder builder = MessageRecord.builder()
                .messageId(foreign.getJMSMessageID())
                .timestamp(foreign.getJMSTimestamp())
                .destination(address(foreign.getJMSDestination()))
                .replyTo(address(foreign.getJMSReplyTo()))
                .persistent(foreign.getJMSDeliveryMode() != DeliveryMode.NON_PERSISTENT)
                .priority(foreign.getJMSPriority())
                .expiration(foreign.getJMSExpiration())
                .deliveryTime(foreign.getJMSDeliveryTime())
                .type(foreign.getJMSType())
                .correlationId(foreign.getJMSCorrelationID())
                .properties(properties(foreign));
        if (foreign instanceof TextMessage) {
            builder.body(BodyType.TEXT, ((TextMessage) foreign).getText());
        } else if (foreign instanceof BytesMessage) {
            builder.body(BodyType.BYTES, bytes((BytesMessage) foreign));
        } else if (foreign instanceof MapMessage) {
            builder.body(BodyType.MAP, map((MapMessage) foreign));
        } else if (foreign instanceof StreamMessage) {
            builder.body(BodyType.STREAM, stream((StreamMessage) foreign));
        } else if (foreign instanceof ObjectMessage) {
            Serializable object = ((ObjectMessage) foreign).getObject();
            builder.body(BodyType.OBJECT, object == null ? null : CourierObjectMessage.serialize(object));
        }
        return builder.build();
    }

    private static Address address(Destination destination) throws JMSException {
        CourierDestination courier = CourierDestination.from(destination);
        return courier == null ? null : courier.address();
    }

    private static Map<String, Object> properties(Message foreign) throws JMSException {
        Map<String, Object> copy = null;
        for (Enumeration<?> names = foreign.getPropertyNames(); names.hasMoreElements(); ) {
            String name = (String) names.nextElement();
            if (PropertyNames.DELIVERY_COUNT.equals(name)) {
                continue;
            }
            Object value = foreign.getObjectProperty(name);
            if (value != null && !TypedValues.isPropertyType(value)) {
                throw new MessageFormatException("property " + name + " of a foreign message has "
                        + "an unsupported type " + value.getClass().getName());
            }
            if (copy == null) {
                copy = new HashMap<>();
            }
            copy.put(name, value);
        }
        return copy;
    }

    /** Reads the whole body; leaves the message reset to its start in read-only mode. */
    private static byte[] bytes(BytesMessage foreign) throws JMSException {
        foreign.reset();
        long length = foreign.getBodyLength();
        if (length > Integer.MAX_VALUE - 8) {
            throw new MessageFormatException("a BytesMessage body of " + length + " bytes is too large");
        }
        byte[] body = new byte[(int) length];
        int filled = Math.max(0, foreign.readBytes(body));
        while (filled < body.length) {
            // readBytes always fills from index 0, so a provider that returns short reads
            // needs a scratch buffer for the rest.
            byte[] rest = new byte[body.length - filled];
            int count = foreign.readBytes(rest);
            if (count <= 0) {
                throw new MessageFormatException("the foreign BytesMessage ended after " + filled
                        + " of " + body.length + " bytes");
            }
            System.arraycopy(rest, 0, body, filled, count);
            filled += count;
        }
        foreign.reset();
        return body;
    }

    private static Map<String, Object> map(MapMessage foreign) throws JMSException {
        Map<String, Object> copy = new HashMap<>();
        for (Enumeration<?> names = foreign.getMapNames(); names.hasMoreElements(); ) {
            String name = (String) names.nextElement();
            copy.put(name, TypedValues.ownedBodyValue(foreign.getObject(name)));
        }
        return Collections.unmodifiableMap(copy);
    }

    /** Reads every value; leaves the message reset to its start in read-only mode. */
    private static List<Object> stream(StreamMessage foreign) throws JMSException {
        foreign.reset();
        List<Object> values = new ArrayList<>();
        while (true) {
            Object value;
            try {
                value = foreign.readObject();
            } catch (MessageEOFException end) {
                break;
            }
            values.add(TypedValues.ownedBodyValue(value));
        }
        foreign.reset();
        return Collections.unmodifiableList(values);
    }
}
