package dev.courier.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs a command in a child JVM whose heap has a fixed size and is touched before any broker
 * starts ({@code -Xms} = {@code -Xmx}, {@code -XX:+AlwaysPreTouch}), unless this JVM already is
 * one.
 *
 * <p>Why: a JVM started without them grows its heap as it allocates, and the first write to each
 * new page of heap is a page fault the kernel serves by zeroing the page. On the 2-core VM these
 * figures are taken on, touching 4 GiB that way costs about 10 s of CPU, and a broker moving 1 KiB
 * messages at full speed allocates about 1 GB/s: until the heap has been written once, the
 * faults, not the broker, set the pace (Courier's queue-np over tcp:// went in and out of a mode
 * four times slower within one run). A broker in service runs on a heap it has long since
 * touched, so every provider is measured on one that is touched up front.
 *
 * <p>Threading: called once, from the main thread.
 */
final class PreTouchedJvm {

    static final String PRE_TOUCH = "-XX:+AlwaysPreTouch";

    private PreTouchedJvm() {
    }

    /** True when this JVM was started with a pre-touched heap. */
    static boolean isThisOne() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().contains(PRE_TOUCH);
    }

    /**
     * The heap to give the child when none is asked for: 4 GiB, or half the machine's memory if
     * that is less (the comparison's largest figure, drain, peaks near 1.3 GiB).
     */
    static String defaultHeap() {
        long physical = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        long mib = Math.min(4096, (physical >> 20) / 2);
        return mib + "m";
    }

    /**
     * The child's command line: this JVM's {@code java} and class path, the fixed, pre-touched
     * heap, then {@code mainClass} with {@code args} unchanged.
     *
     * @throws IllegalArgumentException if {@code heap} is not a JVM heap size such as {@code 4g}
     */
    static List<String> command(String java, String classPath, String heap, String mainClass, String[] args) {
        if (!heap.toLowerCase(Locale.ROOT).matches("[1-9][0-9]*[kmg]?")) {
            throw new IllegalArgumentException("--heap " + heap + ": expected a size such as 4g or 3072m");
        }
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("-Xms" + heap);
        command.add("-Xmx" + heap);
        command.add(PRE_TOUCH);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    /** Runs {@code args} through {@link Benchmarks} in a pre-touched child JVM; returns its exit code. */
    static int run(String heap, String[] args) throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + "/bin/java");
        List<String> command = command(java, System.getProperty("java.class.path"), heap,
                Benchmarks.class.getName(), args);
        System.out.println("running in a JVM with a fixed, pre-touched heap: " + String.join(" ", command.subList(1, 4)));
        Process child = new ProcessBuilder(command).inheritIO().start();
        try {
            return child.waitFor();
        } finally {
            child.destroy();
        }
    }
}
