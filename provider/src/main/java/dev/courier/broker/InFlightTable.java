package dev.courier.broker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A connection's delivered, unsettled messages by delivery id: what a {@link BrokerConnection}
 * needs to settle an acknowledgement, a release or a transaction. Every delivery passes through
 * it twice (dispatch, then settlement), on two threads: a queue's dispatching thread registers
 * it, the client's thread settles it.
 *
 * <p>Delivery ids are a connection's sequence, and most deliveries settle soon, in about the
 * order they went out. So a delivery goes in the {@link #ring} slot its id names, set and
 * cleared by compare-and-set: no lock, and consecutive ids share cache lines, so a line moves
 * between the two threads once per 16 deliveries (a 64-byte line of compressed references)
 * rather than once for each. A delivery whose slot still holds an older one (many unsettled,
 * as with client acknowledgement) goes to {@link #overflow}, stripes of open-addressing arrays
 * by id, each guarded by its own monitor. A lookup tries the slot, then the overflow.
 *
 * <p>Threading: any thread may call any method; an id is only ever looked up after its
 * {@link #put} returned (a client learns it from the delivery).
 */
final class InFlightTable {

    /** A delivered message and the queue it came from. */
    record InFlight(long deliveryId, QueueEntry entry, MessageQueue queue) {
    }

    /** Enough for a consumer window's worth of deliveries in flight per connection. */
    static final int RING_SLOTS = 2048;
    private static final int STRIPES = 16;
    private static final long EMPTY = 0;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(InFlight[].class);

    private final InFlight[] ring = new InFlight[RING_SLOTS];
    private final Stripe[] overflow = new Stripe[STRIPES];

    InFlightTable() {
        for (int i = 0; i < STRIPES; i++) {
            overflow[i] = new Stripe();
        }
    }

    /** Registers a delivery; ids are positive and unique. */
    void put(InFlight delivery) {
        long deliveryId = delivery.deliveryId();
        if (deliveryId <= 0) {
            throw new IllegalArgumentException("delivery ids are positive: " + deliveryId);
        }
        int slot = slot(deliveryId);
        // Read first: an occupied slot (an older delivery still unsettled) costs no failed CAS.
        if (SLOT.getAcquire(ring, slot) == null && SLOT.compareAndSet(ring, slot, null, delivery)) {
            return;
        }
        stripe(deliveryId).put(deliveryId, delivery);
    }

    InFlight get(long deliveryId) {
        if (deliveryId <= 0) {
            return null;
        }
        InFlight inSlot = (InFlight) SLOT.getAcquire(ring, slot(deliveryId));
        return inSlot != null && inSlot.deliveryId() == deliveryId ? inSlot : stripe(deliveryId).get(deliveryId);
    }

    /** Removes and returns the delivery, or null when it is not (or no longer) held. */
    InFlight remove(long deliveryId) {
        if (deliveryId <= 0) {
            return null;
        }
        int slot = slot(deliveryId);
        InFlight inSlot = (InFlight) SLOT.getAcquire(ring, slot);
        if (inSlot != null && inSlot.deliveryId() == deliveryId) {
            // Only one of two racing removals (a settlement and a close, say) gets it.
            return SLOT.compareAndSet(ring, slot, inSlot, null) ? inSlot : null;
        }
        return stripe(deliveryId).remove(deliveryId);
    }

    /** The ids held now, in no particular order. */
    long[] ids() {
        long[][] parts = new long[STRIPES + 1][];
        int inRing = 0;
        long[] ringIds = new long[RING_SLOTS];
        for (int i = 0; i < RING_SLOTS; i++) {
            InFlight delivery = (InFlight) SLOT.getAcquire(ring, i);
            if (delivery != null) {
                ringIds[inRing++] = delivery.deliveryId();
            }
        }
        parts[STRIPES] = Arrays.copyOf(ringIds, inRing);
        int total = inRing;
        for (int i = 0; i < STRIPES; i++) {
            parts[i] = overflow[i].ids();
            total += parts[i].length;
        }
        long[] all = new long[total];
        int at = 0;
        for (long[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    private static int slot(long deliveryId) {
        return (int) (deliveryId & (RING_SLOTS - 1));
    }

    private Stripe stripe(long deliveryId) {
        return overflow[(int) (deliveryId & (STRIPES - 1))];
    }

    /** Linear probing with backward-shift deletion, so no tombstones pile up. Guarded by its monitor. */
    private static final class Stripe {

        private long[] keys = new long[16];
        private InFlight[] values = new InFlight[16];
        private int size;

        synchronized void put(long key, InFlight value) {
            if (size + 1 > keys.length / 2) {
                grow();
            }
            int mask = keys.length - 1;
            int i = slot(key, mask);
            while (keys[i] != EMPTY) {
                if (keys[i] == key) {
                    values[i] = value;
                    return;
                }
                i = (i + 1) & mask;
            }
            keys[i] = key;
            values[i] = value;
            size++;
        }

        synchronized InFlight get(long key) {
            int i = find(key);
            return i < 0 ? null : values[i];
        }

        synchronized InFlight remove(long key) {
            int i = find(key);
            if (i < 0) {
                return null;
            }
            InFlight removed = values[i];
            int mask = keys.length - 1;
            // Shift later members of the probe run back over the hole, so lookups never stop early.
            int hole = i;
            int j = (i + 1) & mask;
            while (keys[j] != EMPTY) {
                int home = slot(keys[j], mask);
                boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
                if (movable) {
                    keys[hole] = keys[j];
                    values[hole] = values[j];
                    hole = j;
                }
                j = (j + 1) & mask;
            }
            keys[hole] = EMPTY;
            values[hole] = null;
            size--;
            return removed;
        }

        synchronized long[] ids() {
            long[] ids = new long[size];
            int n = 0;
            for (long k : keys) {
                if (k != EMPTY) {
                    ids[n++] = k;
                }
            }
            return ids;
        }

        private int find(long key) {
            int mask = keys.length - 1;
            int i = slot(key, mask);
            while (keys[i] != EMPTY) {
                if (keys[i] == key) {
                    return i;
                }
                i = (i + 1) & mask;
            }
            return -1;
        }

        private void grow() {
            long[] oldKeys = keys;
            InFlight[] oldValues = values;
            keys = new long[oldKeys.length * 2];
            values = new InFlight[oldKeys.length * 2];
            size = 0;
            int mask = keys.length - 1;
            for (int k = 0; k < oldKeys.length; k++) {
                if (oldKeys[k] != EMPTY) {
                    int i = slot(oldKeys[k], mask);
                    while (keys[i] != EMPTY) {
                        i = (i + 1) & mask;
                    }
                    keys[i] = oldKeys[k];
                    values[i] = oldValues[k];
                    size++;
                }
            }
        }

        /** Ids in one stripe share their low bits, so the slot comes from the bits above them, mixed. */
        private static int slot(long key, int mask) {
            long h = (key >>> 4) * 0x9E3779B97F4A7C15L;
            return (int) (h >>> 32) & mask;
        }
    }
}
