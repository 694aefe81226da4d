package dev.courier.selector;

import dev.courier.message.MessageRecord;

/** {@code left AND right}; skips the right side once the left is FALSE. */
final class AndNode extends ConditionNode {

    private final Node left;
    private final Node right;

    AndNode(Node left, Node right) {
        this.left = left;
        this.right = right;
    }

    @Override
    int truth(MessageRecord message) {
        int leftTruth = left.truth(message);
        if (leftTruth == Truth.FALSE) {
            return Truth.FALSE;
        }
        return Truth.and(leftTruth, right.truth(message));
    }
}
