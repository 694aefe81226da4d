package dev.courier.selector;

import dev.courier.message.MessageRecord;

/** {@code left op right} for = &lt;&gt; &lt; &lt;= &gt; &gt;=; see {@link ComparisonOperator#compare}. */
final class ComparisonNode extends ConditionNode {

    private final Node left;
    private final ComparisonOperator operator;
    private final Node right;

    private ComparisonNode(Node left, ComparisonOperator operator, Node right) {
        this.left = left;
        this.operator = operator;
        this.right = right;
    }

    /** {@code left operator right}, with the operands swapped when only the right one compares primitively. */
    static ComparisonNode of(Node left, ComparisonOperator operator, Node right) {
        if (!left.comparesPrimitively() && right.comparesPrimitively()) {
            return new ComparisonNode(right, operator.reversed(), left);
        }
        return new ComparisonNode(left, operator, right);
    }

    Node left() {
        return left;
    }

    ComparisonOperator operator() {
        return operator;
    }

    Node right() {
        return right;
    }

    @Override
    int truth(MessageRecord message) {
        return left.compare(operator, right.value(message), message);
    }
}
