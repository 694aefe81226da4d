package dev.courier.selector;

import dev.courier.message.MessageRecord;

/** A header field read from the message. */
final class HeaderNode extends Node {

    private final HeaderField field;

    HeaderNode(HeaderField field) {
        this.field = field;
    }

    @Override
    Object value(MessageRecord message) {
        return field.read(message);
    }

    /** JMSTimestamp is a long that routing compares often; comparing it as a primitive avoids boxing. */
    @Override
    int compare(ComparisonOperator operator, Object other, MessageRecord message) {
        if (field == HeaderField.TIMESTAMP) {
            return operator.compare(message.timestamp(), other);
        }
        return operator.compare(value(message), other);
    }

    @Override
    boolean comparesPrimitively() {
        return field == HeaderField.TIMESTAMP;
    }
}
