package dev.courier.jms;

import dev.courier.broker.Broker;
import dev.courier.client.ConnectionUrl;
import dev.courier.client.VmBrokers;
import dev.courier.server.TcpServer;
import java.util.StringJoiner;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.Parameter;

/**
 * Base of the behaviour suites: each test gets its own broker, reached over every transport
 * Courier offers (the {@code transport} parameter), so one suite covers them all. Concrete
 * suites carry {@link AllTransports}.
 *
 * <p>Broker settings travel as {@code vm://} URL options on either transport
 * ({@code factory("maxDeliveryAttempts=2")}): over {@code vm} the first connection starts the
 * broker with them, as an application would; over {@code tcp} the first {@link #url} call starts
 * a {@link Broker} with them and a {@link TcpServer} on an ephemeral port of 127.0.0.1, and the
 * URL carries only the client options. {@code failover} is the same server reached through a
 * {@code failover:} URL, so every behaviour holds on a reconnecting link too while nothing fails. Later broker options are ignored on both, as on a running
 * broker. Both are stopped after the test.
 */
public abstract class BrokerFixture {

    /** How long a test waits for something that should happen promptly. */
    protected static final long WAIT_MS = 10_000;
    /** How long a test waits to be reasonably sure something does not happen. */
    protected static final long ABSENT_MS = 200;

    @Parameter
    protected String transport;

    private final String brokerName = "test-" + UUID.randomUUID();
    private Broker tcpBroker;
    private TcpServer tcpServer;

    /**
     * A URL for this test's broker, with extra options ("a=b&c=d") or none. The broker keeps
     * its messages in memory unless the options say otherwise ({@code persistent=}, {@code data=}):
     * the behaviour suites test JMS semantics, the persistence suites test the store.
     */
    protected String url(String options) {
        String query = options == null ? "" : options;
        if ("tcp".equals(transport)) {
            return tcpUrl(query);
        }
        if ("failover".equals(transport)) {
            String tcp = tcpUrl(query);
            int q = tcp.indexOf('?');
            return q < 0 ? "failover:(" + tcp + ")" : "failover:(" + tcp.substring(0, q) + ")" + tcp.substring(q);
        }
        if (!query.contains("persistent=") && !query.contains("data=")) {
            query = query.isEmpty() ? "persistent=false" : query + "&persistent=false";
        }
        return "vm://" + brokerName + "?" + query;
    }

    private synchronized String tcpUrl(String query) {
        ConnectionUrl asVm = ConnectionUrl.parse("vm://" + brokerName + (query.isEmpty() ? "" : "?" + query));
        if (tcpServer == null) {
            tcpBroker = new Broker(brokerName, VmBrokers.configOf(asVm));
            tcpServer = new TcpServer(tcpBroker, "127.0.0.1", 0).start();
        }
        StringJoiner clientOptions = new StringJoiner("&");
        asVm.options().forEach((key, value) -> {
            if (!ConnectionUrl.VM_BROKER_OPTIONS.contains(key)) {
                clientOptions.add(key + "=" + value);
            }
        });
        String base = "tcp://127.0.0.1:" + tcpServer.port();
        return clientOptions.length() == 0 ? base : base + "?" + clientOptions;
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

    /** This test's running broker, or null before the first connection started it. */
    protected synchronized Broker broker() {
        return "vm".equals(transport) ? VmBrokers.find(brokerName) : tcpBroker;
    }

    @AfterEach
    void stopBroker() {
        TcpServer server;
        Broker broker;
        synchronized (this) {
            server = tcpServer;
            broker = tcpBroker;
            tcpServer = null;
            tcpBroker = null;
        }
        if (server != null) {
            server.close();
        }
        if (broker != null) {
            broker.stop();
        }
        VmBrokers.stop(brokerName);
    }
}
