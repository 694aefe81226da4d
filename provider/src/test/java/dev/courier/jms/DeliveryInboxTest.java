package dev.courier.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.message.MessageRecord;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DeliveryInboxTest {

    private static final MessageRecord RECORD = MessageRecord.builder().build();

    /** Same priority and queue position, so the buffer keeps the order the inbox gives it. */
    private static PendingDelivery delivery(long id) {
        return new PendingDelivery(id, RECORD, 1, 0);
    }

    @Test
    void drainsOldestFirstAndEmptiesTheInbox() {
        DeliveryInbox inbox = new DeliveryInbox();
        DeliveryBuffer buffer = new DeliveryBuffer();
        assertTrue(inbox.isEmpty());
        assertEquals(0, inbox.drainTo(buffer));
        for (long id = 1; id <= 5; id++) {
            inbox.push(delivery(id));
        }
        assertEquals(5, inbox.drainTo(buffer));
        assertTrue(inbox.isEmpty());
        inbox.push(delivery(6));
        assertEquals(1, inbox.drainTo(buffer));
        for (long id = 1; id <= 6; id++) {
            PendingDelivery d = buffer.poll();
            assertEquals(id, d.deliveryId());
            assertNull(d.next, "a drained delivery keeps no link into the inbox");
        }
        assertNull(buffer.poll());
    }

    @Test
    void concurrentPushersLoseNothingAndEachKeepsItsOrder() throws Exception {
        int pushers = 4;
        int perPusher = 50_000;
        DeliveryInbox inbox = new DeliveryInbox();
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(pushers);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int p = 0; p < pushers; p++) {
            long base = (long) p << 32;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 1; i <= perPusher; i++) {
                        inbox.push(delivery(base | i));
                    }
                } catch (Throwable e) {
                    failure.set(e);
                } finally {
                    done.countDown();
                }
            });
            t.setDaemon(true);
            t.start();
        }
        DeliveryBuffer buffer = new DeliveryBuffer();
        long[] lastSeen = new long[pushers];
        int total = 0;
        start.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        // Drain while the pushers run, so drains meet pushes in progress.
        while (total < pushers * perPusher && System.nanoTime() < deadline) {
            inbox.drainTo(buffer);
            for (PendingDelivery d = buffer.poll(); d != null; d = buffer.poll()) {
                int pusher = (int) (d.deliveryId() >>> 32);
                long n = d.deliveryId() & 0xFFFF_FFFFL;
                assertEquals(lastSeen[pusher] + 1, n, "pusher " + pusher + "'s deliveries out of order");
                lastSeen[pusher] = n;
                total++;
            }
        }
        assertTrue(done.await(30, TimeUnit.SECONDS));
        assertNull(failure.get());
        assertEquals(pushers * perPusher, total);
        assertTrue(inbox.isEmpty());
    }
}
