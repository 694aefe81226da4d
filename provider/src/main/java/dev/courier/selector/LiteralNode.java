package dev.courier.selector;

import dev.courier.message.MessageRecord;

/** A literal: a String, a Long, a Double or a Boolean, boxed once at compile time. */
final class LiteralNode extends Node {

    private final Object literal;

    LiteralNode(Object literal) {
        this.literal = literal;
    }

    Object literal() {
        return literal;
    }

    @Override
    Object value(MessageRecord message) {
        return literal;
    }
}
