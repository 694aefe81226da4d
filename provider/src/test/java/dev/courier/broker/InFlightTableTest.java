package dev.courier.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.courier.broker.InFlightTable.InFlight;
import dev.courier.message.MessageRecord;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class InFlightTableTest {

    private static InFlight delivery() {
        return new InFlight(new QueueEntry(MessageRecord.builder().build(), 0), null);
    }

    @Test
    void removeReturnsWhatWasPutOnceThenNull() {
        InFlightTable table = new InFlightTable();
        InFlight d = delivery();
        table.put(7, d);
        assertSame(d, table.get(7));
        assertSame(d, table.remove(7));
        assertNull(table.remove(7));
        assertNull(table.get(7));
    }

    @Test
    void unknownAndNonPositiveIdsAreNotHeld() {
        InFlightTable table = new InFlightTable();
        assertNull(table.remove(1));
        assertNull(table.get(0));
        assertNull(table.remove(-5));
        assertThrows(IllegalArgumentException.class, () -> table.put(0, delivery()));
    }

    @Test
    void agreesWithAMapOverRandomPutsAndRemovesAcrossGrowth() {
        InFlightTable table = new InFlightTable();
        Map<Long, InFlight> expected = new HashMap<>();
        Random random = new Random(42);
        long next = 1;
        for (int step = 0; step < 200_000; step++) {
            if (expected.isEmpty() || random.nextInt(100) < 55) {
                InFlight d = delivery();
                table.put(next, d);
                expected.put(next, d);
                next++;
            } else {
                // Out-of-order settlement, as with client acknowledgement across sessions.
                long id = 1 + (long) random.nextInt((int) next);
                assertSame(expected.remove(id), table.remove(id), "id " + id);
            }
        }
        long[] ids = table.ids();
        Arrays.sort(ids);
        assertArrayEquals(expected.keySet().stream().mapToLong(Long::longValue).sorted().toArray(), ids);
        for (Map.Entry<Long, InFlight> e : expected.entrySet()) {
            assertSame(e.getValue(), table.get(e.getKey()));
        }
    }

    @Test
    void dispatchAndSettlementOnTwoThreadsLoseNothing() throws Exception {
        InFlightTable table = new InFlightTable();
        int count = 500_000;
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger settled = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread dispatcher = new Thread(() -> {
            try {
                start.await();
                for (long id = 1; id <= count; id++) {
                    table.put(id, delivery());
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        Thread settler = new Thread(() -> {
            try {
                start.await();
                long id = 1;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (id <= count && System.nanoTime() < deadline) {
                    if (table.remove(id) != null) {
                        settled.incrementAndGet();
                        id++;
                    } else {
                        Thread.onSpinWait();
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        dispatcher.start();
        settler.start();
        start.countDown();
        dispatcher.join(TimeUnit.SECONDS.toMillis(90));
        settler.join(TimeUnit.SECONDS.toMillis(90));
        assertNull(failure.get());
        assertEquals(count, settled.get());
        assertEquals(0, table.ids().length);
    }
}
