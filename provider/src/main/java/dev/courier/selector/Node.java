package dev.courier.selector;

import dev.courier.message.MessageRecord;

/**
 * One node of a compiled selector. A node is immutable, so a compiled tree may be evaluated by
 * many threads at once.
 *
 * <p>Values are {@code Boolean}, {@code Long}/{@code Integer}/{@code Short}/{@code Byte},
 * {@code Double}/{@code Float}, {@code String}, or null for NULL and for an unknown result.
 */
abstract class Node {

    /** This node's value for the message, or null when it is NULL or unknown. */
    abstract Object value(MessageRecord message);

    /** This node used as a condition: {@link Truth#TRUE}, {@link Truth#FALSE} or {@link Truth#UNKNOWN}. */
    int truth(MessageRecord message) {
        return Truth.fromValue(value(message));
    }

    /**
     * Compares this node's value with {@code other}: the same result as
     * {@code operator.compare(value(message), other)}. A node whose value is a primitive header
     * overrides this to compare without boxing.
     */
    int compare(ComparisonOperator operator, Object other, MessageRecord message) {
        return operator.compare(value(message), other);
    }

    /** True when {@link #compare} avoids boxing, so comparisons should put this node on the left. */
    boolean comparesPrimitively() {
        return false;
    }
}
