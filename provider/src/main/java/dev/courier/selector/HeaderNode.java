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
}
