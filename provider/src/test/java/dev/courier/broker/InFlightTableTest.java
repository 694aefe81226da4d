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
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class InFlightTableTest {

    private static InFlight delivery(long id) {
        return new InFlight(id, new QueueEntry(MessageRecord.builder().build(), 0), null);
    }

    @Test
    void removeReturnsWhatWasPutOnceThenNull() {
        InFlightTable table = new InFlightTable();
        InFlight d = delivery(7);
        table.put(d);
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
        assertThrows(IllegalArgumentException.class, () -> table.put(delivery(0)));
    }

    @Test
    void aDeliveryWhoseSlotIsStillTakenIsHeldAsWell() {
        InFlightTable table = new InFlightTable();
        long older = 5;
        long newer = older + InFlightTable.RING_SLOTS;
        InFlight first = delivery(older);
        InFlight second = delivery(newer);
        table.put(first);
        table.put(second);
        assertSame(second, table.get(newer));
        assertSame(first, table.remove(older));
        assertNull(table.get(older));
        assertSame(second, table.get(newer));
        assertArrayEquals(new long[] {newer}, table.ids());
        assertSame(second, table.remove(newer));
        assertEquals(0, table.ids().length);
    }

    @Test
    void racingRemovalsOfOneDeliveryGetItOnce() throws Exception {
        InFlightTable table = new InFlightTable();
        int count = 200_000;
        AtomicIntegerArray got = new AtomicIntegerArray(count + 1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        Runnable remover = () -> {
            try {
                start.await();
                for (int id = 1; id <= count; id++) {
                    while (table.get(id) == null && got.get(id) == 0) {
                        Thread.onSpinWait();
                    }
                    if (table.remove(id) != null) {
                        got.incrementAndGet(id);
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        };
        Thread a = new Thread(remover);
        Thread b = new Thread(remover);
        a.start();
        b.start();
        start.countDown();
        for (int id = 1; id <= count; id++) {
            table.put(delivery(id));
        }
        a.join(TimeUnit.SECONDS.toMillis(90));
        b.join(TimeUnit.SECONDS.toMillis(90));
        assertNull(failure.get());
        for (int id = 1; id <= count; id++) {
            assertEquals(1, got.get(id), "delivery " + id);
        }
        assertEquals(0, table.ids().length);
    }

    @Test
    void agreesWithAMapOverRandomPutsAndRemovesAcrossGrowth() {
        InFlightTable table = new InFlightTable();
        Map<Long, InFlight> expected = new HashMap<>();
        Random random = new Random(42);
        long next = 1;
        for (int step = 0; step < 200_000; step++) {
            if (expected.isEmpty() || random.nextInt(100) < 55) {
                InFlight d = delivery(next);
                table.put(d);
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
                    table.put(delivery(id));
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
