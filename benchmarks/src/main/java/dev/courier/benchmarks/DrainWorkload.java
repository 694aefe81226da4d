package dev.courier.benchmarks;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Backlog: with no consumer, a transacted producer fills the queue with N persistent 1 KiB
 * messages (commit every {@value QueueWorkload#TX_BATCH}); then one consumer (listener,
 * AUTO_ACKNOWLEDGE) drains them. Figures: drain rate, fill rate, the peak heap in use in this JVM
 * (broker and clients together, garbage included) sampled every 20 ms across both phases, and the
 * heap still in use after a full collection once the queue is full (what the backlog holds). Every message must
 * be drained exactly once. Not timed by the phases: N sets its length.
 *
 * <p>Threading: the calling thread fills; the listener thread drains into the {@link Ledger}; a
 * daemon thread samples the heap.
 */
final class DrainWorkload implements Workload {

    private static final long DRAIN_TIMEOUT_MINUTES = 30;

    private final int messages;

    DrainWorkload(int messages) {
        this.messages = messages - messages % QueueWorkload.TX_BATCH;
    }

    @Override
    public String name() {
        return "drain";
    }

    @Override
    public String unit() {
        return "msg/s drained";
    }

    @Override
    public List<String> extraLabels() {
        return List.of("fill msg/s", "peak heap MiB", "live heap at full backlog MiB");
    }

    @Override
    public Measurement run(ConnectionFactory factory, Phases phases) throws Exception {
        System.gc(); // start from the live set, not from the previous measurement's garbage
        HeapPeak heap = new HeapPeak();
        heap.start();
        try (Connection c = factory.createConnection()) {
            Session ps = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = ps.createProducer(ps.createQueue(name()));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            long fillStart = System.nanoTime();
            for (int seq = 0; seq < messages; seq++) {
                producer.send(Workload.numbered(ps, 0, seq));
                if ((seq + 1) % QueueWorkload.TX_BATCH == 0) {
                    ps.commit();
                }
            }
            double fillRate = messages / ((System.nanoTime() - fillStart) / 1e9);
            System.gc(); // what remains is what the backlog (and the JVM's baseline) really holds
            long liveAtFullBacklog = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();

            Ledger ledger = new Ledger(name(), 1);
            CountDownLatch drained = new CountDownLatch(messages);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Session cs = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            cs.createConsumer(cs.createQueue(name())).setMessageListener(m -> {
                try {
                    Workload.record(ledger, m);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
                drained.countDown();
            });
            long drainStart = System.nanoTime();
            c.start();
            boolean complete = drained.await(DRAIN_TIMEOUT_MINUTES, TimeUnit.MINUTES);
            double drainRate = (messages - drained.getCount()) / ((System.nanoTime() - drainStart) / 1e9);
            if (failure.get() != null) {
                throw new WorkloadFailure(name() + ": " + failure.get(), failure.get());
            }
            if (!complete) {
                throw new WorkloadFailure(name() + ": only " + (messages - drained.getCount()) + " of " + messages
                        + " drained in " + DRAIN_TIMEOUT_MINUTES + " minutes");
            }
            ledger.verify(new long[] {messages});
            heap.finish();
            return new Measurement(drainRate, fillRate, heap.peak / (1024.0 * 1024.0),
                    liveAtFullBacklog / (1024.0 * 1024.0));
        } finally {
            heap.finish();
        }
    }

    /** Samples heap in use on its own thread; {@code peak} is the highest sample. */
    private static final class HeapPeak extends Thread {

        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private volatile boolean running = true;
        private volatile long peak;

        HeapPeak() {
            super("heap-peak");
            setDaemon(true);
        }

        @Override
        public void run() {
            while (running) {
                peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void finish() throws InterruptedException {
            running = false;
            join();
        }
    }
}
