package dev.courier.jms;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads that run one connection's message listeners.
 *
 * <p>A session with messages for its listeners waits in {@link #ready}; worker threads take the
 * sessions in turn and run one bounded pass of each. While messages keep coming, the few workers
 * stay busy and nobody is woken: a thread per session, parked between messages, would cost a
 * wake-up and a context switch for nearly every message once there are more sessions than cores.
 *
 * <p>Normally at most {@link #hotWorkers} threads run (one per core). A listener may block, on
 * I/O or on another session's listener, so when sessions wait and no pass has finished for
 * {@link #STALL_NANOS}, a watchdog starts one more worker; a session is queued at most once,
 * so there are never more workers than sessions with work. Idle workers end after
 * {@link #IDLE_NANOS}.
 *
 * <p>Threading: {@link #ready} and {@link #idle} are lock-free and used by any thread; the
 * worker list, the watchdog and the live count are guarded by {@code this}; {@link #passes} is
 * written by workers and read by the watchdog.
 */
final class ListenerWorkers {

    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    private static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final String threadPrefix;
    private final AtomicInteger threadNumbers;
    private final int hotWorkers = Math.max(2, Runtime.getRuntime().availableProcessors());
    private final ConcurrentLinkedQueue<ListenerDispatcher> ready = new ConcurrentLinkedQueue<>();
    /** Parked workers, most recently parked first (its caches are warmest). */
    private final ConcurrentLinkedDeque<Worker> idle = new ConcurrentLinkedDeque<>();
    private final AtomicLong passes = new AtomicLong();
    private final AtomicInteger live = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private Thread watchdog;
    private volatile boolean watchdogParked;
    private volatile boolean shutdown;

    /**
     * @param threadPrefix  the name of every worker starts with this (the connection recognises
     *                      its listener threads by it)
     * @param threadNumbers numbers the workers
     */
    ListenerWorkers(String threadPrefix, AtomicInteger threadNumbers) {
        this.threadPrefix = threadPrefix;
        this.threadNumbers = threadNumbers;
    }

    /** Queues a session's dispatcher, which must not be queued already, and gets a worker to it. */
    void submit(ListenerDispatcher dispatcher) {
        if (shutdown) {
            return;
        }
        ready.offer(dispatcher);
        Worker worker;
        while ((worker = idle.pollFirst()) != null) {
            if (worker.idle.compareAndSet(true, false)) {
                LockSupport.unpark(worker.thread);
                return;
            }
        }
        if (live.get() < hotWorkers) {
            startWorker(hotWorkers);
        } else {
            startWatchdog();
            if (watchdogParked) {
                LockSupport.unpark(watchdog);
            }
        }
    }

    /**
     * Stops every worker; unless the caller is one of them, waits until they have ended (a
     * running listener finishes first).
     */
    void shutdown() {
        List<Thread> all;
        synchronized (this) {
            shutdown = true;
            all = new ArrayList<>(threads);
            if (watchdog != null) {
                all.add(watchdog);
            }
        }
        ready.clear();
        for (Thread thread : all) {
            LockSupport.unpark(thread);
        }
        if (all.contains(Thread.currentThread())) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try {
            for (Thread thread : all) {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void startWorker(int limit) {
        synchronized (this) {
            if (shutdown || live.get() >= limit) {
                return;
            }
            live.incrementAndGet();
            Worker worker = new Worker();
            Thread thread = new Thread(worker::run, threadPrefix + threadNumbers.incrementAndGet());
            thread.setDaemon(true);
            worker.thread = thread;
            threads.add(thread);
            thread.start();
        }
    }

    private void startWatchdog() {
        if (watchdog != null) {
            return;
        }
        synchronized (this) {
            if (watchdog == null && !shutdown) {
                Thread thread = new Thread(this::watch, threadPrefix.replace("listener-", "listener-watchdog-") + "0");
                thread.setDaemon(true);
                watchdog = thread;
                thread.start();
            }
        }
    }

    /** Starts another worker when sessions wait and every worker is stuck in a listener. */
    private void watch() {
        while (!shutdown) {
            if (ready.isEmpty()) {
                watchdogParked = true;
                if (ready.isEmpty() && !shutdown) {
                    LockSupport.park(this);
                }
                watchdogParked = false;
                continue;
            }
            long before = passes.get();
            LockSupport.parkNanos(this, STALL_NANOS);
            if (!ready.isEmpty() && passes.get() == before && idle.isEmpty()) {
                startWorker(Integer.MAX_VALUE);
            }
        }
    }

    /** One worker thread: runs queued sessions' passes, parks when there are none. */
    private final class Worker {

        final AtomicBoolean idle = new AtomicBoolean();
        Thread thread;

        void run() {
            try {
                while (!shutdown) {
                    ListenerDispatcher dispatcher = ready.poll();
                    if (dispatcher == null) {
                        dispatcher = spinForWork();
                    }
                    if (dispatcher != null) {
                        dispatcher.runPass();
                        passes.incrementAndGet();
                        continue;
                    }
                    if (!parkIdle()) {
                        return;
                    }
                }
            } finally {
                synchronized (ListenerWorkers.this) {
                    threads.remove(Thread.currentThread());
                }
            }
        }

        /**
         * Polls for a short while before parking: a session fed at a steady pace is usually
         * queued again within microseconds, and catching it here saves its sender a wake-up.
         */
        private ListenerDispatcher spinForWork() {
            long deadline = System.nanoTime() + SPIN_NANOS;
            do {
                Thread.onSpinWait();
                ListenerDispatcher dispatcher = ready.poll();
                if (dispatcher != null) {
                    return dispatcher;
                }
            } while (System.nanoTime() < deadline && !shutdown);
            return null;
        }

        /** Waits for work; false when this worker has been idle long enough to end. */
        private boolean parkIdle() {
            idle.set(true);
            ListenerWorkers.this.idle.addFirst(this);
            long start = System.nanoTime();
            // Re-check after advertising: a submit that found no idle worker queued its session first.
            while (ready.isEmpty() && !shutdown) {
                long left = IDLE_NANOS - (System.nanoTime() - start);
                if (left <= 0 || !idle.get()) {
                    break;
                }
                LockSupport.parkNanos(this, left);
            }
            if (!idle.compareAndSet(true, false)) {
                return true; // a submitter claimed this worker
            }
            ListenerWorkers.this.idle.remove(this);
            if (!ready.isEmpty() || shutdown) {
                return !shutdown;
            }
            synchronized (ListenerWorkers.this) {
                // A session queued after the check above finds live below the limit and starts a worker.
                if (!ready.isEmpty()) {
                    return true;
                }
                live.decrementAndGet();
                return false;
            }
        }
    }
}
