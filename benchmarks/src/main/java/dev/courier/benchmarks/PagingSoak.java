package dev.courier.benchmarks;

import dev.courier.broker.Broker;
import dev.courier.broker.QueueStats;
import dev.courier.client.VmBrokers;
import dev.courier.jms.CourierConnectionFactory;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Soak of paging, not part of the tests: an embedded broker on H2 (no fsync) fills one queue with
 * a persistent backlog far larger than its heap (default 2 GiB of 1 KiB messages, meant for
 * {@code java -Xmx256m}) with no consumer, then one consumer drains it. Prints the heap in use
 * after a full GC (MemoryMXBean) during and after the fill and after the drain, the queue's
 * in-memory bytes and paged count, and the fill and drain rates. Every message must arrive
 * exactly once and in order (it is one producer per sequence range, one consumer), else exit 1.
 *
 * <p>Threads: producer threads each own a connection; the main thread consumes and reports.
 */
final class PagingSoak {

    private static final String QUEUE = "soak";

    private PagingSoak() {
    }

    public static void main(String[] args) throws Exception {
        double gib = Double.parseDouble(Args.stringArg(args, "--gib", "2"));
        int size = Args.intArg(args, "--size", 1024);
        int producers = Args.intArg(args, "--producers", 8);
        Path dir = Path.of(Args.stringArg(args, "--dir", "courier-data/paging-soak"));
        long total = (long) (gib * (1L << 30)) / size;
        deleteRecursively(dir);
        String url = "vm://paging-soak?fsync=false&data=" + dir;
        System.out.printf("paging-soak: %,d persistent messages of %d bytes (%.2f GiB), %d producers, max heap %d MiB, "
                + "store %s (fsync=false)%n", total, size, gib, producers, Runtime.getRuntime().maxMemory() >> 20, dir);
        CourierConnectionFactory factory = new CourierConnectionFactory(url);
        Broker broker;
        try (Connection probe = factory.createConnection()) {
            broker = VmBrokers.find("paging-soak");
        }
        System.out.printf("maxQueueMemory %d MiB per queue%n", broker.config().maxQueueMemory() >> 20);

        long start = System.nanoTime();
        fill(factory, broker, total, size, producers);
        double fillSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("filled %,d messages in %.1f s: %,.0f msg/s, %.1f MiB/s%n", total, fillSeconds,
                total / fillSeconds, total * (double) size / (1 << 20) / fillSeconds);
        report("after fill", broker);

        start = System.nanoTime();
        drain(factory, broker, total, producers);
        double drainSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("drained %,d messages in %.1f s: %,.0f msg/s, %.1f MiB/s; each once, in order%n", total,
                drainSeconds, total / drainSeconds, total * (double) size / (1 << 20) / drainSeconds);
        report("after drain", broker);
        VmBrokers.stop("paging-soak");
        deleteRecursively(dir);
    }

    private static void fill(CourierConnectionFactory factory, Broker broker, long total, int size, int producers)
            throws Exception {
        AtomicLong sent = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        long perProducer = (total + producers - 1) / producers;
        for (int p = 0; p < producers; p++) {
            long from = p * perProducer;
            long to = Math.min(total, from + perProducer);
            Thread t = new Thread(() -> {
                try (Connection c = factory.createConnection()) {
                    Session s = c.createSession();
                    MessageProducer producer = s.createProducer(s.createQueue(QUEUE));
                    producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                    byte[] body = new byte[size];
                    for (long n = from; n < to; n++) {
                        BytesMessage m = s.createBytesMessage();
                        m.writeBytes(body);
                        m.setLongProperty("n", n);
                        producer.send(m);
                        sent.incrementAndGet();
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }, "soak-producer-" + p);
            threads.add(t);
            t.start();
        }
        long last = System.nanoTime();
        while (threads.stream().anyMatch(Thread::isAlive)) {
            for (Thread t : threads) {
                t.join(10_000);
                if (System.nanoTime() - last > 10_000_000_000L) {
                    break;
                }
            }
            if (System.nanoTime() - last > 10_000_000_000L) {
                last = System.nanoTime();
                System.out.printf("  sent %,d%n", sent.get());
                report("  filling", broker);
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a producer failed", failures.get(0));
        }
    }

    private static void drain(CourierConnectionFactory factory, Broker broker, long total, int producers)
            throws Exception {
        long perProducer = (total + producers - 1) / producers;
        long[] next = new long[producers];
        for (int p = 0; p < producers; p++) {
            next[p] = p * perProducer;
        }
        BitSet seen = new BitSet();
        try (Connection c = factory.createConnection()) {
            Session s = c.createSession(Session.DUPS_OK_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(QUEUE));
            c.start();
            long last = System.nanoTime();
            for (long i = 0; i < total; i++) {
                jakarta.jms.Message m = consumer.receive(30_000);
                if (m == null) {
                    fail("message " + i + " of " + total + " did not arrive within 30 s");
                }
                long n = m.getLongProperty("n");
                int producer = (int) (n / perProducer);
                if (seen.get((int) n)) {
                    fail("message " + n + " arrived twice");
                }
                if (n != next[producer]) {
                    fail("producer " + producer + ": expected message " + next[producer] + ", got " + n);
                }
                seen.set((int) n);
                next[producer]++;
                if (System.nanoTime() - last > 10_000_000_000L) {
                    last = System.nanoTime();
                    System.out.printf("  received %,d%n", i + 1);
                    report("  draining", broker);
                }
            }
            if (consumer.receive(500) != null) {
                fail("more messages than were sent");
            }
        }
    }

    private static void report(String when, Broker broker) {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        QueueStats q = broker.queueStats(QUEUE);
        System.out.printf("%s: heap used after GC %d MiB; queue in memory %d MiB (%,d waiting, %,d in flight), %,d paged%n",
                when, heap >> 20, q.memoryBytes() >> 20, q.depth(), q.inFlight(), q.paged());
    }

    private static void fail(String message) {
        System.out.println("FAILED: " + message);
        System.exit(1);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
