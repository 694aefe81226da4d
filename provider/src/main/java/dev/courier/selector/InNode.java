package dev.courier.selector;

import dev.courier.message.MessageRecord;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code value [NOT] IN ('a', 'b', ...)}, one hash lookup per message. As the specification's
 * equivalent {@code value = 'a' OR value = 'b' ...} implies: NULL is unknown, a string is looked
 * up, and a value of another type equals none of the strings (so IN is false, NOT IN true).
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
        boolean found = tested instanceof String && candidates.contains(tested);
        return Truth.of(found != negated);
    }
}
