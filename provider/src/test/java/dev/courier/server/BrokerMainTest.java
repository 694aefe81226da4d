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
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
                "maxDeliveryAttempts=3", "deadLetterQueue=dead", "durability=no-fsync", "workerThreads=2"));
        BrokerSettings s = BrokerMain.parse(new String[] {"broker", "--port", "5678", "--config", config.toString()});
        assertEquals("0.0.0.0", s.host());
        assertEquals(5678, s.port());
        assertEquals(Path.of("/var/courier"), s.data());
        assertEquals(Durability.NO_FSYNC, s.durability());
        assertEquals(3, s.brokerConfig().maxDeliveryAttempts());
        assertEquals("dead", s.brokerConfig().deadLetterQueue());
        assertEquals(2, s.serverConfig().workerThreads());
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
        Process process = startProcess();
        try {
            BlockingQueue<String> lines = new ArrayBlockingQueue<>(1000);
            List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread pump = new Thread(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        lines.offer(line);
                        log.add(line);
                    }
                } catch (java.io.IOException ignored) {
                    // the process ended
                }
            }, "broker-stderr");
            pump.setDaemon(true);
            pump.start();
            Pattern accepting = Pattern.compile("accepting connections on 127\\.0\\.0\\.1:(\\d+)");
            int port = -1;
            long deadline = System.currentTimeMillis() + 30_000;
            while (port < 0) {
                String line = lines.poll(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                assertNotNull(line, "the broker never said it was accepting connections");
                Matcher m = accepting.matcher(line);
                if (m.find()) {
                    assertTrue(line.contains("INFO"), line);
                    port = Integer.parseInt(m.group(1));
                }
            }
            sendPersistent(port, "survives SIGTERM");
            // SIGTERM through the handle: Process.destroy() would also close our end of its stderr.
            assertTrue(process.toHandle().destroy());
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the broker did not stop on SIGTERM");
            pump.join(WAIT_MS);
            assertTrue(log.stream().anyMatch(l -> l.contains("INFO") && l.contains("' stopped")), "log: " + log);
        } finally {
            process.destroyForcibly();
        }
        try (BrokerMain.Running broker = BrokerMain.start(
                BrokerMain.parse(new String[] {"broker", "--port", "0", "--data", dir.toString()}))) {
            assertEquals("survives SIGTERM", receive(broker.port()));
        }
    }

    private Process startProcess() throws java.io.IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), BrokerMain.class.getName(),
                "broker", "--port", "0", "--data", dir.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
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
