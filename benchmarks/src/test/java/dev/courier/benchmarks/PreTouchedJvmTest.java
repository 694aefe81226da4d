package dev.courier.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PreTouchedJvmTest {

    @Test
    void childRunsTheSameArgumentsOnAFixedPreTouchedHeap() {
        List<String> command = PreTouchedJvm.command("/opt/java/bin/java", "bench.jar", "4g",
                "dev.courier.benchmarks.Benchmarks", new String[] {"compare", "--runs", "3"});

        assertEquals(List.of("/opt/java/bin/java", "-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch", "-cp", "bench.jar",
                "dev.courier.benchmarks.Benchmarks", "compare", "--runs", "3"), command);
    }

    @Test
    void refusesAHeapThatIsNotASize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PreTouchedJvm.command(
                "java", "bench.jar", "-XX:+Evil", "dev.courier.benchmarks.Benchmarks", new String[0]));
        assertTrue(e.getMessage().contains("--heap -XX:+Evil"), e.getMessage());
    }

    @Test
    void defaultHeapIsAtMostFourGiB() {
        String heap = PreTouchedJvm.defaultHeap();
        assertTrue(heap.matches("[1-9][0-9]*m"), heap);
        long mib = Long.parseLong(heap.substring(0, heap.length() - 1));
        assertTrue(mib <= 4096, heap);
    }
}
