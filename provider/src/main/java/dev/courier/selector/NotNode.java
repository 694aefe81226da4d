package dev.courier.selector;

import dev.courier.message.MessageRecord;

/** {@code NOT operand}: unknown stays unknown. */
final class NotNode extends ConditionNode {

    private final Node operand;

    NotNode(Node operand) {
        this.operand = operand;
    }

    @Override
    int truth(MessageRecord message) {
        return Truth.not(operand.truth(message));
    }
}
