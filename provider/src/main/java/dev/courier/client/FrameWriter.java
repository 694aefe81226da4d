package dev.courier.client;

import dev.courier.concurrent.LearnedSpin;
import dev.courier.concurrent.SpinSlots;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Writes the frames of one {@link TcpBrokerLink} to its socket, many in one system call when
 * they come quickly.
 *
 * <p>Every frame joins one lock-free outbox in the order of the calls, so the broker gets them
 * in that order whoever writes them. Whoever holds the write token takes everything queued into
 * one buffer and one write. A caller writes itself (no hand-off, the least latency) unless a
 * burst is running: then a frame that nobody waits for is left to the writer thread
 * ({@code courier-tcp-writer-N}), the caller does not pay a system call per frame, and the
 * writer writes what piled up meanwhile at once. A burst is several frames in a row each
 * queued soon after the previous write, a producer's or an acknowledging consumer's stream; a
 * request/reply exchange, with a round trip between its frames, never looks like one.
 *
 * <p>Bounded: while more than {@link #MAX_QUEUED_BYTES} wait in the outbox (the broker stopped
 * reading, and the writer is blocked on the socket), callers wait, as a direct write would.
 *
 * <p>The writer thread polls the outbox before parking as long as its {@link LearnedSpin} says,
 * and only with one of the process's {@link SpinSlots}.
 *
 * <p>Threads: any thread calls {@link #write}; the holder of {@code writing} owns
 * {@code buffer} and the output stream; the writer thread only writes and parks, and owns
 * {@code spin}.
 */
final class FrameWriter {

    /** A frame queued within this long of the last write continues a burst. */
    private static final long BURST_GAP_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    /** Frames in a row that make a burst. */
    private static final int BURST_LENGTH = 4;
    /** How long the writer polls for more frames before parking while its waits are long. */
    private static final long SHORT_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(2);
    /** How long it polls at most, while bursts keep it busy: a burst then costs no unpark. */
    private static final long LONGEST_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    private static final int BUFFER_BYTES = 64 * 1024;
    static final long MAX_QUEUED_BYTES = 1024 * 1024;

    private final OutputStream out;
    private final Consumer<IOException> onWriterFailure;
    private final Queue<byte[]> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private final Object room = new Object();
    private final Thread thread;
    private final LearnedSpin spin = new LearnedSpin(SHORT_SPIN_NANOS, LONGEST_SPIN_NANOS);
    private final SpinSlots.Awaited frameOrStop = () -> !outbox.isEmpty() || this.stopped;
    private volatile boolean parked;
    private volatile int waitingForRoom;
    private volatile IOException failure;
    private volatile boolean stopped;
    private volatile long lastWrite = System.nanoTime();
    /** Heuristics only, written by callers without synchronization: a lost update costs one decision. */
    private int streak;

    /**
     * @param onWriterFailure told when a write by the writer thread fails (callers that write
     *                        themselves get the exception instead)
     */
    FrameWriter(OutputStream out, String threadName, Consumer<IOException> onWriterFailure) {
        this.out = out;
        this.onWriterFailure = onWriterFailure;
        this.thread = new Thread(this::writerLoop, threadName);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** When the last write finished ({@link System#nanoTime}). */
    long lastWrite() {
        return lastWrite;
    }

    /**
     * Queues a frame after those queued before it and makes sure it gets written.
     *
     * @param mayDefer true for a frame nobody waits for: in a burst the writer thread writes it
     * @throws IOException when writing failed (this link is then dead)
     */
    void write(byte[] frame, boolean mayDefer) throws IOException {
        IOException failed = failure;
        if (failed != null) {
            throw new IOException(failed.getMessage(), failed);
        }
        if (queuedBytes.get() > MAX_QUEUED_BYTES) {
            awaitRoom();
        }
        queuedBytes.addAndGet(frame.length);
        outbox.add(frame);
        boolean burst = mayDefer && inBurst();
        if (!burst && writing.compareAndSet(false, true)) {
            drain();
        } else if (burst && parked) {
            LockSupport.unpark(thread);
        }
        // Otherwise the token's holder writes the frame: it looks at the outbox after letting go.
    }

    /** Ends the writer thread; frames still queued are dropped (the link is closed or dead). */
    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
        wakeWaiters();
    }

    /** Waits for the writer thread to end. */
    void join(long millis) throws InterruptedException {
        if (Thread.currentThread() != thread) {
            thread.join(millis);
        }
    }

    private boolean inBurst() {
        if (System.nanoTime() - lastWrite < BURST_GAP_NANOS) {
            return ++streak >= BURST_LENGTH;
        }
        streak = 0;
        return false;
    }

    /** Writes until the outbox is empty; the caller holds the token, which this lets go. */
    private void drain() throws IOException {
        try {
            do {
                writeQueued();
                writing.set(false);
                // A frame queued while the token was held, by a caller that left it to us.
            } while (!outbox.isEmpty() && writing.compareAndSet(false, true));
        } catch (IOException e) {
            failure = e;
            writing.set(false);
            wakeWaiters();
            throw e;
        }
    }

    private void writeQueued() throws IOException {
        int filled = 0;
        long taken = 0;
        byte[] frame;
        while ((frame = outbox.poll()) != null) {
            taken += frame.length;
            if (frame.length > buffer.length - filled) {
                if (filled > 0) {
                    out.write(buffer, 0, filled);
                    filled = 0;
                }
                if (frame.length > buffer.length) {
                    out.write(frame);
                    continue;
                }
            }
            System.arraycopy(frame, 0, buffer, filled, frame.length);
            filled += frame.length;
        }
        if (filled > 0) {
            out.write(buffer, 0, filled);
        }
        lastWrite = System.nanoTime();
        queuedBytes.addAndGet(-taken);
        if (waitingForRoom > 0) {
            wakeWaiters();
        }
    }

    private void awaitRoom() throws IOException {
        synchronized (room) {
            waitingForRoom++;
            try {
                while (queuedBytes.get() > MAX_QUEUED_BYTES && failure == null && !stopped) {
                    room.wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting to write to the broker");
            } finally {
                waitingForRoom--;
            }
        }
        IOException failed = failure;
        if (failed != null) {
            throw new IOException(failed.getMessage(), failed);
        }
    }

    private void wakeWaiters() {
        synchronized (room) {
            room.notifyAll();
        }
    }

    private void writerLoop() {
        long idleSince = 0;
        while (!stopped) {
            if (!outbox.isEmpty() && writing.compareAndSet(false, true)) {
                if (idleSince != 0) {
                    spin.waited(System.nanoTime() - idleSince);
                    idleSince = 0;
                }
                try {
                    drain();
                } catch (IOException e) {
                    if (!stopped) {
                        onWriterFailure.accept(e);
                    }
                    return;
                }
                continue;
            }
            if (idleSince == 0) {
                idleSince = System.nanoTime();
            }
            spinForFrames(idleSince);
            if (!outbox.isEmpty() && !writing.get()) {
                continue;
            }
            parked = true;
            // Checked again after announcing the park: a frame queued before it is seen here, one
            // queued after it finds parked set and unparks. While a caller holds the token, that
            // caller writes what is queued.
            if ((outbox.isEmpty() || writing.get()) && !stopped) {
                LockSupport.park(this);
            }
            parked = false;
        }
    }

    /** Polls the outbox until a frame comes or the learned spin ends, if a spin slot is free. */
    private void spinForFrames(long idleSince) {
        SpinSlots.shared().spinUntil(frameOrStop, idleSince + spin.spinNanos());
    }
}
