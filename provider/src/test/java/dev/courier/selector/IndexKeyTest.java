package dev.courier.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.message.MessageRecord;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Selector#indexKey()} and {@link IndexKey#normalize}. */
class IndexKeyTest {

    private static IndexKey keyOf(String selector) throws SelectorSyntaxException {
        return Selector.compile(selector).indexKey();
    }

    @Test
    void propertyEqualsStringGivesKey() throws SelectorSyntaxException {
        IndexKey key = keyOf("region = 'EU'");
        assertEquals("region", key.property());
        assertEquals(Set.of("EU"), key.values());
    }

    @Test
    void literalOnTheLeftGivesKey() throws SelectorSyntaxException {
        assertEquals(Set.of("EU"), keyOf("'EU' = region").values());
    }

    @Test
    void parenthesesAroundTheWholeSelectorStillGiveKey() throws SelectorSyntaxException {
        assertEquals(Set.of(7L), keyOf("((n = 7))").values());
    }

    @Test
    void numericLiteralsAreNormalized() throws SelectorSyntaxException {
        assertEquals(Set.of(7L), keyOf("n = 7").values());
        assertEquals(Set.of(7L), keyOf("n = 7.0").values());
        assertEquals(Set.of(-7L), keyOf("n = -7").values());
        assertEquals(Set.of(7.5), keyOf("n = 7.5").values());
        assertEquals(Set.of(0L), keyOf("n = -0.0").values());
        assertEquals(Set.of(Boolean.TRUE), keyOf("flag = TRUE").values());
    }

    @Test
    void inListGivesAllValues() throws SelectorSyntaxException {
        IndexKey key = keyOf("color IN ('red', 'green', 'red')");
        assertEquals("color", key.property());
        assertEquals(Set.of("red", "green"), key.values());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "color NOT IN ('red')",
        "color <> 'red'",
        "color = 'red' AND size = 1",
        "color = 'red' OR color = 'blue'",
        "NOT color = 'red'",
        "color = other",
        "'a' = 'a'",
        "color LIKE 'red'",
        "n > 1",
        "n + 0 = 1",
        "JMSType = 'order'",
        "JMSPriority = 4",
        "JMSXGroupID = 'g'",
        "JMS_vendor = 1",
        "JMSXGroupID IN ('g')",
        "n = 9007199254740993",
        "n = 1e300",
        "flag"
    })
    void otherShapesHaveNoKey(String selector) throws SelectorSyntaxException {
        assertNull(keyOf(selector), selector);
    }

    @Test
    void matchAllHasNoKey() {
        assertNull(Selector.MATCH_ALL.indexKey());
    }

    @Test
    void normalizeMapsIntegralValuesToLong() {
        assertEquals(5L, IndexKey.normalize((byte) 5));
        assertEquals(5L, IndexKey.normalize((short) 5));
        assertEquals(5L, IndexKey.normalize(5));
        assertEquals(5L, IndexKey.normalize(5L));
        assertEquals(5L, IndexKey.normalize(5.0f));
        assertEquals(5L, IndexKey.normalize(5.0));
        assertEquals(0L, IndexKey.normalize(-0.0));
    }

    @Test
    void normalizeMapsOtherApproximateValuesToDouble() {
        assertEquals(5.5, IndexKey.normalize(5.5f));
        assertEquals(5.5, IndexKey.normalize(5.5));
        assertEquals((double) 0.1f, IndexKey.normalize(0.1f));
        assertEquals(1e300, IndexKey.normalize(1e300));
        assertEquals(Double.POSITIVE_INFINITY, IndexKey.normalize(Double.POSITIVE_INFINITY));
        assertTrue(Double.isNaN((Double) IndexKey.normalize(Double.NaN)));
        assertEquals(0x1p63, IndexKey.normalize(0x1p63));
    }

    @Test
    void normalizeKeepsStringsAndBooleansAndNull() {
        assertEquals("5", IndexKey.normalize("5"));
        assertEquals(Boolean.FALSE, IndexKey.normalize(false));
        assertNull(IndexKey.normalize(null));
    }

    @Test
    void keyValuesAreUnmodifiable() throws SelectorSyntaxException {
        Set<Object> values = keyOf("c IN ('a')").values();
        assertThrows(UnsupportedOperationException.class, () -> values.add("b"));
    }

    @Test
    void indexLookupAgreesWithEvaluation() throws SelectorSyntaxException {
        List<String> selectors = List.of("n = 5", "n = 5.0", "n = 2.5", "n = 0.1", "n = 'x'", "n = TRUE",
                "n IN ('x', 'y')", "n = -9007199254740992", "5 = n");
        List<Object> values = List.of((byte) 5, (short) 5, 5, 5L, 5.0f, 5.0, 2.5f, 2.5, 0.1f, 0.1, "x", "y", "5",
                true, false, -9007199254740992L, -9007199254740992.0, Long.MAX_VALUE, Double.NaN);
        for (String text : selectors) {
            Selector selector = Selector.compile(text);
            IndexKey key = selector.indexKey();
            assertNotNull(key, text);
            for (Object value : values) {
                MessageRecord message = TestMessages.withProperty("n", value);
                boolean indexed = key.values().contains(IndexKey.normalize(value));
                assertEquals(selector.matches(message), indexed,
                        text + " with " + value.getClass().getSimpleName() + " " + value);
            }
            assertEquals(false, selector.matches(TestMessages.empty()), text);
        }
    }
}
