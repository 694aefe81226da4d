package dev.courier.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.message.Address;
import dev.courier.message.BodyType;
import dev.courier.message.MessageRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The broker core driven directly, without the JMS layer: ordering, credit, release, dead letters, expiry. */
class BrokerDispatchTest {

    private final Broker broker = new Broker("unit", BrokerConfig.defaults().withMaxDeliveryAttempts(3));

    /** Records what a consumer was pushed. */
    private static final class Sink implements DeliverySink {
        final List<Long> ids = new ArrayList<>();
        final List<String> bodies = new ArrayList<>();
        final List<Integer> counts = new ArrayList<>();

        @Override
        public synchronized void deliver(long deliveryId, MessageRecord record, int deliveryCount, long sequence) {
            ids.add(deliveryId);
            bodies.add((String) record.body());
            counts.add(deliveryCount);
        }
    }

    @AfterEach
    void stop() {
        broker.stop();
    }

    private static MessageRecord message(String queue, String body, int priority) {
        return MessageRecord.builder().destination(Address.queue(queue)).priority(priority)
                .body(BodyType.TEXT, body).build();
    }

    @Test
    void waitingMessagesGoOutHighestPriorityFirstAndFifoWithinAPriority() throws Exception {
        BrokerConnection c = broker.connect(null, null);
        c.send(message("q", "low-1", 1));
        c.send(message("q", "high-1", 8));
        c.send(message("q", "low-2", 1));
        c.send(message("q", "high-2", 8));
        c.send(message("q", "normal", 4));
        Sink sink = new Sink();
        c.openConsumer(1, ConsumerSpec.of(Address.queue("q"), null, false, 10), sink);
        assertEquals(List.of("high-1", "high-2", "normal", "low-1", "low-2"), sink.bodies);
    }

