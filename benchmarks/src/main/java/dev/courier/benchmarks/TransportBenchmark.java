package dev.courier.benchmarks;

import dev.courier.broker.Broker;
import dev.courier.broker.BrokerConfig;
import dev.courier.client.VmBrokers;
import dev.courier.jms.CourierConnectionFactory;
import dev.courier.server.TcpServer;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The same workloads over {@code vm://} and over {@code tcp://} on 127.0.0.1, side by side:
 * one producer to one listener (non-persistent 256-byte text messages, AUTO_ACKNOWLEDGE),
 * and request/reply through a temporary reply queue (round-trip latency). Every message is
 * checked to arrive exactly once. The TCP broker runs in this JVM behind a {@link TcpServer}.
 */
final class TransportBenchmark {

    private static final String BODY = "x".repeat(256);

    private TransportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int messages = Args.intArg(args, "--messages", 200_000);
        int requests = Args.intArg(args, "--requests", 20_000);
        Broker broker = new Broker("transport-benchmark", BrokerConfig.defaults());
        TcpServer server = new TcpServer(broker, "127.0.0.1", 0).start();
        try {
            for (String url : List.of("vm://transport-benchmark?persistent=false", "tcp://127.0.0.1:" + server.port())) {
                String name = url.startsWith("tcp") ? "tcp" : "vm ";
                throughput(url, messages / 4);
                double rate = throughput(url, messages);
                requestReply(url, requests / 4);
                double[] latency = requestReply(url, requests);
                System.out.printf("transport %s  throughput 1 producer -> 1 listener: %,10.0f msg/s   request/reply round trip:"
                        + " p50 %,6.0f us  p99 %,6.0f us%n", name, rate, latency[0], latency[1]);
            }
        } finally {
            server.close();
            broker.stop();
            VmBrokers.stop("transport-benchmark");
        }
    }

    /** Messages per second from send of the first to arrival of the last. */
    private static double throughput(String url, int messages) throws Exception {
        try (Connection c = new CourierConnectionFactory(url).createConnection()) {
            Session producerSession = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session consumerSession = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = producerSession.createQueue("throughput-" + System.nanoTime());
            AtomicIntegerArray seen = new AtomicIntegerArray(messages);
            CountDownLatch done = new CountDownLatch(messages);
            consumerSession.createConsumer(queue).setMessageListener(m -> {
                try {
                    seen.incrementAndGet(m.getIntProperty("n"));
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
                done.countDown();
            });
            c.start();
            MessageProducer producer = producerSession.createProducer(queue);
            producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            long start = System.nanoTime();
            for (int i = 0; i < messages; i++) {
                Message m = producerSession.createTextMessage(BODY);
                m.setIntProperty("n", i);
                producer.send(m);
            }
            if (!done.await(5, TimeUnit.MINUTES)) {
                fail(url + ": only " + (messages - done.getCount()) + " of " + messages + " messages arrived");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            for (int i = 0; i < messages; i++) {
                if (seen.get(i) != 1) {
                    fail(url + ": message " + i + " arrived " + seen.get(i) + " times");
                }
            }
            return messages / seconds;
        }
    }

    /** p50 and p99 of request/reply round trips, in microseconds. */
    private static double[] requestReply(String url, int requests) throws Exception {
        try (Connection c = new CourierConnectionFactory(url).createConnection()) {
            Session responderSession = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue service = responderSession.createQueue("service-" + System.nanoTime());
            MessageProducer replies = responderSession.createProducer(null);
            replies.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            responderSession.createConsumer(service).setMessageListener(request -> {
                try {
                    Message reply = responderSession.createTextMessage(BODY);
                    reply.setJMSCorrelationID(request.getJMSMessageID());
                    replies.send(request.getJMSReplyTo(), reply);
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            Session requesterSession = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replyQueue = requesterSession.createTemporaryQueue();
            MessageConsumer replyConsumer = requesterSession.createConsumer(replyQueue);
            MessageProducer requester = requesterSession.createProducer(service);
            requester.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            c.start();
            long[] nanos = new long[requests];
            for (int i = 0; i < requests; i++) {
                Message request = requesterSession.createTextMessage(BODY);
                request.setJMSReplyTo(replyQueue);
                long start = System.nanoTime();
                requester.send(request);
                Message reply = replyConsumer.receive(10_000);
                nanos[i] = System.nanoTime() - start;
                if (reply == null || !request.getJMSMessageID().equals(reply.getJMSCorrelationID())) {
                    fail(url + ": request " + i + " got " + (reply == null ? "no reply" : "someone else's reply"));
                }
            }
            Arrays.sort(nanos);
            return new double[] {nanos[requests / 2] / 1e3, nanos[requests * 99 / 100] / 1e3};
        }
    }

    private static void fail(String why) {
        System.err.println("transport benchmark failed: " + why);
        System.exit(1);
    }
}
