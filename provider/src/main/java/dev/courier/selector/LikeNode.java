package dev.courier.selector;

import dev.courier.message.MessageRecord;

/**
 * {@code value [NOT] LIKE pattern [ESCAPE c]}. NULL is unknown; so is a value that is not a
 * string (LIKE is only defined on strings), which keeps {@code NOT LIKE} the exact negation of
 * {@code LIKE} and never lets a mistyped property match either.
 */
final class LikeNode extends ConditionNode {

    private final Node value;
    private final LikePattern pattern;
    private final boolean negated;

    LikeNode(Node value, LikePattern pattern, boolean negated) {
        this.value = value;
        this.pattern = pattern;
        this.negated = negated;
    }

    @Override
    int truth(MessageRecord message) {
        Object tested = value.value(message);
        if (!(tested instanceof String)) {
            return Truth.UNKNOWN;
        }
        return Truth.of(pattern.matches((String) tested) != negated);
    }
}
