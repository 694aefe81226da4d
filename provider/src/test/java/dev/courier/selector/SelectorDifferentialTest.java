package dev.courier.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.courier.message.MessageRecord;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Compares the compiled {@link Selector} with the {@link ReferenceInterpreter} over thousands of
 * random selectors and messages. Set {@code -Dselector.seed=N} to replay a failure; the seed is in
 * every failure message.
 */
class SelectorDifferentialTest {

    private static final long DEFAULT_SEED = 20261127L;
    private static final int SELECTORS = 5_000;
    private static final int MESSAGES_PER_SELECTOR = 20;

    @Test
    void compiledSelectorAgreesWithReferenceInterpreter() {
        long seed = Long.getLong("selector.seed", DEFAULT_SEED);
        Random random = new Random(seed);
        RandomSelectorGenerator generator = new RandomSelectorGenerator(random);
        int[] outcomes = new int[3];
        int typeErrors = 0;
        for (int round = 0; round < SELECTORS; round++) {
            ReferenceExpression expression = generator.condition(1 + random.nextInt(4));
            String text = ReferenceExpression.text(expression, random);
            Selector selector;
            Selector negation;
            try {
                selector = Selector.compile(text);
                negation = Selector.compile("NOT (" + text + ")");
            } catch (SelectorSyntaxException e) {
                if (isStaticTypeMismatch(e)) {
                    // e.g. TRUE = 0: refused at compile time (3.8.1.1), so there is nothing to evaluate.
                    typeErrors++;
                    continue;
                }
                throw new AssertionError("seed " + seed + ", round " + round + ": valid selector rejected: " + text, e);
            }
            for (int m = 0; m < MESSAGES_PER_SELECTOR; m++) {
                MessageRecord message = generator.message();
                Boolean expected = ReferenceInterpreter.truth(expression, message);
                Boolean actual = selector.matches(message) ? Boolean.TRUE
                        : negation.matches(message) ? Boolean.FALSE : null;
                if (expected != actual) {
                    fail("seed " + seed + ", round " + round + ": " + text + "\n  message headers: priority="
                            + message.priority() + " timestamp=" + message.timestamp() + " type=" + message.type()
                            + " id=" + message.messageId() + " correlation=" + message.correlationId()
                            + " persistent=" + message.persistent() + "\n  properties: " + describe(message)
                            + "\n  expected " + expected + " but compiled selector gave " + actual);
                }
                outcomes[expected == null ? 2 : expected ? 0 : 1]++;
            }
        }
        assertTrue(typeErrors < SELECTORS / 4, "seed " + seed + ": too few selectors evaluated, "
                + typeErrors + " refused as type errors");
        int evaluations = (SELECTORS - typeErrors) * MESSAGES_PER_SELECTOR;
        for (int outcome : outcomes) {
            // Guards the generator: a run where one truth value (almost) never occurs tests little.
            assertTrue(outcome > evaluations / 10, "seed " + seed + ": skewed outcomes TRUE/FALSE/UNKNOWN "
                    + Arrays.toString(outcomes));
        }
    }

    @Test
    void renderedSelectorsReparseToTheSameText() {
        Random random = new Random(DEFAULT_SEED + 1);
        RandomSelectorGenerator generator = new RandomSelectorGenerator(random);
        for (int round = 0; round < 1_000; round++) {
            String text = ReferenceExpression.text(generator.condition(3), random);
            try {
                assertEquals(text, Selector.compile(text).expression());
            } catch (SelectorSyntaxException e) {
                if (isStaticTypeMismatch(e)) {
                    continue;
                }
                throw new AssertionError("seed " + (DEFAULT_SEED + 1) + ": valid selector rejected: " + text, e);
            }
        }
    }

    /** The generator may compare literals of different types, which the compiler rightly refuses. */
    private static boolean isStaticTypeMismatch(SelectorSyntaxException e) {
        return e.getMessage().contains("compares values of one type");
    }

    private static String describe(MessageRecord message) {
        StringBuilder out = new StringBuilder();
        message.properties().forEach((name, value) -> out.append(name).append('=')
                .append(value instanceof String ? "'" + value + "'" : value)
                .append(" (").append(value.getClass().getSimpleName()).append(") "));
        return out.toString();
    }
}
