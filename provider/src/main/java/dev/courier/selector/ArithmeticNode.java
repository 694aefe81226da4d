package dev.courier.selector;

import dev.courier.message.MessageRecord;

/** {@code left op right} for + - * /; see {@link ArithmeticOperator}. */
final class ArithmeticNode extends Node {

    private final Node left;
    private final ArithmeticOperator operator;
    private final Node right;

    ArithmeticNode(Node left, ArithmeticOperator operator, Node right) {
        this.left = left;
        this.operator = operator;
        this.right = right;
    }

    @Override
    Object value(MessageRecord message) {
        Object leftValue = left.value(message);
        if (leftValue == null) {
            return null;
        }
        return operator.apply(leftValue, right.value(message));
    }
}
