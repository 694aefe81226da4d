package dev.courier.store;

import dev.courier.message.Address;
import dev.courier.message.BodyType;
import dev.courier.message.MessageRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Prints the disk's raw fsync rate and the H2 store's commit rate with 1 and 8 committing
 * threads (persistent 1 KiB text messages, one message and one reference per commit), and the
 * commits per group (per fsync under FSYNC). A shared or virtual disk's fsync rate can vary
 * several-fold from second to second, so the three measurements are interleaved over several
 * rounds. Not a test; run by hand:
 * {@code java -cp <test classpath> dev.courier.store.StoreGroupCommitBenchmark [dir] [seconds] [FSYNC|NO_FSYNC] [rounds]}.
 */
public final class StoreGroupCommitBenchmark {

    private StoreGroupCommitBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path base = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("courier-bench");
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        Durability durability = args.length > 2 ? Durability.valueOf(args[2]) : Durability.FSYNC;
        Files.createDirectories(base);

        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        for (int round = 1; round <= rounds; round++) {
            double fsyncs = rawFsyncRate(base.resolve("fsync-probe"), seconds);
            System.out.printf("round %d: raw fsync (4 KiB write + FileChannel.force): %.0f/s%n", round, fsyncs);
            for (int threads : new int[] {1, 8}) {
                Path dir = base.resolve("store-" + threads);
                deleteRecursively(dir);
                commitRate(dir, durability, threads, seconds);
            }
        }
    }

    private static double rawFsyncRate(Path file, double seconds) throws IOException {
        ByteBuffer page = ByteBuffer.allocate(4096);
        long n = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                page.clear();
                ch.write(page, (n % 256) * 4096);
                ch.force(true);
                n++;
            }
            return n / ((System.nanoTime() - start) / 1e9);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void commitRate(Path dir, Durability durability, int threads, double seconds) throws Exception {
        MessageRecord record = MessageRecord.builder().messageId("ID:bench").destination(Address.queue("bench"))
                .body(BodyType.TEXT, "x".repeat(1024)).build();
        AtomicLong ids = new AtomicLong();
        AtomicLong commits = new AtomicLong();
        try (H2MessageStore store = new H2MessageStore(dir, durability)) {
            store.commit(new StoreBatch());
            long groupsBefore = store.groupCount();
            long end = System.nanoTime() + (long) (seconds * 1e9);
            Thread[] workers = new Thread[threads];
            Exception[] failure = new Exception[1];
            long start = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                workers[t] = new Thread(() -> {
                    try {
                        while (System.nanoTime() < end) {
                            long id = ids.incrementAndGet();
                            store.commit(new StoreBatch().addMessage(new StoredMessage(id, record)).addReference("bench", id));
                            commits.incrementAndGet();
                        }
                    } catch (StoreException e) {
                        failure[0] = e;
                    }
                });
                workers[t].start();
            }
            for (Thread w : workers) {
                w.join();
            }
            if (failure[0] != null) {
                throw failure[0];
            }
            double rate = commits.get() / ((System.nanoTime() - start) / 1e9);
            double perGroup = commits.get() / (double) (store.groupCount() - groupsBefore);
            System.out.printf("  H2 store %s, %d thread(s): %.0f commits/s, %.1f commits per group%n",
                    durability, threads, rate, perGroup);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
    }
}
