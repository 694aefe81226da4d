package dev.courier.examples;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.naming.Context;
import javax.naming.NamingException;

/**
 * Publish/subscribe event notification. An order service publishes order events on the
 * {@code orderEvents} topic; three services (billing, shipping, analytics) subscribe with message
 * listeners, and each of them receives every event, in the order it was published.
 */
public final class PubSub {

    static final List<String> SUBSCRIBERS = List.of("billing", "shipping", "analytics");
    static final List<String> EVENTS = List.of("order-1 placed", "order-1 paid", "order-2 placed", "order-1 shipped");

    /**
     * @param published the events, in publishing order
     * @param received  what each subscriber received, in arrival order
     */
    public record Result(List<String> published, Map<String, List<String>> received) implements ExampleResult {

        @Override
        public boolean succeeded() {
            return received.size() == SUBSCRIBERS.size()
                    && received.values().stream().allMatch(published::equals);
        }
    }

    private PubSub() {
    }

    public static void main(String[] args) throws Exception {
        Examples.main(new String[] {"pub-sub"});
    }

    public static Result run(Context jndi, PrintStream out) throws NamingException, JMSException, InterruptedException {
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("ConnectionFactory");
        Topic events = (Topic) jndi.lookup("orderEvents");
        CountDownLatch allDelivered = new CountDownLatch(SUBSCRIBERS.size() * EVENTS.size());
        Map<String, List<String>> received = new LinkedHashMap<>();
        List<Connection> subscriberConnections = new ArrayList<>();
        try {
            for (String subscriber : SUBSCRIBERS) {
                List<String> inbox = new CopyOnWriteArrayList<>();
                received.put(subscriber, inbox);
                subscriberConnections.add(subscribe(factory, events, subscriber, inbox, allDelivered, out));
            }
            // Subscribers exist before the first event: a topic only delivers to current subscribers.
            publish(factory, events, out);
            if (!allDelivered.await(Example.MAX_WAIT_MS, TimeUnit.MILLISECONDS)) {
                out.println("gave up waiting: " + allDelivered.getCount() + " deliveries missing");
            }
        } finally {
            for (Connection connection : subscriberConnections) {
                connection.close();
            }
        }
        received.forEach((subscriber, inbox) -> out.println(subscriber + " received " + inbox.size() + " events"));
        return new Result(EVENTS, received);
    }

    private static Connection subscribe(ConnectionFactory factory, Topic events, String subscriber, List<String> inbox,
            CountDownLatch allDelivered, PrintStream out) throws JMSException {
        Connection connection = factory.createConnection();
        try {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(events);
            consumer.setMessageListener(message -> {
                try {
                    String event = ((TextMessage) message).getText();
                    out.println("  " + subscriber + " <- " + event);
                    inbox.add(event);
                } catch (JMSException e) {
                    out.println("  " + subscriber + " could not read an event: " + e);
                } finally {
                    allDelivered.countDown();
                }
            });
            connection.start();
            return connection;
        } catch (JMSException e) {
            connection.close();
            throw e;
        }
    }

    private static void publish(ConnectionFactory factory, Topic events, PrintStream out) throws JMSException {
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer publisher = session.createProducer(events);
            for (String event : EVENTS) {
                out.println("order service publishes: " + event);
                publisher.send(session.createTextMessage(event));
            }
        }
    }
}
