package dev.courier.selector;

import dev.courier.message.MessageRecord;

/** {@code left op right} for = &lt;&gt; &lt; &lt;= &gt; &gt;=; see {@link ComparisonOperator#compare}. */
final class ComparisonNode extends ConditionNode {

    private final Node left;
    private final ComparisonOperator operator;
    private final Node right;

    ComparisonNode(Node left, ComparisonOperator operator, Node right) {
        this.left = left;
        this.operator = operator;
        this.right = right;
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
        return operator.compare(left.value(message), right.value(message));
    }
}
