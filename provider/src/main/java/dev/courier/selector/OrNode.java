package dev.courier.selector;

import dev.courier.message.MessageRecord;

/** {@code left OR right}; skips the right side once the left is TRUE. */
final class OrNode extends ConditionNode {

    private final Node left;
    private final Node right;

    OrNode(Node left, Node right) {
        this.left = left;
        this.right = right;
    }

    @Override
    int truth(MessageRecord message) {
        int leftTruth = left.truth(message);
        if (leftTruth == Truth.TRUE) {
            return Truth.TRUE;
        }
        return Truth.or(leftTruth, right.truth(message));
    }
}
