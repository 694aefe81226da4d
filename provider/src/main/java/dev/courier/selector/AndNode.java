package dev.courier.selector;

import dev.courier.message.MessageRecord;

/**
 * {@code a AND b AND ...} over any number of operands, so a long chain is one flat loop rather
 * than a deep tree. Stops at the first FALSE.
 */
final class AndNode extends ConditionNode {

    private final Node[] operands;

    AndNode(Node[] operands) {
        this.operands = operands.clone();
    }

    @Override
    int truth(MessageRecord message) {
        int result = Truth.TRUE;
        for (Node operand : operands) {
            int truth = operand.truth(message);
            if (truth == Truth.FALSE) {
                return Truth.FALSE;
            }
            result = Truth.and(result, truth);
        }
        return result;
    }
}
