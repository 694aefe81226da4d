package dev.courier.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * What the machine itself allows, measured in the same run as the brokers so the figures share
 * its conditions: the raw fdatasync rate of the data disk (4 KiB write + force, no metadata) and
 * the rate at which one thread can hand 1 KiB arrays to another through a bounded queue.
 */
final class MachineLimits {

    private static final byte[] END = new byte[0];

    private MachineLimits() {
    }

    /** fdatasyncs per second of 4 KiB writes to a file in {@code dir}. */
    static double fdatasyncRate(Path dir, double seconds) throws IOException {
        return PersistentSendBenchmark.rawFsyncRate(dir, seconds);
    }

    /** 1 KiB arrays per second, each freshly allocated and filled, passed between two threads. */
    static double handoffRate(double seconds) throws InterruptedException {
        BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(1024);
        long[] taken = new long[1];
        Thread consumer = new Thread(() -> {
            long n = 0;
            try {
                while (queue.take() != END) {
                    n++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            taken[0] = n;
        }, "handoff-consumer");
        consumer.start();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            for (int i = 0; i < 256; i++) {
                byte[] b = new byte[Workload.BODY.length];
                System.arraycopy(Workload.BODY, 0, b, 0, b.length);
                queue.put(b);
            }
        }
        queue.put(END);
        consumer.join();
        return taken[0] / ((System.nanoTime() - start) / 1e9);
    }
}
