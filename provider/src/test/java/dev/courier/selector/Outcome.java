package dev.courier.selector;

import dev.courier.message.MessageRecord;

/**
 * The three truth values as seen through the public API: a condition is TRUE when it matches,
 * FALSE when its negation matches, UNKNOWN when neither does.
 */
enum Outcome {
    TRUE, FALSE, UNKNOWN;

    static Outcome of(String condition, MessageRecord message) throws SelectorSyntaxException {
        boolean matches = Selector.compile(condition).matches(message);
        boolean negationMatches = Selector.compile("NOT (" + condition + ")").matches(message);
        if (matches && negationMatches) {
            throw new AssertionError("both " + condition + " and its negation match");
        }
        return matches ? TRUE : negationMatches ? FALSE : UNKNOWN;
    }
}
