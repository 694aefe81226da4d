package dev.courier.benchmarks;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The timeline of a streaming workload: producers send numbered messages until told to stop;
 * deliveries are counted by the workload's {@link Ledger}s; the rate is the deliveries during the
 * measured phase divided by its length. Then sending stops, every message sent must arrive
 * (bounded wait) and the ledgers check exactly once.
 *
 * <p>Threading: each producer thread owns its sequence and writes its count to {@code sent} after
 * each batch; the thread that calls {@link #measure} owns the timeline. Failures from any thread
 * land in {@code failure}, and the first one fails the run.
 */
final class Flow {

    /** Sends message number {@code seq} of one producer. */
    interface Send {
        void send(int seq) throws Exception;
    }

    /** Ends a batch of sends (a commit for a transacted producer). */
    interface BatchEnd {
        void end() throws Exception;
    }

    private static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);

    private final String name;
    private final Phases phases;
    private final int fanout;
    private final LongSupplier delivered;
    private final AtomicLongArray sent;
    private final AtomicLong sentTotal = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<Thread> producers = new ArrayList<>();
    private volatile boolean stop;

    /**
     * @param fanout    how many deliveries one message makes (subscribers of a topic; 1 for a queue)
     * @param delivered deliveries so far, across all receivers
     */
    Flow(String name, Phases phases, int producerCount, int fanout, LongSupplier delivered) {
        this.name = name;
        this.phases = phases;
        this.fanout = fanout;
        this.delivered = delivered;
        this.sent = new AtomicLongArray(producerCount);
    }

    /** Notes a failure seen on any thread; the run fails with the first one. */
    void fail(Throwable t) {
        failure.compareAndSet(null, t);
        stop = true;
    }

    /**
     * Starts producer {@code index} on its own thread: {@code setUp} runs there first (it opens the
     * producer's connection and returns its send step), then batches of {@code batch} sends follow
     * until the flow stops; {@code close} runs at the end whatever happened.
     */
    void startProducer(int index, int batch, ProducerSetUp setUp) {
        Thread t = new Thread(() -> {
            try (ProducerSetUp.Producer p = setUp.open()) {
                int seq = 0;
                while (!stop) {
                    for (int i = 0; i < batch; i++) {
                        p.send().send(seq++);
                    }
                    p.batchEnd().end();
                    sent.set(index, seq);
                    throttle(sentTotal.addAndGet(batch));
                }
            } catch (Throwable e) {
                fail(e);
            }
        }, name + "-producer-" + index);
        producers.add(t);
        t.start();
    }

    /** Opens one producer's resources on its own thread. */
    interface ProducerSetUp {
        Producer open() throws Exception;

        /** A producer's send step, batch end and cleanup. */
        interface Producer extends AutoCloseable {
            Send send();

            @Override
            void close() throws JMSException;

            BatchEnd batchEnd();

            /** A producer of these steps whose cleanup closes {@code resource}. */
            static Producer of(Connection resource, Send send, BatchEnd batchEnd) {
                return new Producer() {
                    @Override
                    public Send send() {
                        return send;
                    }

                    @Override
                    public BatchEnd batchEnd() {
                        return batchEnd;
                    }

                    @Override
                    public void close() throws JMSException {
                        resource.close();
                    }
                };
            }
        }
    }

    /** Waits while more than {@code backlog} messages per receiver are sent but not delivered. */
    private void throttle(long sentSoFar) {
        long limit = (long) phases.backlog() * fanout;
        while (!stop && sentSoFar * fanout - delivered.getAsLong() > limit) {
            LockSupport.parkNanos(20_000);
        }
    }

    /**
     * Runs the warm-up and the measured phase, stops the producers and waits for every message
     * sent to be delivered.
     *
     * @return deliveries per second during the measured phase
     * @throws WorkloadFailure if a thread failed or messages were missing after the drain timeout
     */
    double measure() throws InterruptedException {
        pause(phases.warmupSeconds());
        long d0 = delivered.getAsLong();
        long t0 = System.nanoTime();
        pause(phases.measuredSeconds());
        long d1 = delivered.getAsLong();
        long t1 = System.nanoTime();
        stop = true;
        for (Thread t : producers) {
            t.join(TimeUnit.SECONDS.toMillis(120));
            if (t.isAlive()) {
                throw new WorkloadFailure(name + ": " + t.getName() + " still blocked in send two minutes after stop");
            }
        }
        rethrow();
        long expected = expectedDeliveries();
        long deadline = System.nanoTime() + DRAIN_TIMEOUT_NANOS;
        while (delivered.getAsLong() < expected && failure.get() == null && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
        rethrow();
        return (d1 - d0) / ((t1 - t0) / 1e9);
    }

    /** Messages each producer sent, once {@link #measure} returned. */
    long[] sent() {
        long[] result = new long[sent.length()];
        for (int i = 0; i < result.length; i++) {
            result[i] = sent.get(i);
        }
        return result;
    }

    /** Deliveries the sent messages make, once producers stopped. */
    long expectedDeliveries() {
        long total = 0;
        for (long n : sent()) {
            total += n;
        }
        return total * fanout;
    }

    /** Fails with the first failure any thread reported. */
    void rethrow() {
        Throwable t = failure.get();
        if (t instanceof WorkloadFailure) {
            throw (WorkloadFailure) t;
        }
        if (t != null) {
            throw new WorkloadFailure(name + ": " + t, t);
        }
    }

    /** Waits {@code seconds}, or less if a thread failed. */
    private void pause(double seconds) throws InterruptedException {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (failure.get() == null && System.nanoTime() < end) {
            Thread.sleep(Math.min(50, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        }
    }
}
