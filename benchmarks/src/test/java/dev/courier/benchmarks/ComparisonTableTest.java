package dev.courier.benchmarks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.benchmarks.BrokerUnderTest.Transport;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTableTest {

    private final ComparisonTable table = new ComparisonTable(List.of("courier", "artemis", "classic"));

    @Test
    void ratioIsCourierOverTheFastestPeerAndTheMedianOfRunsCounts() {
        Workload w = Workload.named("queue-np", 0);
        for (double courier : new double[] {400, 500, 9_000}) {
            table.add(w, Transport.VM, "courier", new Measurement(courier));
        }
        table.add(w, Transport.VM, "artemis", new Measurement(100));
        table.add(w, Transport.VM, "classic", new Measurement(50));
        table.addLimits(1000, 1_000_000);

        String md = table.markdown(List.of(w), List.of(Transport.VM), "settings");

        assertTrue(md.contains("| queue-np | vm | msg/s | 500 | 100 | 50.0 | 5.00 | >= 5x best peer | yes |"), md);
    }

    @Test
    void latencyIsComparedWithTheLowestPeerAndItsBarLooksAtP50AndP99() {
        Workload w = Workload.named("rr-latency", 0);
        table.add(w, Transport.TCP, "courier", new Measurement(60, 300, 900));
        table.add(w, Transport.TCP, "artemis", new Measurement(120, 400, 800));
        table.add(w, Transport.TCP, "classic", new Measurement(240, 500, 700));
        table.addLimits(1000, 1_000_000);

        String md = table.markdown(List.of(w), List.of(Transport.TCP), "settings");

        assertTrue(md.contains("| 60.0 / 300 / 900 | 120 / 400 / 800 | 240 / 500 / 700 | 0.50 |"), md);
        assertTrue(md.contains("p50 <= 80 us, p99 <= 4 x p50 | **no** |"), md);
    }

    @Test
    void persistentSyncSendsAreHeldAgainstTheDisksFdatasyncRate() {
        Workload w = Workload.named("queue-p-sync", 0);
        table.add(w, Transport.VM, "courier", new Measurement(850));
        table.add(w, Transport.VM, "artemis", new Measurement(900));
        table.addLimits(1000, 1_000_000);

        String md = table.markdown(List.of(w), List.of(Transport.VM), "settings");

        assertTrue(md.contains("| 850 | 900 | - | 0.94 | >= 0.8 x fdatasync/s | yes |"), md);
    }

    @Test
    void aFailedMeasurementShowsInItsCellAndIsListedWithItsReason() {
        Workload w = Workload.named("selector", 0);
        table.add(w, Transport.VM, "courier", new Measurement(1000));
        table.fail(w, Transport.VM, "artemis", "selector: 3 lost");
        table.addLimits(1000, 1_000_000);

        String md = table.markdown(List.of(w), List.of(Transport.VM), "settings");

        assertTrue(md.contains("| 1,000 | FAILED | - | n/a |"), md);
        assertTrue(md.contains("- selector vm artemis: selector: 3 lost"), md);
    }
}
