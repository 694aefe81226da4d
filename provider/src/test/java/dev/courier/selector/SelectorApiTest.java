package dev.courier.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.message.MessageRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The public contract of {@link Selector}: match-all, expression text, headers, sharing. */
class SelectorApiTest {

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " ", "   ", "\t\n", " \r\n "})
    void blankSelectorIsMatchAll(String expression) throws SelectorSyntaxException {
        Selector selector = Selector.compile(expression);
        assertSame(Selector.MATCH_ALL, selector);
        assertTrue(selector.isMatchAll());
        assertTrue(selector.matches(TestMessages.empty()));
        assertNull(selector.expression());
    }

    @Test
    void compiledSelectorKeepsItsExpression() throws SelectorSyntaxException {
        Selector selector = Selector.compile(" color = 'red' ");
        assertEquals(" color = 'red' ", selector.expression());
        assertFalse(selector.isMatchAll());
    }

    @Test
    void trueLiteralIsNotMatchAllButMatchesEverything() throws SelectorSyntaxException {
        Selector selector = Selector.compile("TRUE");
        assertFalse(selector.isMatchAll());
        assertTrue(selector.matches(TestMessages.empty()));
    }

    @Test
    void notInWithNullPropertyIsUnknown() throws SelectorSyntaxException {
        assertFalse(Selector.compile("color NOT IN ('red')").matches(TestMessages.empty()));
        assertFalse(Selector.compile("color IN ('red')").matches(TestMessages.empty()));
    }

    @Test
    void notLikeWithNullPropertyIsUnknown() throws SelectorSyntaxException {
        assertFalse(Selector.compile("color NOT LIKE 'r%'").matches(TestMessages.empty()));
    }

    @Test
    void notBetweenWithNullPropertyIsUnknown() throws SelectorSyntaxException {
        assertFalse(Selector.compile("n NOT BETWEEN 1 AND 2").matches(TestMessages.empty()));
    }

    @Test
    void comparisonWithMissingPropertyDoesNotMatchEitherWay() throws SelectorSyntaxException {
        assertFalse(Selector.compile("n = 1").matches(TestMessages.empty()));
        assertFalse(Selector.compile("n <> 1").matches(TestMessages.empty()));
    }

    @Test
    void nonBooleanPropertyAsConditionDoesNotMatch() throws SelectorSyntaxException {
        MessageRecord message = TestMessages.withProperty("flag", "true");
        assertFalse(Selector.compile("flag").matches(message));
        assertFalse(Selector.compile("NOT flag").matches(message));
        assertTrue(Selector.compile("flag").matches(TestMessages.withProperty("flag", true)));
    }

    @Test
    void deliveryModeComparesAsString() throws SelectorSyntaxException {
        Selector persistent = Selector.compile("JMSDeliveryMode = 'PERSISTENT'");
        Selector nonPersistent = Selector.compile("JMSDeliveryMode = 'NON_PERSISTENT'");
        MessageRecord sentNonPersistent = MessageRecord.builder().persistent(false).build();
        assertFalse(persistent.matches(sentNonPersistent));
        assertTrue(nonPersistent.matches(sentNonPersistent));
        assertTrue(persistent.matches(MessageRecord.builder().persistent(true).build()));
    }

    @Test
    void correlationIdSetAsBytesIsNull() throws SelectorSyntaxException {
        MessageRecord message = MessageRecord.builder()
                .correlationIdBytes("abc".getBytes(StandardCharsets.UTF_8)).build();
        assertTrue(Selector.compile("JMSCorrelationID IS NULL").matches(message));
        assertFalse(Selector.compile("JMSCorrelationID = 'abc'").matches(message));
    }

    @Test
    void missingHeadersAreNull() throws SelectorSyntaxException {
        MessageRecord message = TestMessages.empty();
        assertTrue(Selector.compile("JMSMessageID IS NULL AND JMSType IS NULL AND JMSCorrelationID IS NULL")
                .matches(message));
        assertTrue(Selector.compile("JMSTimestamp = 0 AND JMSPriority = 4").matches(message));
    }

    @Test
    void propertyNamesAreCaseSensitive() throws SelectorSyntaxException {
        MessageRecord message = TestMessages.withProperty("Color", "red");
        assertTrue(Selector.compile("Color = 'red'").matches(message));
        assertFalse(Selector.compile("color = 'red'").matches(message));
        assertFalse(Selector.compile("COLOR = 'red'").matches(message));
    }

    @Test
    void largeLongsCompareExactlyNotAsDoubles() throws SelectorSyntaxException {
        MessageRecord message = TestMessages.withProperty("n", 9007199254740993L);
        assertTrue(Selector.compile("n = 9007199254740993").matches(message));
        assertFalse(Selector.compile("n = 9007199254740992").matches(message));
        assertTrue(Selector.compile("n > 9007199254740992").matches(message));
    }

    @Test
    void integralDivisionByZeroDoesNotThrow() throws SelectorSyntaxException {
        Selector selector = Selector.compile("n / 0 = 1 OR n / 0 <> 1");
        assertFalse(selector.matches(TestMessages.withProperty("n", 1)));
        assertTrue(Selector.compile("n / 0 > 1").matches(TestMessages.withProperty("n", 1.0)));
    }

    @Test
    void minLongDividedByMinusOneDoesNotThrow() throws SelectorSyntaxException {
        MessageRecord message = TestMessages.withProperty("n", Long.MIN_VALUE);
        assertTrue(Selector.compile("n / -1 = n").matches(message));
    }

    @Test
    void toStringShowsExpression() throws SelectorSyntaxException {
        assertEquals("Selector[a = 1]", Selector.compile("a = 1").toString());
        assertEquals("Selector[match all]", Selector.MATCH_ALL.toString());
    }

    @Test
    void oneCompiledSelectorIsSharedAcrossThreads() throws Exception {
        Selector selector = Selector.compile("n BETWEEN 10 AND 20 AND s LIKE 'a%' AND t IN ('x', 'y')");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                results.add(pool.submit(() -> {
                    int matched = 0;
                    for (int n = 0; n < 10_000; n++) {
                        MessageRecord message = MessageRecord.builder()
                                .property("n", n % 30).property("s", n % 2 == 0 ? "abc" : "xyz")
                                .property("t", "x").build();
                        if (selector.matches(message)) {
                            matched++;
                        }
                    }
                    return matched;
                }));
            }
            int expected = 0;
            for (int n = 0; n < 10_000; n++) {
                if (n % 30 >= 10 && n % 30 <= 20 && n % 2 == 0) {
                    expected++;
                }
            }
            for (Future<Integer> result : results) {
                assertEquals(expected, result.get());
            }
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void longOrChainCompilesAndEvaluatesFlat() throws SelectorSyntaxException {
        StringBuilder text = new StringBuilder("n = 0");
        for (int i = 1; i < 50_000; i++) {
            text.append(" OR n = ").append(i);
        }
        Selector selector = Selector.compile(text.toString());
        assertTrue(selector.matches(TestMessages.withProperty("n", 49_999)));
        assertFalse(selector.matches(TestMessages.withProperty("n", 50_000)));
        assertFalse(selector.matches(TestMessages.empty()));
    }

    @Test
    void longAndChainCompilesAndEvaluatesFlat() throws SelectorSyntaxException {
        Selector selector = Selector.compile("n > 0" + " AND n > 0".repeat(50_000));
        assertTrue(selector.matches(TestMessages.withProperty("n", 1)));
        assertFalse(selector.matches(TestMessages.withProperty("n", 0)));
    }

    @Test
    void moderatelyNestedSelectorIsAccepted() throws SelectorSyntaxException {
        Selector selector = Selector.compile("(".repeat(150) + "n = 1" + ")".repeat(150));
        assertTrue(selector.matches(TestMessages.withProperty("n", 1)));
        assertTrue(Selector.compile("n" + " + 1".repeat(300) + " = 300").matches(TestMessages.withProperty("n", 0)));
    }
}
