package dev.courier.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * Group commit: callers of {@link #commit} queue their batch and wait (or, with
 * {@link #commitThen}, are called back); one writer thread takes every batch queued so far,
 * hands them, in submission order, to the {@link Handler} as one group (one transaction, one
 * durable write), then releases each caller with its outcome, in submission order. A group
 * of {@link #submit}ted batches only, which nobody waits for, is written without a flush: the
 * next flushed group makes it durable too, so fire-and-forget acknowledgements do not cost a
 * flush each.
 * While the writer works on one group the next one gathers, so under load a group holds about
 * as many batches as there are waiting callers, with no timer-based delay. The writer also
 * flushes: a separate flusher thread, writing the next group while the previous one's fdatasync
 * ran, was measured and dropped: over 6 interleaved pairs on the 2-core VM (busy, raw
 * fdatasync 311 to 2,710/s) the medians of queue-p-sync and queue-p-4x4, vm and tcp, were all
 * lower with it (vm sync 761 vs 1,062 msg/s, vm 4x4 1,654 vs 2,246): one more thread hand-off
 * per group costs more there than overlapping the small write with the flush gains, now that
 * encoding is off the writer. Also measured and dropped: a group waiting briefly (at
 * most half the last flush) for the callers the last flush released, when fewer were queued than
 * committed at once then. On queue-p-4x4 it raised the messages per flush (vm 2.2 to 2.8, tcp 1.8
 * to 2.5; medians of 5 interleaved runs) but not the throughput (vm 8,063 vs 6,664 msg/s, tcp
 * 3,990 vs 3,831): on two cores the released callers take about as long to come back as a
 * flush takes, so the wait costs what it saves. Nor did holding a group of submitted batches
 * only (acknowledgements) up to 200 µs for a batch somebody waits for: queue-p-sync over tcp
 * went from 1.8 groups per message to 1.0, and from 1,650 to 1,319 msg/s (medians of 3).
 * Nor, at {@code 218eb97} (raw fdatasync about 18,000/s), did spinning instead of parking (with
 * the {@code SpinSlots} allowance): the writer up to 100 µs for its next batch, callers up to
 * 250 µs for their group, and submitted batches held while the writer spun, to join the next
 * flushed group. Over 3 interleaved runs queue-p-sync over vm stayed within noise (11,741 to
 * 14,206 msg/s against 13,401 to 15,634), and queue-p-tx over vm fell from 120k-172k to 26k-54k
 * msg/s: on two cores a spinner takes the core that the threads producing the next batch need.
 * Nor, at {@code 3851d43}, did two writer threads taking turns: one writing the next group
 * while the other waits for its group's fdatasync, callers released in group order. The disk
 * does serve two flushes at once (1,200-byte records written one after another into one file,
 * each fdatasynced: 15,000/s from one thread, 24,000 to 28,000/s from two), but queue-p-4x4
 * over vm stayed at 19k to 24k msg/s and 11,000 flushes/s either way (perf syscall counts): its
 * four producers are bound by each send's round trip (the flush and two wake-ups), not by the
 * flushes the disk can take; queue-p-tx moved within its noise.
 *
 * <p>Memory is bounded: a group takes at most {@code maxGroup} batches (H2 keeps a transaction's
 * changes in memory until it commits, and an unbounded group of queued acknowledgements once
 * exhausted a 256 MiB heap), and {@link #submit}, whose callers do not wait for the outcome,
 * waits while {@code maxPending} batches are queued, so fire-and-forget acknowledgements
 * arriving faster than the disk takes them slow their sender down instead of piling up.
 *
 * <p>Thread ownership: the writer thread is the only thread that calls the handler, so the
 * handler's resources (a JDBC connection) need no locking. Callers only touch the queue, under
 * {@code lock}. A handler failure that leaves the store in an unknown state (a failed commit or
 * fsync) fails the whole group and every later commit: after a failed fsync the durable state
 * cannot be known, so the store must be reopened (which recovers what is durable).
 */
final class GroupCommitter {

    private static final System.Logger LOG = System.getLogger(GroupCommitter.class.getName());

    /** Applies a group; called only on the writer thread. */
    interface Handler {

        /**
         * Applies and commits the batches in order, durably when {@code sync} is set.
         *
         * @param sync false when no caller waits for the group (only {@link #submit}ted batches):
         *             the write need not be flushed now, the next synced group flushes it too
         * @return per batch, null if it committed or the exception that rejected it alone (its
         *         changes are not applied; the others' are)
         * @throws StoreException when the group as a whole failed; the store is then unusable
         */
        List<StoreException> commitGroup(List<StoreBatch> batches, boolean sync) throws StoreException;

        /** Whether the handler holds confirmed work it has put off (see {@link #applyDeferred}). */
        default boolean hasDeferredWork() {
            return false;
        }

        /**
         * Does the work the handler put off; called when no batch arrived for
         * {@link #IDLE_APPLY_MILLIS} while it had some, and before the writer ends.
         *
         * @throws StoreException when it failed; the store is then unusable, as for a group
         */
        default void applyDeferred() throws StoreException {
        }
    }

    /** How long the writer waits for a batch before it does the handler's deferred work. */
    static final long IDLE_APPLY_MILLIS = 10;

    /** Batches one group takes at most. */
    static final int MAX_GROUP = 4096;
    /** Batches queued before {@link #submit} waits. */
    static final int MAX_PENDING = 65536;

    private final Handler handler;
    private final int maxGroup;
    private final int maxPending;
    private final Object lock = new Object();
    private final Thread writer;
    private ArrayDeque<Pending> queue = new ArrayDeque<>();
    private boolean closing;
    private StoreException fatal;
    /** Groups handed to the handler so far; read by benchmarks, written by the writer thread. */
    private volatile long groups;

    GroupCommitter(String threadName, Handler handler) {
        this(threadName, handler, MAX_GROUP, MAX_PENDING);
    }

    GroupCommitter(String threadName, Handler handler, int maxGroup, int maxPending) {
        this.handler = handler;
        this.maxGroup = maxGroup;
        this.maxPending = maxPending;
        this.writer = new Thread(this::run, threadName);
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues the batch and waits until its group is durable or failed. */
    void commit(StoreBatch batch) throws StoreException {
        enqueue(new Pending(batch, true, null), false).await();
    }

    /**
     * Queues the batch like {@link #commit}, whose group is flushed, without waiting:
     * {@code whenDone} runs on the writer thread once the group is durable (null) or failed. A
     * failure to queue (the store failed or closed) is thrown instead.
     */
    void commitThen(StoreBatch batch, Consumer<StoreException> whenDone) throws StoreException {
        enqueue(new Pending(batch, true, whenDone), false);
    }

    /**
     * Queues the batch for a later group without waiting for the outcome; waits only while
     * {@code maxPending} batches are queued already (see the class comment).
     */
    void submit(StoreBatch batch) throws StoreException {
        enqueue(new Pending(batch, false, null), true);
    }

    /** Queues a batch; a submitted one ({@code bounded}) has no caller waiting for it to be durable. */
    private Pending enqueue(Pending pending, boolean bounded) throws StoreException {
        synchronized (lock) {
            boolean interrupted = false;
            while (bounded && queue.size() >= maxPending && fatal == null && !closing) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (fatal != null) {
                throw new StoreException("store failed earlier and must be reopened", fatal);
            }
            if (closing) {
                throw new StoreException("store is closed");
            }
            queue.add(pending);
            lock.notifyAll();
        }
        return pending;
    }

    /** Commits what is already queued, then stops the writer thread. Idempotent. */
    void close() {
        synchronized (lock) {
            closing = true;
            lock.notifyAll();
        }
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Batches queued and not yet taken into a group. */
    int queued() {
        synchronized (lock) {
            return queue.size();
        }
    }

    /** How many groups (so durable writes) the writer has started. */
    long groups() {
        return groups;
    }

    private void run() {
        while (true) {
            List<Pending> group = null;
            boolean ending;
            synchronized (lock) {
                boolean idle = false;
                while (queue.isEmpty() && !closing && !idle) {
                    boolean deferred = handler.hasDeferredWork();
                    try {
                        lock.wait(deferred ? IDLE_APPLY_MILLIS : 0);
                    } catch (InterruptedException e) {
                        // Only close() stops the writer; callers are waiting on it.
                    }
                    idle = deferred && queue.isEmpty();
                }
                if (!queue.isEmpty()) {
                    if (queue.size() <= maxGroup) {
                        group = new ArrayList<>(queue);
                        queue.clear();
                    } else {
                        group = new ArrayList<>(maxGroup);
                        for (int i = 0; i < maxGroup; i++) {
                            group.add(queue.poll());
                        }
                    }
                    // Submitters waiting for room in the queue may go on.
                    lock.notifyAll();
                }
                ending = group == null && closing;
            }
            if (group != null) {
                commitGroup(group);
            } else {
                applyDeferred();
                if (ending) {
                    return;
                }
            }
        }
    }

    private void applyDeferred() {
        if (fatal != null || !handler.hasDeferredWork()) {
            return;
        }
        try {
            handler.applyDeferred();
        } catch (StoreException | RuntimeException | Error e) {
            fail(e, List.of());
        }
    }

    private void commitGroup(List<Pending> group) {
        List<StoreBatch> batches = new ArrayList<>(group.size());
        boolean sync = false;
        for (Pending p : group) {
            batches.add(p.batch);
            sync |= p.awaited;
        }
        groups++;
        List<StoreException> results;
        try {
            results = handler.commitGroup(batches, sync);
            if (results.size() != group.size()) {
                throw new IllegalStateException(results.size() + " outcomes for a group of " + group.size());
            }
        } catch (StoreException | RuntimeException | Error e) {
            fail(e, group);
            return;
        }
        // Outside the try: a batch is completed once, and a caller's failure is not the group's.
        for (int i = 0; i < group.size(); i++) {
            group.get(i).complete(results.get(i));
        }
    }

    /** Fails the group, everything queued and every later call: the store's state is unknown. */
    private void fail(Throwable e, List<Pending> group) {
        StoreException failure = e instanceof StoreException
                ? (StoreException) e
                : new StoreException("group commit failed: " + e, e);
        List<Pending> rest;
        synchronized (lock) {
            fatal = failure;
            rest = new ArrayList<>(queue);
            queue.clear();
            lock.notifyAll();
        }
        for (Pending p : group) {
            p.complete(failure);
        }
        for (Pending p : rest) {
            p.complete(failure);
        }
    }

    /**
     * One caller's batch and its outcome; the writer completes it, and the caller awaits it or
     * is called back.
     */
    private static final class Pending {
        final StoreBatch batch;
        /** A caller waits for this batch to be durable (commit or commitThen, not submit). */
        final boolean awaited;
        /** Called with the outcome instead of a caller awaiting it, or null. */
        private final Consumer<StoreException> whenDone;
        /** Released for the caller that awaits the outcome; null when it is called back instead. */
        private final CountDownLatch done;
        private volatile StoreException failure;

        Pending(StoreBatch batch, boolean awaited, Consumer<StoreException> whenDone) {
            this.batch = batch;
            this.awaited = awaited;
            this.whenDone = whenDone;
            this.done = whenDone == null ? new CountDownLatch(1) : null;
        }

        void complete(StoreException e) {
            failure = e;
            if (done != null) {
                done.countDown();
            } else {
                try {
                    whenDone.accept(e);
                } catch (RuntimeException | Error callbackFailure) {
                    // The group is settled; a failing callback must not fail the store or the others'.
                    LOG.log(System.Logger.Level.ERROR, "a store commit's callback failed", callbackFailure);
                }
            }
        }

        /**
         * Waits without giving up on interrupt: returning early would leave the caller not
         * knowing whether its batch committed. The interrupt status is kept.
         */
        void await() throws StoreException {
            boolean interrupted = false;
            while (true) {
                try {
                    done.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            StoreException e = failure;
            if (e != null) {
                throw new StoreException(e.getMessage(), e);
            }
        }
    }
}
