package dev.courier.examples;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.naming.Context;
import javax.naming.NamingException;

/**
 * Log collection by competing consumers. Application servers send log lines to one {@code logs}
 * queue; three collectors consume from it at the same time. The queue gives each line to exactly
 * one collector, so the work is shared and no line is processed twice; the example prints how
 * many lines each collector handled.
 */
public final class LogCollection {

    static final List<String> COLLECTORS = List.of("collector-a", "collector-b", "collector-c");
    static final int LINES = 30;

    /**
     * @param sent         how many log lines were sent
     * @param perCollector how many lines each collector processed
     * @param processed    how many distinct lines were processed
     * @param duplicates   how many times a line was processed again
     */
    public record Result(int sent, Map<String, Integer> perCollector, int processed, int duplicates)
            implements ExampleResult {

        @Override
        public boolean succeeded() {
            return processed == sent && duplicates == 0
                    && perCollector.values().stream().mapToInt(Integer::intValue).sum() == sent;
        }
    }

    private LogCollection() {
    }

    public static void main(String[] args) throws Exception {
        Examples.main(new String[] {"log-collection"});
    }

    public static Result run(Context jndi, PrintStream out) throws NamingException, JMSException, InterruptedException {
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("ConnectionFactory");
        Queue logs = (Queue) jndi.lookup("logs");
        Map<String, String> collectorOfLine = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> counts = new LinkedHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        CountDownLatch allCollected = new CountDownLatch(LINES);
        List<Connection> collectors = new ArrayList<>();
        try {
            for (String collector : COLLECTORS) {
                AtomicInteger count = new AtomicInteger();
                counts.put(collector, count);
                collectors.add(startCollector(factory, logs, collector, line -> {
                    count.incrementAndGet();
                    if (collectorOfLine.putIfAbsent(line, collector) != null) {
                        duplicates.incrementAndGet();
                    }
                    allCollected.countDown();
                }, out));
            }
            sendLogLines(factory, logs, out);
            if (!allCollected.await(Example.MAX_WAIT_MS, TimeUnit.MILLISECONDS)) {
                out.println("gave up waiting: " + allCollected.getCount() + " lines not collected");
            }
        } finally {
            for (Connection connection : collectors) {
                connection.close();
            }
        }
        Map<String, Integer> perCollector = new LinkedHashMap<>();
        counts.forEach((collector, count) -> perCollector.put(collector, count.get()));
        perCollector.forEach((collector, count) -> out.println(collector + " processed " + count + " lines"));
        out.println(collectorOfLine.size() + " of " + LINES + " lines processed, " + duplicates.get() + " twice");
        return new Result(LINES, perCollector, collectorOfLine.size(), duplicates.get());
    }

    /** What a collector does with one line; called on that collector's listener thread. */
    private interface LineHandler {
        void handle(String line);
    }

    private static Connection startCollector(ConnectionFactory factory, Queue logs, String name, LineHandler handler,
            PrintStream out) throws JMSException {
        Connection connection = factory.createConnection();
        try {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createConsumer(logs).setMessageListener(message -> {
                try {
                    handler.handle(((TextMessage) message).getText());
                } catch (JMSException e) {
                    out.println("  " + name + " could not read a line: " + e);
                }
            });
            connection.start();
            return connection;
        } catch (JMSException e) {
            connection.close();
            throw e;
        }
    }

    private static void sendLogLines(ConnectionFactory factory, Queue logs, PrintStream out) throws JMSException {
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(logs);
            for (int i = 1; i <= LINES; i++) {
                String server = "web-" + (i % 3 + 1);
                producer.send(session.createTextMessage(String.format("%s INFO request %d served in %d ms",
                        server, i, 5 + (i * 7) % 40)));
            }
        }
        out.println("servers sent " + LINES + " log lines");
    }
}
