package dev.courier.benchmarks;

import dev.courier.broker.Broker;
import dev.courier.client.ConnectionUrl;
import dev.courier.client.VmBrokers;
import dev.courier.jms.CourierConnectionFactory;
import dev.courier.server.TcpServer;
import jakarta.jms.ConnectionFactory;
import java.nio.file.Path;

/**
 * Courier as it ships: the embedded broker of {@code vm://NAME} with its H2 store in the data
 * folder (fsync on), and a {@link TcpServer} in this JVM on 127.0.0.1 in front of the same broker.
 * Immutable; the broker and server own their threads.
 */
final class CourierBroker implements BrokerUnderTest {

    private final String name;
    private final TcpServer server;

    private CourierBroker(String name, TcpServer server) {
        this.name = name;
        this.server = server;
    }

    static CourierBroker start(Path dataDir) throws Exception {
        String name = "compare-" + System.nanoTime();
        Broker broker = VmBrokers.obtain(ConnectionUrl.parse("vm://" + name + "?data=" + dataDir + "&fsync=true"));
        return new CourierBroker(name, new TcpServer(broker, "127.0.0.1", 0).start());
    }

    @Override
    public ConnectionFactory connectionFactory(Transport transport) {
        return new CourierConnectionFactory(transport == Transport.VM
                ? "vm://" + name
                : "tcp://127.0.0.1:" + server.port());
    }

    @Override
    public void close() {
        server.close();
        VmBrokers.stop(name);
    }
}
