package dev.courier.server;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Runs one connection's tasks in submission order, one at a time, on a shared pool: a client's
 * requests keep their order (per-producer message order depends on it) while different clients
 * run in parallel. A drain runs a bounded batch and then yields its pool thread, so one busy
 * client cannot monopolize a worker.
 *
 * <p>A gate holds the tasks back without holding a thread: while it is shut (the client is not
 * reading what it was already sent), nothing runs, and {@link #resume} starts again once it
 * opens. So a client that asks without reading cannot make the broker build answers without
 * limit. The same gate holds a connection's requests back while one of its sends waits for
 * room on a full queue (flow control): its retry then goes first ({@link #putFirst}).
 *
 * <p>Thread-safe: tasks are submitted by the connection's selector thread (the held request's
 * retry by the thread that signals room); at most one pool thread drains at a time.
 */
final class SerialExecutor {

    private static final int BATCH = 64;

    private final Executor pool;
    private final BooleanSupplier gate;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** A task to run before the queued ones (a held request's retry), or null. */
    private final AtomicReference<Runnable> first = new AtomicReference<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    SerialExecutor(Executor pool, BooleanSupplier gate) {
        this.pool = pool;
        this.gate = gate;
    }

    void execute(Runnable task) {
        tasks.add(task);
        if (gate.getAsBoolean()) {
            schedule();
        }
    }

    /**
     * Puts {@code task} before everything queued; it runs after the next {@link #resume} that
     * finds the gate open. The retry of a request that was held back, which must keep its place
     * ahead of the requests that came after it: set before the gate opens, so a caller that sees
     * the gate open also sees this executor busy ({@link #isIdle}). At most one such task is
     * pending (the connection holds one request at a time).
     */
    void putFirst(Runnable task) {
        first.set(task);
    }

    /**
     * True when nothing is queued or running: a task run by the caller now, instead of
     * submitted, keeps its place in the order. Meaningful only to the one thread that submits.
     */
    boolean isIdle() {
        return !scheduled.get() && first.get() == null && tasks.isEmpty();
    }

    /** The gate may have opened: runs what waits. */
    void resume() {
        if ((first.get() != null || !tasks.isEmpty()) && gate.getAsBoolean()) {
            schedule();
        }
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                pool.execute(this::drain);
            } catch (RejectedExecutionException e) {
                // The pool is shut down: the server is closing and drops what is left.
                scheduled.set(false);
                tasks.clear();
            }
        }
    }

    private void drain() {
        try {
            for (int i = 0; i < BATCH && gate.getAsBoolean(); i++) {
                Runnable task = first.getAndSet(null);
                if (task == null) {
                    task = tasks.poll();
                }
                if (task == null) {
                    break;
                }
                task.run();
            }
        } finally {
            scheduled.set(false);
            // Checked after clearing the flag: a resume() that saw it still set is covered here.
            resume();
        }
    }
}
