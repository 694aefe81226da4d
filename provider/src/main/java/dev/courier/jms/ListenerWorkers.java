package dev.courier.jms;

import dev.courier.concurrent.LearnedSpin;
import dev.courier.concurrent.SpinSlots;
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
 * <p>A worker that runs out of work polls for a while before it parks, as long as its
 * {@link LearnedSpin} says (long while its waits have been short, a session in a request/reply
 * exchange; briefly otherwise) and only with one of the process's {@link SpinSlots}, so spinning
 * workers never take the cores a busy connection needs. While no more sessions are queued than
 * workers spin, {@link #submit} wakes nobody: a spinner takes the session. Nothing is left behind:
 * a spinner that gives up looks at {@link #ready} again before it parks, and one that takes a
 * session and sees more queued than spinners remain wakes a worker for them.
 *
 * <p>Threading: {@link #ready}, {@link #queued}, {@link #idle} and {@link #spinning} are lock-free and used by any
 * thread; the worker list, the watchdog and the live count are guarded by {@code this};
 * {@link #passes} is written by workers and read by the watchdog; a worker's {@link LearnedSpin}
 * is its own.
 */
final class ListenerWorkers {

    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** A worker whose waits are long still polls this long: a burst's next message is often this close. */
    private static final long SHORT_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(5);
    /** The longest poll, for a worker whose sessions are fed again within tens of microseconds. */
    private static final long LONGEST_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final String threadPrefix;
    private final AtomicInteger threadNumbers;
    private final int hotWorkers = Math.max(2, Runtime.getRuntime().availableProcessors());
    private final ConcurrentLinkedQueue<ListenerDispatcher> ready = new ConcurrentLinkedQueue<>();
    /** Parked workers, most recently parked first (its caches are warmest). */
    private final ConcurrentLinkedDeque<Worker> idle = new ConcurrentLinkedDeque<>();
    private final AtomicLong passes = new AtomicLong();
    /** Sessions in {@link #ready}: counted before they join it, uncounted after they leave it. */
    private final AtomicInteger queued = new AtomicInteger();
    /** Workers polling {@link #ready} right now. */
    private final AtomicInteger spinning = new AtomicInteger();
    private final SpinSlots spinSlots = SpinSlots.shared();
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
        int waiting = queued.incrementAndGet();
        ready.offer(dispatcher);
        // Read after queueing; a spinner reads the queue after it stops counting itself (see Worker).
        if (waiting <= spinning.get()) {
            return;
        }
        wakeWorker();
    }

    /** Gets a worker to the queued sessions: an idle one, a new one, or the watchdog's attention. */
    private void wakeWorker() {
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

    /** Takes the next queued session, or null. */
    private ListenerDispatcher take() {
        ListenerDispatcher dispatcher = ready.poll();
        if (dispatcher != null) {
            queued.decrementAndGet();
        }
        return dispatcher;
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
        final LearnedSpin spin = new LearnedSpin(SHORT_SPIN_NANOS, LONGEST_SPIN_NANOS);
        Thread thread;

        void run() {
            try {
                long idleSince = 0;
                while (!shutdown) {
                    ListenerDispatcher dispatcher = take();
                    if (dispatcher == null) {
                        if (idleSince == 0) {
                            idleSince = System.nanoTime();
                        }
                        dispatcher = spinForWork(idleSince);
                    }
                    if (dispatcher != null) {
                        if (idleSince != 0) {
                            spin.waited(System.nanoTime() - idleSince);
                            idleSince = 0;
                        }
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
         * Polls for as long as the learned spin says, if a spin slot is free, before parking: a
         * session fed at a steady pace is usually queued again within microseconds, and catching
         * it here saves its sender a wake-up. Null when nothing came.
         */
        private ListenerDispatcher spinForWork(long idleSince) {
            if (!spinSlots.take()) {
                return null;
            }
            ListenerDispatcher dispatcher = null;
            boolean holding = true;
            spinning.incrementAndGet();
            try {
                long deadline = idleSince + spin.spinNanos();
                int polls = 0;
                do {
                    if (!(holding = spinSlots.pause(polls++))) {
                        break;
                    }
                    dispatcher = take();
                } while (dispatcher == null && System.nanoTime() - deadline < 0 && !shutdown);
            } finally {
                spinning.decrementAndGet();
                if (holding) {
                    spinSlots.give();
                }
            }
            // A submit that counted on a spinner woke nobody: if more wait than spinners remain to
            // take them, get them a worker. (Without work, parkIdle looks at the queue again.)
            if (dispatcher != null && queued.get() > spinning.get()) {
                wakeWorker();
            }
            return dispatcher;
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
