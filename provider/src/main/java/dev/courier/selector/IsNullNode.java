package dev.courier.selector;

import dev.courier.message.MessageRecord;

/** {@code value IS [NOT] NULL}; never unknown. */
final class IsNullNode extends ConditionNode {

    private final Node value;
    private final boolean negated;

    IsNullNode(Node value, boolean negated) {
        this.value = value;
        this.negated = negated;
    }

    @Override
    int truth(MessageRecord message) {
        return Truth.of((value.value(message) == null) != negated);
    }
}
