package dev.courier.selector;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.courier.message.MessageRecord;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The common selector shapes must not allocate per message: routing evaluates them for every
 * message and every subscription. Measured with the JDK's per-thread allocation counter.
 */
class SelectorAllocationTest {

    private static final int EVALUATIONS = 200_000;

    @ParameterizedTest
    @ValueSource(strings = {
        "s = 'abc'",
        "'abc' <> s",
        "s IN ('x', 'abc', 'y')",
        "s NOT IN ('x', 'y')",
        "n = 7",
        "n BETWEEN 1 AND 10",
        "n > 5 AND d < 2.5",
        "d >= 2 OR n < 0",
        "s LIKE 'ab%'",
        "s LIKE '%b_c%'",
        "JMSPriority > 4",
        "JMSType = 'order' AND NOT flag",
        "missing IS NULL AND s IS NOT NULL",
        "JMSTimestamp > 100000",
        "1000 < JMSTimestamp",
        "JMSTimestamp BETWEEN 1000 AND 1800000000000"
    })
    void commonSelectorsEvaluateWithoutAllocating(String text) throws SelectorSyntaxException {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "no allocation counter on this JVM");
        com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(counter.isThreadAllocatedMemorySupported() && counter.isThreadAllocatedMemoryEnabled());

        Selector selector = Selector.compile(text);
        MessageRecord message = MessageRecord.builder().type("order").priority(7).timestamp(1_700_000_000_000L)
                .property("s", "xabcx".substring(1, 4)).property("n", 7).property("d", 1.5)
                .property("flag", false).build();
        long threadId = Thread.currentThread().getId();
        int matched = 0;
        long before = counter.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < EVALUATIONS; i++) {
            if (selector.matches(message)) {
                matched++;
            }
        }
        long allocated = counter.getThreadAllocatedBytes(threadId) - before;
        assertTrue(matched == 0 || matched == EVALUATIONS);
        // A few kilobytes of slack for the measurement itself and for JIT compilation on this thread.
        assertTrue(allocated < 64 * 1024, text + " allocated " + allocated + " bytes over " + EVALUATIONS
                + " evaluations");
    }
}
