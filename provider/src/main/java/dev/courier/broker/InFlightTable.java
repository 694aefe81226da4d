package dev.courier.broker;

/**
 * A connection's delivered, unsettled messages by delivery id: what a {@link BrokerConnection}
 * needs to settle an acknowledgement, a release or a transaction. Every delivery passes through
 * it twice (dispatch, then settlement), so it keeps ids unboxed in open-addressing arrays
 * instead of a map of {@code Long} to nodes.
 *
 * <p>Threading: dispatch registers deliveries from a queue's thread while the client settles
 * others from its own, so the table is split into stripes by id, each guarded by its own
 * monitor, held only for an array probe. Consecutive ids fall in different stripes, so a
 * producer's dispatch and a listener's acknowledgement rarely meet on one.
 */
final class InFlightTable {

    /** A delivered message and the queue it came from. */
    record InFlight(QueueEntry entry, MessageQueue queue) {
    }

    private static final int STRIPES = 16;
    private static final long EMPTY = 0;

    private final Stripe[] stripes = new Stripe[STRIPES];

    InFlightTable() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
    }

    /** Registers a delivery; ids are positive and unique. */
    void put(long deliveryId, InFlight delivery) {
        if (deliveryId <= 0) {
            throw new IllegalArgumentException("delivery ids are positive: " + deliveryId);
        }
        stripe(deliveryId).put(deliveryId, delivery);
    }

    InFlight get(long deliveryId) {
        return deliveryId <= 0 ? null : stripe(deliveryId).get(deliveryId);
    }

    /** Removes and returns the delivery, or null when it is not (or no longer) held. */
    InFlight remove(long deliveryId) {
        return deliveryId <= 0 ? null : stripe(deliveryId).remove(deliveryId);
    }

    /** The ids held now, in no particular order. */
    long[] ids() {
        long[][] parts = new long[STRIPES][];
        int total = 0;
        for (int i = 0; i < STRIPES; i++) {
            parts[i] = stripes[i].ids();
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

    private Stripe stripe(long deliveryId) {
        return stripes[(int) (deliveryId & (STRIPES - 1))];
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
