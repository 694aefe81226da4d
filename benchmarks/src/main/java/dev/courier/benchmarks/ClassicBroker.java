package dev.courier.benchmarks;

import jakarta.jms.ConnectionFactory;
import java.nio.file.Path;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;

/**
 * Apache ActiveMQ Classic 6.x, embedded: persistent with its default KahaDB store in the data
 * folder, JMX off, a TCP connector on 127.0.0.1 and {@code vm://NAME?create=false} for in-VM
 * clients (so a client never starts a second, non-persistent broker by accident). Clients use the
 * provider's connection-factory defaults. Immutable; the broker service owns its threads.
 */
final class ClassicBroker implements BrokerUnderTest {

    private final BrokerService broker;
    private final String tcpUri;

    private ClassicBroker(BrokerService broker, String tcpUri) {
        this.broker = broker;
        this.tcpUri = tcpUri;
    }

    static ClassicBroker start(Path dataDir) throws Exception {
        BrokerService broker = new BrokerService();
        broker.setBrokerName("compare-" + System.nanoTime());
        broker.setUseJmx(false);
        broker.setUseShutdownHook(false);
        broker.setPersistent(true);
        broker.setDataDirectoryFile(dataDir.toFile());
        broker.setTmpDataDirectory(dataDir.resolve("tmp").toFile());
        KahaDBPersistenceAdapter kahaDb = new KahaDBPersistenceAdapter();
        kahaDb.setDirectory(dataDir.resolve("kahadb").toFile());
        broker.setPersistenceAdapter(kahaDb);
        broker.addConnector("tcp://127.0.0.1:0");
        broker.start();
        if (!broker.waitUntilStarted(60_000)) {
            throw new IllegalStateException("ActiveMQ Classic did not start within a minute");
        }
        String tcpUri = broker.getTransportConnectors().get(0).getConnectUri().toString();
        return new ClassicBroker(broker, tcpUri);
    }

    @Override
    public ConnectionFactory connectionFactory(Transport transport) {
        return new ActiveMQConnectionFactory(transport == Transport.VM
                ? "vm://" + broker.getBrokerName() + "?create=false"
                : tcpUri);
    }

    @Override
    public void close() {
        BrokerUnderTest.stopping("ActiveMQ Classic", () -> {
            broker.stop();
            broker.waitUntilStopped();
            return null;
        });
    }
}
