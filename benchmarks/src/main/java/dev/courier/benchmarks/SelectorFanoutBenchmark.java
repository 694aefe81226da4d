package dev.courier.benchmarks;

import dev.courier.client.VmBrokers;
import dev.courier.jms.CourierConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Routing cost by selector: one producer sends non-persistent 1 KiB messages, each with a
 * {@code routing_key} of {@code k0..k(N-1)} in turn, to N consumers on one queue (or N
 * subscriptions on one topic) whose selectors are {@code routing_key = 'kI'}. With selector
 * indexing, throughput with 100 consumers stays close to throughput with 1.
 *
 * <p>Reports the median of several runs per configuration, and the ratio 100 : 1.
 */
final class SelectorFanoutBenchmark {

    private static final byte[] BODY = new byte[1024];

    private SelectorFanoutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = Args.intArg(args, "--runs", 5);
        int messages = Args.intArg(args, "--messages", 200_000);
        String only = Args.stringArg(args, "--kind", null);
        List<String> kinds = only == null ? List.of("queue", "topic") : List.of(only);
        for (boolean routingOnly : new boolean[] {false, true}) {
            for (String kind : kinds) {
                double one = median(kind, 1, messages, runs, routingOnly);
                double hundred = median(kind, 100, messages, runs, routingOnly);
                System.out.printf("selector-fanout %-5s %-13s  1 consumer: %,10.0f msg/s   100 consumers: %,10.0f msg/s"
                        + "   ratio 100/1: %.2f%n", kind, routingOnly ? "routing-only" : "end-to-end", one, hundred,
                        hundred / one);
            }
        }
    }

    private static double median(String kind, int consumers, int messages, int runs, boolean routingOnly)
            throws Exception {
        run(kind, consumers, messages / 4, routingOnly); // warm-up
        double[] rates = new double[runs];
        for (int i = 0; i < runs; i++) {
            rates[i] = run(kind, consumers, messages, routingOnly);
        }
        Arrays.sort(rates);
        return rates[runs / 2];
    }

    /**
     * One measured run; returns messages per second, after checking each arrived exactly once.
     * End-to-end times until the last message is consumed; routing-only times the sends while
     * the consumers' connection is stopped (the broker routes into its queues and the consumers'
     * buffers, nothing runs a listener), then starts it to check delivery.
     */
    private static double run(String kind, int consumers, int messages, boolean routingOnly) throws Exception {
        String broker = "bench-selector-" + System.nanoTime();
        CourierConnectionFactory factory = new CourierConnectionFactory("vm://" + broker + "?persistent=false");
        try (Connection connection = factory.createConnection()) {
            Session producerSession = connection.createSession();
            Destination destination = kind.equals("queue")
                    ? producerSession.createQueue("fanout") : producerSession.createTopic("fanout");
            AtomicIntegerArray seen = new AtomicIntegerArray(messages);
            CountDownLatch done = new CountDownLatch(messages);
            List<Session> sessions = new ArrayList<>();
            for (int i = 0; i < consumers; i++) {
                Session session = connection.createSession();
                sessions.add(session);
                MessageConsumer consumer = session.createConsumer(destination, "routing_key = 'k" + i + "'");
                consumer.setMessageListener(message -> {
                    try {
                        int n = message.getIntProperty("n");
                        if (seen.getAndIncrement(n) == 0) {
                            done.countDown();
                        }
                    } catch (jakarta.jms.JMSException e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
            if (!routingOnly) {
                connection.start();
            }
            MessageProducer producer = producerSession.createProducer(destination);
            producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            String[] keys = new String[consumers];
            for (int i = 0; i < consumers; i++) {
                keys[i] = "k" + i;
            }
            long start = System.nanoTime();
            for (int n = 0; n < messages; n++) {
                jakarta.jms.BytesMessage message = producerSession.createBytesMessage();
                message.writeBytes(BODY);
                message.setStringProperty("routing_key", keys[n % consumers]);
                message.setIntProperty("n", n);
                producer.send(message);
            }
            long sent = System.nanoTime();
            if (routingOnly) {
                connection.start();
            }
            if (!done.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("only " + (messages - done.getCount()) + " of " + messages + " arrived");
            }
            long elapsed = (routingOnly ? sent : System.nanoTime()) - start;
            for (int n = 0; n < messages; n++) {
                if (seen.get(n) != 1) {
                    throw new IllegalStateException("message " + n + " arrived " + seen.get(n) + " times");
                }
            }
            return messages / (elapsed / 1e9);
        } finally {
            VmBrokers.stop(broker);
        }
    }
}
