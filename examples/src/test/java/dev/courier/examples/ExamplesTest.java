package dev.courier.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.client.VmBrokers;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.naming.Context;
import javax.naming.InitialContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs every example against a broker of its own and checks what really happened, from the
 * result each example returns. The examples' own jndi.properties supplies every name; only the
 * provider URL is overridden, to keep tests apart.
 */
class ExamplesTest {

    private final String broker = "examples-test-" + UUID.randomUUID();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    private Context jndi;

    @BeforeEach
    void openContext() throws Exception {
        Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.PROVIDER_URL, "vm://" + broker + "?persistent=false");
        jndi = new InitialContext(env);
    }

    @AfterEach
    void stopBroker() throws Exception {
        jndi.close();
        VmBrokers.stop(broker);
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void workQueueCompletesEveryTaskOnceAndRedeliversTheCrashedOne() throws Exception {
        WorkQueue.Result result = WorkQueue.run(jndi, out);
        assertEquals(WorkQueue.TASKS, result.sent().size());
        assertEquals(result.sent(), result.completed(), "each task completed once, in queue order");
        assertEquals("resize image-1", result.crashed());
        assertEquals(List.of("resize image-1"), result.redelivered(), "only the task the crash left unacknowledged");
        assertTrue(result.succeeded());
        assertEmpty("tasks");
    }

    @Test
    void pubSubGivesEverySubscriberEveryEventInOrder() throws Exception {
        PubSub.Result result = PubSub.run(jndi, out);
        assertEquals(PubSub.SUBSCRIBERS, List.copyOf(result.received().keySet()));
        for (List<String> inbox : result.received().values()) {
            assertEquals(PubSub.EVENTS, inbox);
        }
        assertTrue(result.succeeded());
    }

    @Test
    void propertyRoutingSendsEachOrderToTheDeskOfItsRegion() throws Exception {
        PropertyRouting.Result result = PropertyRouting.run(jndi, out);
        assertEquals(Map.of(
                "eu-desk", List.of("order-1", "order-4"),
                "us-desk", List.of("order-2", "order-5"),
                "world-desk", List.of("order-3", "order-6")), result.routed());
        assertTrue(result.succeeded());
        assertEmpty("orders");
    }

    @Test
    void requestReplyMatchesEveryReplyToItsRequest() throws Exception {
        RequestReply.Result result = RequestReply.run(jndi, out);
        assertEquals(Map.of("espresso", "2.40", "croissant", "1.90", "orange juice", "3.10"), result.prices());
        assertEquals(0, result.uncorrelated());
        assertTrue(result.succeeded());
        assertEmpty("pricingRequests");
    }

    @Test
    void logCollectionProcessesEachLineExactlyOnceAcrossCollectors() throws Exception {
        LogCollection.Result result = LogCollection.run(jndi, out);
        assertEquals(LogCollection.LINES, result.processed());
        assertEquals(0, result.duplicates());
        assertEquals(LogCollection.COLLECTORS, List.copyOf(result.perCollector().keySet()));
        assertEquals(LogCollection.LINES, result.perCollector().values().stream().mapToInt(Integer::intValue).sum());
        assertTrue(result.perCollector().values().stream().allMatch(count -> count > 0),
                "the collectors compete, so each gets a share: " + result.perCollector());
        assertTrue(result.succeeded());
        assertEmpty("logs");
    }

    @Test
    void noArgumentRunsEveryExampleInTurn() throws Exception {
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = Examples.run(new String[0], jndi, out, new PrintStream(errors, true, StandardCharsets.UTF_8));
        assertEquals(Examples.OK, status, printed());
        for (String name : Examples.ALL.keySet()) {
            assertTrue(printed().contains("== " + name + ": OK"), printed());
        }
        assertEquals("", errors.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aNameRunsThatExampleOnly() throws Exception {
        int status = Examples.run(new String[] {"request-reply"}, jndi, out, out);
        assertEquals(Examples.OK, status, printed());
        assertTrue(printed().contains("== request-reply: OK"), printed());
        assertFalse(printed().contains("== work-queue"), printed());
    }

    @Test
    void unknownNameOrExtraArgumentsPrintUsageWithStatus2() throws Exception {
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(errors, true, StandardCharsets.UTF_8);
        assertEquals(Examples.USAGE, Examples.run(new String[] {"no-such-example"}, jndi, out, err));
        assertEquals(Examples.USAGE, Examples.run(new String[] {"pub-sub", "work-queue"}, jndi, out, err));
        String usage = errors.toString(StandardCharsets.UTF_8);
        assertTrue(usage.startsWith("usage: java -jar courier-examples.jar "
                + "[work-queue|pub-sub|property-routing|request-reply|log-collection]"), usage);
        assertEquals("", printed(), "nothing runs");
    }

    /** The example left nothing behind on the queue with this JNDI name. */
    private void assertEmpty(String queueName) throws Exception {
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("ConnectionFactory");
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession();
            QueueBrowser browser = session.createBrowser((Queue) jndi.lookup(queueName));
            assertFalse(browser.getEnumeration().hasMoreElements(), queueName + " should be empty");
        }
    }
}
