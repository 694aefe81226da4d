package dev.courier.jms;

import dev.courier.client.VmBrokers;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.Parameter;

/**
 * Base of the behaviour suites: each test gets its own broker, reached over every transport
 * Courier offers (the {@code transport} parameter), so one suite covers them all. Concrete
 * suites carry {@link AllTransports}.
 */
public abstract class BrokerFixture {

    /** How long a test waits for something that should happen promptly. */
    protected static final long WAIT_MS = 10_000;
    /** How long a test waits to be reasonably sure something does not happen. */
    protected static final long ABSENT_MS = 200;

    @Parameter
    protected String transport;

    private final String brokerName = "test-" + UUID.randomUUID();

    /**
     * A URL for this test's broker, with extra options ("a=b&c=d") or none. The broker keeps
     * its messages in memory unless the options say otherwise ({@code persistent=}, {@code data=}):
     * the behaviour suites test JMS semantics, the persistence suites test the store.
     */
    protected String url(String options) {
        String all = options == null || options.isEmpty() ? "" : options;
        if (!all.contains("persistent=") && !all.contains("data=")) {
            all = all.isEmpty() ? "persistent=false" : all + "&persistent=false";
        }
        return "vm://" + brokerName + "?" + all;
    }

    protected CourierConnectionFactory factory() {
        return new CourierConnectionFactory(url(null));
    }

    protected CourierConnectionFactory factory(String options) {
        return new CourierConnectionFactory(url(options));
    }

    protected String brokerName() {
        return brokerName;
    }

    @AfterEach
    void stopBroker() {
        VmBrokers.stop(brokerName);
    }
}
