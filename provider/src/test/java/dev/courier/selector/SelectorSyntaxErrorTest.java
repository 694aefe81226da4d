package dev.courier.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Selectors that must not compile, with the 0-based position the error must report. */
class SelectorSyntaxErrorTest {

    private static SelectorSyntaxException compileError(String selector) {
        return assertThrows(SelectorSyntaxException.class, () -> Selector.compile(selector), selector);
    }

    @ParameterizedTest(name = "{0} fails at {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            i =                         | 3
            = 5                         | 0
            i = 5 AND                   | 9
            i = 5 OR                    | 8
            AND i = 5                   | 0
            i = 5 i = 6                 | 6
            i == 5                      | 3
            i != 5                      | 2
            i = 5)                      | 5
            (i = 5                      | 6
            ((i = 5)                    | 8
            ()                          | 1
            i = ()                      | 5
            i = 'abc                    | 4
            'abc                        | 0
            i = 5 # 3                   | 6
            i = \"a\"                   | 4
            i = 1.2.3                   | 4
            i = 1e                      | 4
            i = 1e+                     | 4
            i = 5x                      | 4
            i=5AND l=10                 | 2
            i = 09                      | 4
            i = 0x                      | 4
            i = 0xG                     | 4
            i = 9223372036854775808     | 4
            i = 99999999999999999999    | 4
            i = -9223372036854775809    | 5
            i = 0x1FFFFFFFFFFFFFFFF     | 4
            i = 1e400                   | 4
            i = -(9223372036854775808)  | 6
            i BETWEEN 1                 | 11
            i BETWEEN 1 OR 2            | 12
            i BETWEEN AND 2             | 10
            i NOT 5                     | 6
            i NOT = 5                   | 6
            NOT                         | 3
            i IS 5                      | 5
            i IS NOT 5                  | 9
            i IS NULL NULL              | 10
            i = NULL                    | 4
            NULL IS NULL                | 0
            NULL = NULL                 | 0
            s IN ()                     | 6
            s IN 'a'                    | 5
            s IN ('a',)                 | 10
            s IN ('a' 'b')              | 10
            s IN ('a'                   | 9
            s IN (1, 2)                 | 6
            s IN ('a', 2)               | 11
            s IN (s)                    | 6
            s IN (TRUE)                 | 6
            s LIKE                      | 6
            s LIKE 3                    | 7
            s LIKE t                    | 7
            s LIKE 'a' ESCAPE           | 17
            s LIKE 'a' ESCAPE ''        | 18
            s LIKE 'a' ESCAPE 'ab'      | 18
            s LIKE 'a' ESCAPE 1         | 18
            s LIKE 'a!' ESCAPE '!'      | 7
            3 LIKE 'a'                  | 0
            TRUE LIKE 'a'               | 0
            i + 1 LIKE 'a'              | 0
            JMSPriority LIKE '5'        | 0
            3 IN ('a')                  | 0
            JMSTimestamp IN ('1')       | 0
            (i = 1) IN ('a')            | 0
            (i = 1) LIKE 'a'            | 0
            s BETWEEN 'a' AND 'b'       | 10
            s BETWEEN 1 AND 'b'         | 16
            'a' BETWEEN 1 AND 2         | 0
            TRUE BETWEEN 1 AND 2        | 0
            JMSType BETWEEN 1 AND 2     | 0
            (i = 1) BETWEEN 0 AND 1     | 0
            'abc' + 1                   | 0
            'abc' + 1 = 2               | 0
            1 + 'abc' = 2               | 4
            i + 'abc' = 2               | 4
            TRUE + 1 = 2                | 0
            -'a' = 1                    | 1
            -TRUE = 1                   | 1
            +'a' = 1                    | 1
            i * (i = 1) = 1             | 4
            JMSType * 2 = 1             | 0
            JMSDeliveryMode - 1 = 0     | 0
            TRUE > 3                    | 0
            3 > TRUE                    | 4
            t > TRUE                    | 4
            'a' < 'b'                   | 0
            s < 'b'                     | 4
            s >= 'b'                    | 5
            JMSType > 'a'               | 0
            JMSMessageID <= 'a'         | 0
            (i = 1) < 2                 | 0
            a + 1                       | 0
            'x'                         | 0
            5                           | 0
            -5                          | 0
            JMSType                     | 0
            JMSPriority                 | 0
            i + 1 AND t                 | 0
            t AND 'x'                   | 6
            t OR 5                      | 5
            NOT 5                       | 4
            NOT 'x'                     | 4
            NOT JMSType                 | 4
            i = 5 AND JMSTimestamp      | 10
            JMSDestination IS NULL      | 0
            JMSReplyTo IS NULL          | 0
            JMSExpiration > 0           | 0
            JMSRedelivered = TRUE       | 0
            JMSDeliveryTime > 0         | 0
            JMSFoo = 1                  | 0
            JMS = 1                     | 0
            i = 1 AND JMSdeliverymode = 'x' | 10
            jmsType = 'x' OR JMSType2 = 'y' | 17
            NOT = 1                     | 4
            AND = 1                     | 0
            OR = 1                      | 0
            BETWEEN = 1                 | 0
            LIKE = 1                    | 0
            IN = 1                      | 0
            IS = 1                      | 0
            ESCAPE = 1                  | 0
            null = 1                    | 0
            true = 1 = 1                | 7
            1 = TRUE                    | 4
            'abc' = 1                   | 8
            FALSE = 0                   | 8
            JMSDeliveryMode = 2         | 18
            i = 1 = 1                   | 6
            i < 2 < 3                   | 6
            i = 'it''s' ''              | 12
            s IN ('a') ESCAPE '!'       | 11
            s LIKE 'a' ESCAPE '!' ESCAPE '!' | 22
            i IS NULL IS NULL           | 10
            t t                         | 2
            i = 5 ,                     | 6
            , i = 5                     | 0
            1-                          | 2
            i *                         | 3
            * i = 1                     | 0
            / i = 1                     | 0
            i = 1 /                     | 7
            """)
    void rejectsInvalidSelectorAtPosition(String selector, int position) {
        SelectorSyntaxException error = compileError(selector);
        assertEquals(position, error.position(), error::getMessage);
    }

    @Test
    void messageNamesSelectorProblemAndPosition() {
        SelectorSyntaxException error = compileError("(a = 1 AND b = 2");
        assertEquals("Invalid selector \"(a = 1 AND b = 2\": expected ')' but found the end of the selector"
                + " at position 16", error.getMessage());
    }

    @Test
    void forbiddenHeaderIsNamedInMessage() {
        SelectorSyntaxException error = compileError("JMSRedelivered = TRUE");
        assertTrue(error.getMessage().contains("'JMSRedelivered' cannot be used in a selector"), error::getMessage);
    }

    @Test
    void typeErrorMessageNamesOperator() {
        SelectorSyntaxException error = compileError("'abc' + 1 = 2");
        assertTrue(error.getMessage().contains("'+' needs numeric operands"), error::getMessage);
    }

    @Test
    void nonConditionSelectorIsRejectedWithReason() {
        SelectorSyntaxException error = compileError("a + 1");
        assertTrue(error.getMessage().contains("must be a condition"), error::getMessage);
    }

    @Test
    void unterminatedStringReportsWhereTheOpenQuoteIs() {
        assertEquals(15, compileError("name IN ('a, 'b')").position());
    }

    @Test
    void unexpectedCharacterIsReportedAtItsPosition() {
        SelectorSyntaxException error = compileError("a = 1 ; b = 2");
        assertEquals(6, error.position());
        assertTrue(error.getMessage().contains("unexpected character ';'"), error::getMessage);
    }

    @Test
    void deeplyNestedParenthesesAreRejectedNotOverflowed() {
        String selector = "(".repeat(100_000) + "a = 1" + ")".repeat(100_000);
        SelectorSyntaxException error = compileError(selector);
        assertTrue(error.getMessage().contains("nests more than"), () -> error.getMessage().substring(0, 100));
    }

    @Test
    void longNotAndSignChainsAreRejectedNotOverflowed() {
        assertTrue(compileError("NOT ".repeat(100_000) + "t").getMessage().contains("nests more than"));
        assertTrue(compileError("- ".repeat(100_000) + "a = 1").getMessage().contains("nests more than"));
    }

    @Test
    void longArithmeticChainIsRejectedNotOverflowed() {
        assertTrue(compileError("a" + " + a".repeat(100_000) + " = 1").getMessage().contains("nests more than"));
    }
}
