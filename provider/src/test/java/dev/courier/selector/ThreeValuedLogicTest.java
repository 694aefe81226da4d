package dev.courier.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.courier.message.MessageRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The AND, OR and NOT truth tables of Jakarta Messaging 3.1 section 3.8.1.1, driven through
 * boolean properties {@code T} (true), {@code F} (false) and {@code U} (missing, so unknown), and
 * through comparisons that are true, false or unknown.
 */
class ThreeValuedLogicTest {

    private static MessageRecord message() {
        return MessageRecord.builder().property("T", true).property("F", false).property("n", 1).build();
    }

    private static String operand(String truth, boolean asComparison) {
        if (!asComparison) {
            return truth;
        }
        switch (truth) {
            case "T":
                return "n = 1";
            case "F":
                return "n = 2";
            default:
                return "missing = 1";
        }
    }

    private static Outcome outcome(String symbol) {
        return symbol.equals("T") ? Outcome.TRUE : symbol.equals("F") ? Outcome.FALSE : Outcome.UNKNOWN;
    }

    @ParameterizedTest(name = "{0} AND {1} is {2}")
    @CsvSource({
        "T, T, T", "T, F, F", "T, U, U",
        "F, T, F", "F, F, F", "F, U, F",
        "U, T, U", "U, F, F", "U, U, U"
    })
    void andFollowsTruthTable(String left, String right, String result) throws SelectorSyntaxException {
        for (boolean asComparison : new boolean[] {false, true}) {
            String condition = "(" + operand(left, asComparison) + ") AND (" + operand(right, asComparison) + ")";
            assertEquals(outcome(result), Outcome.of(condition, message()), condition);
        }
    }

    @ParameterizedTest(name = "{0} OR {1} is {2}")
    @CsvSource({
        "T, T, T", "T, F, T", "T, U, T",
        "F, T, T", "F, F, F", "F, U, U",
        "U, T, T", "U, F, U", "U, U, U"
    })
    void orFollowsTruthTable(String left, String right, String result) throws SelectorSyntaxException {
        for (boolean asComparison : new boolean[] {false, true}) {
            String condition = "(" + operand(left, asComparison) + ") OR (" + operand(right, asComparison) + ")";
            assertEquals(outcome(result), Outcome.of(condition, message()), condition);
        }
    }

    @ParameterizedTest(name = "NOT {0} is {1}")
    @CsvSource({"T, F", "F, T", "U, U"})
    void notFollowsTruthTable(String operand, String result) throws SelectorSyntaxException {
        for (boolean asComparison : new boolean[] {false, true}) {
            String condition = "NOT (" + operand(operand, asComparison) + ")";
            assertEquals(outcome(result), Outcome.of(condition, message()), condition);
        }
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            U AND F OR T        | TRUE
            U OR F AND T        | UNKNOWN
            NOT U AND F         | FALSE
            NOT U OR T          | TRUE
            NOT (U OR F)        | UNKNOWN
            NOT (U AND F)       | TRUE
            U AND U AND F       | FALSE
            U OR U OR T         | TRUE
            T AND T AND T AND U | UNKNOWN
            F OR F OR F OR U    | UNKNOWN
            """)
    void combinesUnknownWithPrecedence(String condition, Outcome expected) throws SelectorSyntaxException {
        assertEquals(expected, Outcome.of(condition, message()), condition);
    }
}
