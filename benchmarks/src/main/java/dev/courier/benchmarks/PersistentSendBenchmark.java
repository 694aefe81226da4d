package dev.courier.benchmarks;

import dev.courier.client.VmBrokers;
import dev.courier.jms.CourierConnectionFactory;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Group commit, measured: persistent 1 KiB messages sent synchronously (each send returns only
 * once durable, with fsync) by 1 and by 8 producers on their own connections, beside the raw
 * fsync rate of the same disk (4 KiB write + force). Rounds interleave the three measurements,
 * since a small VM's disk speed drifts; the medians are reported.
 *
 * <p>{@code java -jar courier-benchmarks.jar persistent-send [--rounds N] [--seconds S] [--dir DIR]}
 */
final class PersistentSendBenchmark {

    private static final byte[] BODY = new byte[1024];

    private PersistentSendBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Args.intArg(args, "--rounds", 3);
        double seconds = Args.intArg(args, "--seconds", 5);
        Path dir = Path.of(Args.stringArg(args, "--dir", "target/bench-data"));
        Files.createDirectories(dir);
        double[] fsync = new double[rounds];
        double[] one = new double[rounds];
        double[] eight = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            fsync[r] = rawFsyncRate(dir, seconds);
            one[r] = sendRate(dir, 1, seconds);
            eight[r] = sendRate(dir, 8, seconds);
            System.out.printf("round %d: raw fsync %,.0f/s   1 producer %,.0f msg/s   8 producers %,.0f msg/s%n",
                    r + 1, fsync[r], one[r], eight[r]);
        }
        double f = median(fsync);
        double p1 = median(one);
        double p8 = median(eight);
        System.out.printf("persistent-send medians: raw fsync %,.0f/s | 1 producer %,.0f msg/s (%.2f msg per fsync)"
                + " | 8 producers %,.0f msg/s (%.2f msg per fsync) | 8/1 = %.1fx%n", f, p1, p1 / f, p8, p8 / f, p8 / p1);
    }

    /** Messages per second sent by {@code producers} threads, each on its own connection. */
    private static double sendRate(Path dir, int producers, double seconds) throws Exception {
        String name = "bench-persistent-" + System.nanoTime();
        Path data = dir.resolve(name);
        CourierConnectionFactory factory = new CourierConnectionFactory("vm://" + name + "?data=" + data);
        List<Thread> threads = new ArrayList<>();
        long[] counts = new long[producers];
        CountDownLatch ready = new CountDownLatch(producers);
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Exception> failure = new AtomicReference<>();
        long[] deadlineHolder = new long[1];
        try {
            for (int i = 0; i < producers; i++) {
                int index = i;
                Thread t = new Thread(() -> {
                    try (Connection c = factory.createConnection()) {
                        Session s = c.createSession();
                        MessageProducer p = s.createProducer(s.createQueue("persistent"));
                        p.setDeliveryMode(DeliveryMode.PERSISTENT);
                        BytesMessage m = s.createBytesMessage();
                        m.writeBytes(BODY);
                        ready.countDown();
                        go.await();
                        long deadline = deadlineHolder[0];
                        long n = 0;
                        while (System.nanoTime() < deadline) {
                            p.send(m);
                            n++;
                        }
                        counts[index] = n;
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                        ready.countDown();
                    }
                });
                threads.add(t);
                t.start();
            }
            ready.await();
            long start = System.nanoTime();
            deadlineHolder[0] = start + (long) (seconds * 1e9);
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            long elapsed = System.nanoTime() - start;
            if (failure.get() != null) {
                throw failure.get();
            }
            return Arrays.stream(counts).sum() / (elapsed / 1e9);
        } finally {
            VmBrokers.stop(name);
            deleteTree(data);
        }
    }

    /** fsyncs per second of 4 KiB writes to one file in {@code dir}. */
    static double rawFsyncRate(Path dir, double seconds) throws IOException {
        Path file = dir.resolve("fsync-probe");
        ByteBuffer block = ByteBuffer.allocate(4096);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long end = System.nanoTime() + (long) (seconds * 1e9);
            long start = System.nanoTime();
            long n = 0;
            while (System.nanoTime() < end) {
                block.clear();
                channel.write(block, 0);
                channel.force(false);
                n++;
            }
            return n / ((System.nanoTime() - start) / 1e9);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