    @Test
    void aConsumerIsNeverPushedMoreThanItsCredit() throws Exception {
        BrokerConnection c = broker.connect(null, null);
        for (int i = 0; i < 10; i++) {
            c.send(message("q", "m" + i, 4));
        }
        Sink sink = new Sink();
        c.openConsumer(1, ConsumerSpec.of(Address.queue("q"), null, false, 3), sink);
        assertEquals(List.of("m0", "m1", "m2"), sink.bodies);
        c.addCredit(1, 2);
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), sink.bodies);
        assertEquals(5, broker.queueStats("q").depth());
    }

    @Test
    void releasedMessagesComeBackInTheirOriginalPlaceCountingTheAttempt() throws Exception {
        BrokerConnection c = broker.connect(null, null);
        for (int i = 0; i < 4; i++) {
            c.send(message("q", "m" + i, 4));
        }
        Sink sink = new Sink();
        c.openConsumer(1, ConsumerSpec.of(Address.queue("q"), null, false, 2), sink);
        long first = sink.ids.get(0);
        long second = sink.ids.get(1);
        c.release(new long[] {second, first}, true);
        c.addCredit(1, 2);
        assertEquals(List.of("m0", "m1", "m0", "m1"), sink.bodies);
        assertEquals(List.of(1, 1, 2, 2), sink.counts);
    }

    @Test
    void prefetchedMessagesReleasedUndeliveredDoNotCountAnAttempt() throws Exception {
        BrokerConnection c = broker.connect(null, null);
        c.send(message("q", "m0", 4));
        Sink sink = new Sink();
        c.openConsumer(1, ConsumerSpec.of(Address.queue("q"), null, false, 1), sink);
        c.release(new long[] {sink.ids.get(0)}, false);
        c.addCredit(1, 1);
        assertEquals(List.of(1, 1), sink.counts);
    }

    @Test
    void aMessageThatFailsMaxDeliveryAttemptsTimesMovesToTheDeadLetterQueue() throws Exception {
        BrokerConnection c = broker.connect(null, null);
        c.send(message("orders", "poison", 4));
        Sink sink = new Sink();
        c.openConsumer(1, ConsumerSpec.of(Address.queue("orders"), null, false, 100), sink);
        for (int attempt = 0; attempt < 3; attempt++) {
            c.release(new long[] {sink.ids.get(sink.ids.size() - 1)}, true);
        }
        assertEquals(3, sink.bodies.size(), "delivered three times, then dead-lettered");
        Sink dlq = new Sink();
        List<MessageRecord> dead = c.browse(Address.queue("DLQ"), null);
        assertEquals(1, dead.size());
        assertEquals("queue://orders", dead.get(0).property(Broker.ORIGINAL_DESTINATION_PROPERTY));
        c.openConsumer(2, ConsumerSpec.of(Address.queue("DLQ"), null, false, 1), dlq);
        assertEquals(List.of("poison"), dlq.bodies);
        assertEquals(0, broker.queueStats("orders").depth());
    }

    @Test
    void expiredMessagesAreNeverDelivered() throws Exception {
        BrokerConnection c = broker.connect(null, null);
        MessageRecord expired = MessageRecord.builder().destination(Address.queue("q"))
                .expiration(System.currentTimeMillis() - 1).body(BodyType.TEXT, "stale").build();
        c.send(expired);
        c.send(message("q", "fresh", 4));
        Sink sink = new Sink();
        c.openConsumer(1, ConsumerSpec.of(Address.queue("q"), null, false, 10), sink);
        assertEquals(List.of("fresh"), sink.bodies);
        assertEquals(1, broker.queueStats("q").expired());
    }

    @Test
    void closingAConnectionReturnsItsUnsettledDeliveriesAsRedelivered() throws Exception {
        BrokerConnection first = broker.connect(null, null);
        first.send(message("q", "m0", 4));
        first.openConsumer(1, ConsumerSpec.of(Address.queue("q"), null, false, 1), new Sink());
        first.close();
        BrokerConnection second = broker.connect(null, null);
        Sink sink = new Sink();
        second.openConsumer(1, ConsumerSpec.of(Address.queue("q"), null, false, 1), sink);
        assertEquals(List.of(2), sink.counts);
        assertTrue(broker.connectionCount() == 1);
    }

    @Test
    void consumedAcknowledgementsSettleEachQueuesDeliveriesTogetherAndSkipUnknownIds() throws Exception {
        BrokerConnection c = broker.connect(null, null);
        for (int i = 0; i < 3; i++) {
            c.send(message("a", "a" + i, 4));
            c.send(message("b", "b" + i, 4));
        }
        Sink fromA = new Sink();
        Sink fromB = new Sink();
        c.openConsumer(1, ConsumerSpec.of(Address.queue("a"), null, false, 10), fromA);
        c.openConsumer(2, ConsumerSpec.of(Address.queue("b"), null, false, 10), fromB);
        // Runs of each queue, an id nobody holds, and a tail the count leaves out.
        long[] ids = {fromA.ids.get(0), fromA.ids.get(1), fromB.ids.get(0), 999_999, fromA.ids.get(2),
                fromB.ids.get(1), fromB.ids.get(2)};
        c.acknowledgeConsumed(ids, 6);

        QueueStats a = broker.queueStats("a");
        QueueStats b = broker.queueStats("b");
        assertEquals(List.of(0, 0, 3), List.of(a.depth(), a.inFlight(), (int) a.dequeued()));
        assertEquals(List.of(0, 1, 2), List.of(b.depth(), b.inFlight(), (int) b.dequeued()));
        // The one left out is still held: closing returns it.
        c.close();
        BrokerConnection second = broker.connect(null, null);
        Sink again = new Sink();
        second.openConsumer(1, ConsumerSpec.of(Address.queue("b"), null, false, 10), again);
        assertEquals(List.of("b2"), again.bodies);
    }

    @Test
    void anIdleBrokerOwnsNoThreadUntilADelayedMessageArrives() throws Exception {
        BrokerConnection c = broker.connect(null, null);
        c.send(message("q", "now", 4));
        assertTrue(!broker.hasThreads());
        MessageRecord later = MessageRecord.builder().destination(Address.queue("q"))
                .deliveryTime(System.currentTimeMillis() + 60_000).body(BodyType.TEXT, "later").build();
        c.send(later);
        assertTrue(broker.hasThreads());
        assertEquals(1, broker.queueStats("q").depth(), "the delayed message is invisible until due");
        broker.stop();
        assertTrue(!broker.hasThreads());
    }
}
