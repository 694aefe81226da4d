package dev.courier.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.broker.Broker;
import dev.courier.broker.BrokerConfig;
import dev.courier.server.TcpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OperatorCommandsTest {

    private Broker broker;
    private TcpServer server;
    private String lastErr;

    @BeforeEach
    void start() {
        broker = new Broker("tools", BrokerConfig.defaults());
        server = new TcpServer(broker, "127.0.0.1", 0).start();
    }

    @AfterEach
    void stop() {
        server.close();
        broker.stop();
    }

    private String run(int expectedCode, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = OperatorCommands.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        lastErr = err.toString(StandardCharsets.UTF_8);
        assertEquals(expectedCode, code, "stderr: " + lastErr);
        return out.toString(StandardCharsets.UTF_8);
    }

    private String url() {
        return "tcp://127.0.0.1:" + server.port();
    }

    @Test
    void sendBrowseQueuesReceive() {
        assertTrue(run(0, "", "send", "--url", url(), "--queue", "orders", "one", "two").contains("sent 2 message(s)"));
        assertTrue(run(0, "three\nfour\n", "send", "--url", url(), "--queue", "orders").contains("sent 2 message(s)"));

        String browsed = run(0, "", "browse", "--url", url(), "--queue", "orders");
        assertTrue(browsed.contains("ID:") && browsed.contains("  one") && browsed.contains("4 message(s)"), browsed);

        String queues = run(0, "", "queues", "--url", url());
        assertTrue(queues.lines().anyMatch(l -> l.matches("orders\\s+4\\s+0\\s+0\\s+4\\s+0\\s+[1-9][0-9]*\\s+0")), queues);

        String received = run(0, "", "receive", "--url", url(), "--queue", "orders", "--count", "3");
        assertEquals(List.of("one", "two", "three", "received 3 message(s) from queue orders"), received.lines().toList());
        received = run(0, "", "receive", "--url", url(), "--queue", "orders", "--timeout", "200");
        assertEquals(List.of("four", "received 1 message(s) from queue orders"), received.lines().toList());

        queues = run(0, "", "queues", "--url", url());
        assertTrue(queues.lines().anyMatch(l -> l.matches("orders\\s+0\\s+0\\s+0\\s+4\\s+4\\s+0\\s+0")), queues);
    }

    @Test
    void mistakesAreReportedWithUsage() {
        run(2, "", "send", "--url", url(), "hello");
        assertTrue(lastErr.contains("--queue or --topic") && lastErr.contains("usage:"), lastErr);
        run(2, "", "receive", "--url", url());
        assertTrue(lastErr.contains("--queue is required"), lastErr);
        run(2, "", "browse", "--queue", "q", "--colour", "red");
        assertTrue(lastErr.contains("unknown flag --colour"), lastErr);
        run(1, "", "queues", "--url", "tcp://127.0.0.1:1");
        assertTrue(lastErr.contains("cannot connect"), lastErr);
    }
}
