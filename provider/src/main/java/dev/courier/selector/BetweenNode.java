package dev.courier.selector;

import dev.courier.message.MessageRecord;

/**
 * {@code value [NOT] BETWEEN low AND high}, evaluated exactly as the specification's equivalents:
 * {@code value >= low AND value <= high}, and for NOT, {@code value < low OR value > high}.
 */
final class BetweenNode extends ConditionNode {

    private final Node value;
    private final Node low;
    private final Node high;
    private final boolean negated;

    BetweenNode(Node value, Node low, Node high, boolean negated) {
        this.value = value;
        this.low = low;
        this.high = high;
        this.negated = negated;
    }

    @Override
    int truth(MessageRecord message) {
        if (value.comparesPrimitively()) {
            return truthWithoutBoxing(message);
        }
        Object tested = value.value(message);
        if (tested == null) {
            return Truth.UNKNOWN;
        }
        Object lowValue = low.value(message);
        Object highValue = high.value(message);
        if (negated) {
            return Truth.or(ComparisonOperator.LESS.compare(tested, lowValue),
                    ComparisonOperator.GREATER.compare(tested, highValue));
        }
        return Truth.and(ComparisonOperator.GREATER_OR_EQUAL.compare(tested, lowValue),
                ComparisonOperator.LESS_OR_EQUAL.compare(tested, highValue));
    }

    /** The same as the boxing path, for a value (a primitive header) that is cheap to read twice. */
    private int truthWithoutBoxing(MessageRecord message) {
        Object lowValue = low.value(message);
        Object highValue = high.value(message);
        if (negated) {
            return Truth.or(value.compare(ComparisonOperator.LESS, lowValue, message),
                    value.compare(ComparisonOperator.GREATER, highValue, message));
        }
        return Truth.and(value.compare(ComparisonOperator.GREATER_OR_EQUAL, lowValue, message),
                value.compare(ComparisonOperator.LESS_OR_EQUAL, highValue, message));
    }
}
