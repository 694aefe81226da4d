package dev.courier.selector;

import dev.courier.message.MessageRecord;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code value [NOT] IN ('a', 'b', ...)}, one hash lookup per message. The specification defines
 * IN only for an identifier with a String or NULL value (3.8.1.1): NULL is unknown, a string is
 * looked up, and a value of another type is outside the operator's domain, so unknown too
 * (neither IN nor NOT IN selects it, as the TCK and the reference implementation hold; LIKE
 * treats a non-string the same way).
 */
final class InNode extends ConditionNode {

    private final Node value;
    private final HashSet<String> candidates;
    private final boolean negated;

    InNode(Node value, Set<String> candidates, boolean negated) {
        this.value = value;
        this.candidates = new HashSet<>(candidates);
        this.negated = negated;
    }

    Node valueNode() {
        return value;
    }

    Set<String> candidates() {
        return Collections.unmodifiableSet(candidates);
    }

    boolean isNegated() {
        return negated;
    }

    @Override
    int truth(MessageRecord message) {
        Object tested = value.value(message);
        if (tested == null) {
            return Truth.UNKNOWN;
        }
        if (!(tested instanceof String)) {
            return Truth.UNKNOWN;
        }
        return Truth.of(candidates.contains(tested) != negated);
    }
}
