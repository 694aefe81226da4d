package dev.courier.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Group commit: callers of {@link #commit} queue their batch and wait; one writer thread takes
 * every batch queued so far and hands them, in submission order, to the {@link Handler} as one
 * group (one transaction, one journal write); a flusher thread then makes the groups written so
 * far durable with one {@link Handler#flush} and releases each caller with its outcome, in
 * group order. A group of {@link #submit}ted batches only, which nobody waits for, is not
 * flushed on its own: the next flushed group makes it durable too, so fire-and-forget
 * acknowledgements do not cost a flush each.
 * While the writer works on one group the next one gathers, and while the flusher flushes, the
 * writer already writes the next group (pipelining: the flush, which dominates, no longer
 * serialises with gathering, encoding and writing); under load a group holds about as many
 * batches as there are waiting callers, with no timer-based delay. A group is released only
 * after a flush that began after it was written, so after its own flush and every earlier one.
 *
 * <p>Memory is bounded: a group takes at most {@code maxGroup} batches (H2 keeps a transaction's
 * changes in memory until it commits, and an unbounded group of queued acknowledgements once
 * exhausted a 256 MiB heap), and {@link #submit}, whose callers do not wait for the outcome,
 * waits while {@code maxPending} batches are queued, so fire-and-forget acknowledgements
 * arriving faster than the disk takes them slow their sender down instead of piling up.
 *
 * <p>Thread ownership: the writer thread is the only thread that calls the handler's
 * {@code commitGroup} and {@code applyDeferred}, so the handler's resources (a JDBC connection)
 * need no locking; the flusher thread calls only {@link Handler#flush}. Callers only touch the
 * queue, under {@code lock}; the writer hands written groups to the flusher under
 * {@code flushLock}. A handler failure that leaves the store in an unknown state (a failed
 * commit or fsync) fails the whole group and every later commit; a failed flush also fails every
 * group written after the flushed ones, none of which may be confirmed: after a failed fsync the
 * durable state cannot be known, so the store must be reopened (which recovers what is durable).
 */
final class GroupCommitter {

    /** Applies a group; called only on the writer thread. */
    interface Handler {

        /**
         * Applies the batches in order and writes them, without flushing: {@link #flush} makes
         * them durable, on the flusher thread, possibly while the next group is written.
         *
         * @param sync false when no caller waits for the group (only {@link #submit}ted batches):
         *             it will not be flushed on its own, the next synced group's flush carries it
         * @return per batch, null if it committed or the exception that rejected it alone (its
         *         changes are not applied; the others' are)
         * @throws StoreException when the group as a whole failed; the store is then unusable
         */
        List<StoreException> commitGroup(List<StoreBatch> batches, boolean sync) throws StoreException;

        /**
         * Makes every group {@link #commitGroup} returned before this call durable. Called on the
         * flusher thread only, concurrently with {@link #commitGroup} on the writer thread.
         *
         * @throws StoreException when it failed; the store is then unusable, as for a group
         */
        default void flush() throws StoreException {
        }

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
    private final Thread flusher;
    private ArrayDeque<Pending> queue = new ArrayDeque<>();
    private boolean closing;
    /** Set under {@code lock}; read by the writer without it before handing a group on. */
    private volatile StoreException fatal;
    /** Guards {@link #written} and {@link #writerDone}: the writer-to-flusher handoff. */
    private final Object flushLock = new Object();
    /** Groups written and not yet flushed, in order. */
    private ArrayList<Written> written = new ArrayList<>();
    private boolean writerDone;
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
        this.flusher = new Thread(this::flushLoop, threadName + " flusher");
        writer.setDaemon(true);
        flusher.setDaemon(true);
        writer.start();
        flusher.start();
    }

    /** Queues the batch and waits until its group is durable or failed. */
    void commit(StoreBatch batch) throws StoreException {
        enqueue(batch, false).await();
    }

    /**
     * Queues the batch for a later group without waiting for the outcome; waits only while
     * {@code maxPending} batches are queued already (see the class comment).
     */
    void submit(StoreBatch batch) throws StoreException {
        enqueue(batch, true);
    }

    /** Queues a batch; a submitted one ({@code bounded}) has no caller waiting for it to be durable. */
    private Pending enqueue(StoreBatch batch, boolean bounded) throws StoreException {
        Pending pending = new Pending(batch, !bounded);
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

    /** Commits and flushes what is already queued, then stops both threads. Idempotent. */
    void close() {
        synchronized (lock) {
            closing = true;
            lock.notifyAll();
        }
        boolean interrupted = false;
        // The writer tells the flusher when it is done, so the flusher ends after the last group.
        for (Thread t : new Thread[] {writer, flusher}) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
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

    /** How many groups (so journal writes) the writer has started. */
    long groups() {
        return groups;
    }

    private void run() {
        try {
            write();
        } finally {
            synchronized (flushLock) {
                writerDone = true;
                flushLock.notifyAll();
            }
        }
    }

    private void write() {
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
            fail(e, List.of(), false);
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
        } catch (StoreException | RuntimeException | Error e) {
            fail(e, group, false);
            return;
        }
        synchronized (flushLock) {
            // A flush failed meanwhile (see fail): this group's durability is unknown as well.
            if (fatal == null) {
                written.add(new Written(group, results, sync));
                flushLock.notifyAll();
                return;
            }
        }
        for (Pending p : group) {
            p.complete(fatal);
        }
    }

    /**
     * The flusher thread: takes every group written so far, flushes once if a caller waits for
     * any of them, then completes them in order. A group is therefore released only after its
     * own flush and every earlier group's; the writer meanwhile writes the next group.
     */
    private void flushLoop() {
        while (true) {
            ArrayList<Written> flushing;
            synchronized (flushLock) {
                while (written.isEmpty() && !writerDone) {
                    try {
                        flushLock.wait();
                    } catch (InterruptedException e) {
                        // Only the writer's end stops the flusher; callers are waiting on it.
                    }
                }
                if (written.isEmpty()) {
                    return;
                }
                flushing = written;
                written = new ArrayList<>();
            }
            boolean sync = false;
            for (Written w : flushing) {
                sync |= w.sync;
            }
            if (sync) {
                try {
                    handler.flush();
                } catch (StoreException | RuntimeException | Error e) {
                    List<Pending> unflushed = new ArrayList<>();
                    for (Written w : flushing) {
                        unflushed.addAll(w.group);
                    }
                    fail(e, unflushed, true);
                    continue;
                }
            }
            for (Written w : flushing) {
                for (int i = 0; i < w.group.size(); i++) {
                    w.group.get(i).complete(w.results.get(i));
                }
            }
        }
    }

    /**
     * Fails the group, everything queued and every later call: the store's state is unknown.
     * After a failed flush ({@code flushFailed}) also every group written and not yet flushed:
     * none of them may be confirmed once an earlier flush failed.
     */
    private void fail(Throwable e, List<Pending> group, boolean flushFailed) {
        StoreException failure = e instanceof StoreException
                ? (StoreException) e
                : new StoreException("group commit failed: " + e, e);
        List<Pending> rest;
        synchronized (lock) {
            if (fatal == null) {
                fatal = failure;
            }
            rest = new ArrayList<>(queue);
            queue.clear();
            lock.notifyAll();
        }
        List<Written> unflushed = List.of();
        if (flushFailed) {
            synchronized (flushLock) {
                unflushed = written;
                written = new ArrayList<>();
            }
        }
        for (Pending p : group) {
            p.complete(failure);
        }
        for (Written w : unflushed) {
            for (Pending p : w.group) {
                p.complete(failure);
            }
        }
        for (Pending p : rest) {
            p.complete(failure);
        }
    }

    /** A group the writer wrote, waiting for the flusher; {@code sync} if a caller waits for it. */
    private record Written(List<Pending> group, List<StoreException> results, boolean sync) {
    }

    /** One caller's batch and its outcome; the writer completes it, the caller awaits it. */
    private static final class Pending {
        final StoreBatch batch;
        /** A caller waits for this batch to be durable (commit, not submit). */
        final boolean awaited;
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile StoreException failure;

        Pending(StoreBatch batch, boolean awaited) {
            this.batch = batch;
            this.awaited = awaited;
        }

        void complete(StoreException e) {
            failure = e;
            done.countDown();
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
