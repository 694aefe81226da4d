package dev.courier.benchmarks;

import jakarta.jms.ConnectionFactory;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.io.aio.AIOSequentialFileFactory;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * Apache ActiveMQ Artemis, embedded: persistence on with its default journal (ASYNCIO where
 * libaio is present, else NIO: {@link #journalKind()}), security off, an in-VM acceptor and a
 * Netty acceptor on 127.0.0.1. Clients use the provider's connection-factory defaults.
 *
 * <p>Threading: the factories it made (closed with the broker) are guarded by {@code this}.
 */
final class ArtemisBroker implements BrokerUnderTest {

    private static final AtomicInteger IN_VM_IDS = new AtomicInteger();

    private final EmbeddedActiveMQ server;
    private final int inVmId;
    private final int port;
    private final List<ActiveMQConnectionFactory> factories = new ArrayList<>();

    private ArtemisBroker(EmbeddedActiveMQ server, int inVmId, int port) {
        this.server = server;
        this.inVmId = inVmId;
        this.port = port;
    }

    static ArtemisBroker start(Path dataDir) throws Exception {
        int inVmId = IN_VM_IDS.incrementAndGet();
        int port = freePort();
        ConfigurationImpl config = new ConfigurationImpl();
        config.setPersistenceEnabled(true);
        config.setSecurityEnabled(false);
        config.setJMXManagementEnabled(false);
        config.setJournalDirectory(dataDir.resolve("journal").toString());
        config.setBindingsDirectory(dataDir.resolve("bindings").toString());
        config.setPagingDirectory(dataDir.resolve("paging").toString());
        config.setLargeMessagesDirectory(dataDir.resolve("large-messages").toString());
        config.setNodeManagerLockDirectory(dataDir.toString());
        config.addAcceptorConfiguration("in-vm", "vm://" + inVmId);
        config.addAcceptorConfiguration("netty", "tcp://127.0.0.1:" + port);
        EmbeddedActiveMQ server = new EmbeddedActiveMQ();
        server.setConfiguration(config);
        server.start();
        return new ArtemisBroker(server, inVmId, port);
    }

    /** The journal Artemis runs with on this machine by default. */
    static String journalKind() {
        return AIOSequentialFileFactory.isSupported() ? "ASYNCIO (libaio)" : "NIO (no libaio on this machine)";
    }

    @Override
    public synchronized ConnectionFactory connectionFactory(Transport transport) {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(transport == Transport.VM
                ? "vm://" + inVmId
                : "tcp://127.0.0.1:" + port);
        factories.add(factory);
        return factory;
    }

    @Override
    public synchronized void close() {
        for (ActiveMQConnectionFactory factory : factories) {
            factory.close();
        }
        BrokerUnderTest.stopping("Artemis", server::stop);
    }

    static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
