package dev.courier.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.client.VmBrokers;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The central promise, tested for real: a broker process (embedded in {@link CrashingClient})
 * is killed with SIGKILL while sending; a broker started on the same data directory then
 * delivers every persistent message whose send had returned, the committed transaction whole,
 * nothing of the uncommitted one, and the durable subscription's backlog.
 */
class BrokerCrashTest {

    private static final int CONFIRMED_BEFORE_KILL = 300;

    @TempDir
    Path data;

    @AfterEach
    void stop() {
        VmBrokers.stop("recovered");
    }

    @Test
    void everyConfirmedSendSurvivesSigkill() throws Exception {
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashingClient.class.getName(), data.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        long lastConfirmed = -1;
        boolean committed = false;
        boolean pending = false;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.equals("committed")) {
                    committed = true;
                } else if (line.equals("pending")) {
                    pending = true;
                } else if (line.startsWith("sent ")) {
                    lastConfirmed = Long.parseLong(line.substring(5));
                    if (lastConfirmed + 1 >= CONFIRMED_BEFORE_KILL) {
                        break;
                    }
                }
            }
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not die");
        } finally {
            child.destroyForcibly();
        }
        assertTrue(committed && pending, "child did not get through its transactions");
        assertTrue(lastConfirmed + 1 >= CONFIRMED_BEFORE_KILL, "child stopped early: " + lastConfirmed);

        CourierConnectionFactory recovered = new CourierConnectionFactory("vm://recovered?data=" + data);
        try (Connection c = recovered.createConnection()) {
            c.setClientID("crash");
            Session s = c.createSession();
            c.start();
            List<String> batches = drain(s.createConsumer(s.createQueue("batches")));
            List<String> expectedBatch = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                expectedBatch.add("committed-" + i);
            }
            assertEquals(expectedBatch, batches, "the committed batch whole, the uncommitted one absent");
            assertConfirmedPresentInOrder(drain(s.createConsumer(s.createQueue("work"))), "work-", lastConfirmed);
            assertConfirmedPresentInOrder(drain(s.createDurableSubscriber(s.createTopic("events"), "audit")),
                    "event-", lastConfirmed);
        }
    }

    /** Every confirmed number is there, once, in order; later unconfirmed ones may be too. */
    private static void assertConfirmedPresentInOrder(List<String> texts, String prefix, long lastConfirmed) {
        Set<String> unique = new HashSet<>(texts);
        assertEquals(texts.size(), unique.size(), "duplicates in " + prefix);
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(prefix + i, texts.get(i), "out of order or missing");
        }
        assertTrue(texts.size() >= lastConfirmed + 1,
                prefix + ": " + texts.size() + " recovered, " + (lastConfirmed + 1) + " were confirmed");
    }

    private static List<String> drain(MessageConsumer consumer) throws Exception {
        List<String> texts = new ArrayList<>();
        TextMessage m;
        while ((m = (TextMessage) consumer.receive(1_000)) != null) {
            texts.add(m.getText());
        }
        return texts;
    }
}
