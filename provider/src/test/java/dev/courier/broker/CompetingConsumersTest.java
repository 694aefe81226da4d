package dev.courier.broker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.message.Address;
import dev.courier.message.BodyType;
import dev.courier.message.MessageRecord;
import dev.courier.selector.Selector;
import org.junit.jupiter.api.Test;

/** Which competing consumer of a queue gets a message, by credit, rotation and selector. */
class CompetingConsumersTest {

    private final CompetingConsumers consumers = new CompetingConsumers();

    private static ServerConsumer consumer(long id, String selector, int credit) throws Exception {
        Selector s = selector == null ? Selector.MATCH_ALL : Selector.compile(selector);
        return new ServerConsumer(id, null, null, s, null, null, credit);
    }

    private static QueueEntry entry(String color) {
        MessageRecord record = MessageRecord.builder().destination(Address.queue("q"))
                .property("color", color).body(BodyType.TEXT, "m").build();
        return new QueueEntry(record, 0);
    }

    @Test
    void consumersWithCreditTakeTurns() throws Exception {
        ServerConsumer a = consumer(1, null, 2);
        ServerConsumer b = consumer(2, null, 2);
        consumers.add(a);
        consumers.add(b);
        ServerConsumer first = consumers.pick(entry("red"));
        consumers.spend(first);
        ServerConsumer second = consumers.pick(entry("red"));
        assertSame(a, first);
        assertSame(b, second);
    }

    @Test
    void aConsumerThatSpentItsCreditIsSkippedUntilLentMore() throws Exception {
        ServerConsumer a = consumer(1, null, 1);
        consumers.add(a);
        consumers.spend(consumers.pick(entry("red")));
        assertFalse(consumers.anyWithCredit());
        assertNull(consumers.pick(entry("red")));
        assertTrue(consumers.addCredit(a, 1));
        assertSame(a, consumers.pick(entry("red")));
    }

    @Test
    void creditForAConsumerThatIsNotOneOfThemIsRefused() throws Exception {
        ServerConsumer stranger = consumer(9, null, 0);
        assertFalse(consumers.addCredit(stranger, 5));
        assertFalse(consumers.anyWithCredit());
    }

    @Test
    void aMessageGoesOnlyToAConsumerWhoseSelectorMatches() throws Exception {
        ServerConsumer reds = consumer(1, "color = 'red'", 5);
        ServerConsumer blues = consumer(2, "color LIKE 'bl%'", 5);
        consumers.add(reds);
        consumers.add(blues);
        assertSame(reds, consumers.pick(entry("red")));
        assertSame(blues, consumers.pick(entry("blue")));
        assertNull(consumers.pick(entry("green")));
    }

    @Test
    void aRemovedConsumerLosesItsCreditAndIsNeverPicked() throws Exception {
        ServerConsumer a = consumer(1, null, 3);
        consumers.add(a);
        consumers.remove(a);
        assertFalse(consumers.anyWithCredit());
        assertNull(consumers.pick(entry("red")));
        assertFalse(consumers.addCredit(a, 1));
    }
}
