package dev.courier.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The memory bound of one {@link MessageQueue} and the flow control it drives: the bytes
 * ({@link dev.courier.message.MessageRecord#estimatedSize}) of the messages the queue holds in
 * memory, whether they reach the bound ({@link #isFull}), the counter a topic keeps of its full
 * subscriptions, and the senders waiting for room.
 *
 * <p>Threading: owned by its queue and guarded by the queue's monitor, except {@link #full},
 * written under it and read without it by senders deciding whether to wait.
 */
final class MemoryBound {

    private final long max;
    private long bytes;
    private volatile boolean full;
    private AtomicInteger fullCount;
    private final List<Runnable> roomWaiters = new ArrayList<>(0);

    MemoryBound(long max) {
        this.max = max;
    }

    /** The bound in bytes. */
    long max() {
        return max;
    }

    long bytes() {
        return bytes;
    }

    /** Bytes left before the bound; negative past it. */
    long room() {
        return max - bytes;
    }

    /** True while the bytes in memory reach the bound (the monitor's view of {@link #isFull}). */
    boolean atBound() {
        return bytes >= max;
    }

    /** True while the queue holds its bound or more in memory: unpageable senders should wait. */
    boolean isFull() {
        return full;
    }

    void added(long size) {
        bytes += size;
        changed();
    }

    void removed(long size) {
        bytes -= size;
        changed();
    }

    /**
     * Counts the queue in {@code counter} while it is full (a topic counts its full
     * subscriptions, so a publish checks one number); null stops counting it.
     */
    void countFullIn(AtomicInteger counter) {
        if (full && fullCount != null) {
            fullCount.decrementAndGet();
        }
        fullCount = counter;
        if (full && counter != null) {
            counter.incrementAndGet();
        }
    }

    /** See {@link MessageQueue#awaitRoom}. */
    boolean awaitRoom(Runnable onRoom) {
        if (bytes < max) {
            return false;
        }
        roomWaiters.add(onRoom);
        return true;
    }

    void cancelWait(Runnable onRoom) {
        roomWaiters.remove(onRoom);
    }

    private void changed() {
        boolean nowFull = bytes >= max;
        if (nowFull != full) {
            full = nowFull;
            if (fullCount != null) {
                fullCount.addAndGet(nowFull ? 1 : -1);
            }
        }
        if (!nowFull && !roomWaiters.isEmpty()) {
            for (Runnable waiter : roomWaiters) {
                waiter.run();
            }
            roomWaiters.clear();
        }
    }
}
