package dev.courier.selector;

import dev.courier.message.MessageRecord;

/**
 * A node whose natural result is a truth value (comparisons, logic, LIKE, IN, ...). Subclasses
 * compute {@link #truth}; the value form is derived so a condition can also be compared.
 */
abstract class ConditionNode extends Node {

    @Override
    abstract int truth(MessageRecord message);

    @Override
    final Object value(MessageRecord message) {
        return Truth.toValue(truth(message));
    }
}
