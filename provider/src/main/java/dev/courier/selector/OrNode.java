package dev.courier.selector;

import dev.courier.message.MessageRecord;

/**
 * {@code a OR b OR ...} over any number of operands, so a long chain is one flat loop rather
 * than a deep tree. Stops at the first TRUE.
 */
final class OrNode extends ConditionNode {

    private final Node[] operands;

    OrNode(Node[] operands) {
        this.operands = operands.clone();
    }

    @Override
    int truth(MessageRecord message) {
        int result = Truth.FALSE;
        for (Node operand : operands) {
            int truth = operand.truth(message);
            if (truth == Truth.TRUE) {
                return Truth.TRUE;
            }
            result = Truth.or(result, truth);
        }
        return result;
    }
}
