package dev.courier.benchmarks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.benchmarks.BrokerUnderTest.Transport;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every workload runs to completion against Courier (real H2 store, fsync on) with its checks passing. */
class CourierWorkloadsTest {

    private static final Phases SHORT = new Phases(0.1, 0.3, 2_000);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"queue-np", "queue-p-sync", "queue-p-4x4", "queue-p-tx", "topic-fanout", "selector",
            "rr-latency", "drain"})
    void workloadDeliversEverythingExactlyOnceOverVmAndTcp(String name) throws Exception {
        Workload workload = Workload.named(name, 500);
        for (Transport transport : Transport.values()) {
            try (BrokerUnderTest broker = BrokerUnderTest.start("courier", dir.resolve(transport.label()))) {
                // run() verifies exactly-once itself and throws WorkloadFailure otherwise.
                Measurement m = workload.run(broker.connectionFactory(transport), SHORT);

                assertTrue(Double.isFinite(m.value()) && m.value() >= 0, name + " over " + transport + ": " + m.value());
            }
        }
    }
}
