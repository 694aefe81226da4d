package dev.courier.selector;

import dev.courier.message.MessageRecord;

/**
 * The header fields a selector may name (Jakarta Messaging 3.1 section 3.8.1.1), each with its
 * selector type and how to read it from a message. Other {@code JMS*} headers (destination,
 * reply-to, expiration, redelivered, delivery time) are not allowed in selectors.
 */
enum HeaderField {
    DELIVERY_MODE("JMSDeliveryMode", StaticType.STRING) {
        @Override
        Object read(MessageRecord message) {
            return message.persistent() ? "PERSISTENT" : "NON_PERSISTENT";
        }
    },
    PRIORITY("JMSPriority", StaticType.NUMERIC) {
        @Override
        Object read(MessageRecord message) {
            return message.priority();
        }
    },
    MESSAGE_ID("JMSMessageID", StaticType.STRING) {
        @Override
        Object read(MessageRecord message) {
            return message.messageId();
        }
    },
    TIMESTAMP("JMSTimestamp", StaticType.NUMERIC) {
        @Override
        Object read(MessageRecord message) {
            return message.timestamp();
        }
    },
    CORRELATION_ID("JMSCorrelationID", StaticType.STRING) {
        /** A correlation ID set only as bytes has no string form, so a selector sees NULL. */
        @Override
        Object read(MessageRecord message) {
            return message.correlationId();
        }
    },
    TYPE("JMSType", StaticType.STRING) {
        @Override
        Object read(MessageRecord message) {
            return message.type();
        }
    };

    private final String identifier;
    private final StaticType type;

    HeaderField(String identifier, StaticType type) {
        this.identifier = identifier;
        this.type = type;
    }

    abstract Object read(MessageRecord message);

    StaticType type() {
        return type;
    }

    /** The header field a selector identifier names, or null when it names none. */
    static HeaderField forIdentifier(String identifier) {
        for (HeaderField field : values()) {
            if (field.identifier.equals(identifier)) {
                return field;
            }
        }
        return null;
    }
}
