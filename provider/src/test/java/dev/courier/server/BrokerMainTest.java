package dev.courier.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.jms.CourierConnectionFactory;
import dev.courier.store.Durability;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerMainTest {

    private static final long WAIT_MS = 10_000;

    @TempDir
    Path dir;

    @Test
    void defaultsAreTheDocumentedOnes() throws Exception {
        BrokerSettings s = BrokerMain.parse(new String[] {"broker"});
        assertEquals("127.0.0.1", s.host());
        assertEquals(61700, s.port());
        assertEquals(Path.of("./courier-data"), s.data());
        assertEquals(Durability.FSYNC, s.durability());
        assertEquals(10, s.brokerConfig().maxDeliveryAttempts());
        assertEquals("DLQ", s.brokerConfig().deadLetterQueue());
    }

    @Test
    void flagsOverrideTheConfigFile() throws Exception {
        Path config = dir.resolve("broker.properties");
        Files.writeString(config, String.join("\n", "host=0.0.0.0", "port=1234", "data=/var/courier",
                "maxDeliveryAttempts=3", "deadLetterQueue=dead", "durability=no-fsync", "workerThreads=2",
                "maxQueueMemory=32m"));
        BrokerSettings s = BrokerMain.parse(new String[] {"broker", "--port", "5678", "--config", config.toString()});
        assertEquals("0.0.0.0", s.host());
        assertEquals(5678, s.port());
        assertEquals(Path.of("/var/courier"), s.data());
        assertEquals(Durability.NO_FSYNC, s.durability());
        assertEquals(3, s.brokerConfig().maxDeliveryAttempts());
        assertEquals("dead", s.brokerConfig().deadLetterQueue());
        assertEquals(2, s.serverConfig().workerThreads());
        assertEquals(32L << 20, s.brokerConfig().maxQueueMemory());
    }

    @Test
    void mistakesAreNamed() throws Exception {
        Path config = dir.resolve("typo.properties");
        Files.writeString(config, "prot=1\n");
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> BrokerMain.parse(new String[] {"broker", "--config", config.toString()}));
        assertTrue(typo.getMessage().contains("prot=1") && typo.getMessage().contains("known"), typo.getMessage());
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                () -> BrokerMain.parse(new String[] {"broker", "--port", "http"}));
        assertTrue(port.getMessage().contains("port=http"), port.getMessage());
        Path memory = dir.resolve("memory.properties");
        Files.writeString(memory, "maxQueueMemory=lots\n");
        IllegalArgumentException bytes = assertThrows(IllegalArgumentException.class,
                () -> BrokerMain.parse(new String[] {"broker", "--config", memory.toString()}));
        assertTrue(bytes.getMessage().contains("maxQueueMemory=lots"), bytes.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BrokerMain.parse(new String[] {"broker", "--verbose", "x"}));
        assertThrows(IllegalArgumentException.class, () -> BrokerMain.parse(new String[] {"broker", "--port"}));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, BrokerMain.run(new String[] {"brokr"}, new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage:"));
    }

    @Test
    void persistentMessagesOutliveARestart() throws Exception {
        BrokerSettings settings = BrokerMain.parse(new String[] {"broker", "--port", "0", "--data", dir.toString()});
        try (BrokerMain.Running broker = BrokerMain.start(settings)) {
            sendPersistent(broker.port(), "kept");
        }
        try (BrokerMain.Running broker = BrokerMain.start(settings)) {
            assertEquals("kept", receive(broker.port()));
        }
    }

    /** The real executable: a child JVM logs its port, serves, and stops cleanly on SIGTERM. */
    @Test
    void theBrokerProcessStopsCleanlyOnSigterm() throws Exception {
        try (BrokerProcess process = new BrokerProcess(dir)) {
            assertTrue(process.log().stream().anyMatch(l -> l.contains("INFO") && l.contains("accepting connections")));
            sendPersistent(process.port(), "survives SIGTERM");
            assertTrue(process.terminate(30), "the broker did not stop on SIGTERM");
            assertTrue(process.log().stream().anyMatch(l -> l.contains("INFO") && l.contains("' stopped")),
                    "log: " + process.log());
        }
        try (BrokerMain.Running broker = BrokerMain.start(
                BrokerMain.parse(new String[] {"broker", "--port", "0", "--data", dir.toString()}))) {
            assertEquals("survives SIGTERM", receive(broker.port()));
        }
    }

    private static void sendPersistent(int port, String text) throws Exception {
        try (Connection c = new CourierConnectionFactory("tcp://127.0.0.1:" + port).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = s.createProducer(s.createQueue("orders"));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            producer.send(s.createTextMessage(text));
        }
    }

    private static String receive(int port) throws Exception {
        try (Connection c = new CourierConnectionFactory("tcp://127.0.0.1:" + port).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("orders"));
            c.start();
            TextMessage m = (TextMessage) consumer.receive(WAIT_MS);
            assertNotNull(m, "no message after the restart");
            assertNull(consumer.receiveNoWait());
            return m.getText();
        }
    }
}
