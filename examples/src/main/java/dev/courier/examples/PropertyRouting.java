package dev.courier.examples;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
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
 * Routing by message property with selectors. Orders arrive on one {@code orders} queue, each with
 * a {@code region} property; three desks consume from that queue, each with a selector
 * ({@code region = 'EU'}, {@code region = 'US'}, {@code region NOT IN ('EU', 'US')}), so every order
 * reaches exactly the desk for its region, without the producer knowing the desks.
 */
public final class PropertyRouting {

    /** One order to route. */
    record Order(String id, String region, int amount) {
    }

    static final List<Order> ORDERS = List.of(
            new Order("order-1", "EU", 120), new Order("order-2", "US", 80), new Order("order-3", "APAC", 300),
            new Order("order-4", "EU", 45), new Order("order-5", "US", 999), new Order("order-6", "LATAM", 15));

    /** Each desk's selector, in the order the desks are created. */
    static final Map<String, String> DESKS = desks();

    private static Map<String, String> desks() {
        Map<String, String> desks = new LinkedHashMap<>();
        desks.put("eu-desk", "region = 'EU'");
        desks.put("us-desk", "region = 'US'");
        desks.put("world-desk", "region NOT IN ('EU', 'US')");
        return desks;
    }

    /**
     * @param sent   how many orders were sent
     * @param routed the order IDs each desk received, in arrival order
     */
    public record Result(int sent, Map<String, List<String>> routed) implements ExampleResult {

        @Override
        public boolean succeeded() {
            return routed.equals(expectedRouting());
        }

        /** Where each order belongs, worked out from the data rather than by the broker. */
        static Map<String, List<String>> expectedRouting() {
            Map<String, List<String>> expected = new LinkedHashMap<>();
            DESKS.keySet().forEach(desk -> expected.put(desk, new ArrayList<>()));
            for (Order order : ORDERS) {
                String desk = order.region().equals("EU") ? "eu-desk"
                        : order.region().equals("US") ? "us-desk" : "world-desk";
                expected.get(desk).add(order.id());
            }
            return expected;
        }
    }

    private PropertyRouting() {
    }

    public static void main(String[] args) throws Exception {
        Examples.main(new String[] {"property-routing"});
    }

    public static Result run(Context jndi, PrintStream out) throws NamingException, JMSException, InterruptedException {
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("ConnectionFactory");
        Queue orders = (Queue) jndi.lookup("orders");
        CountDownLatch allRouted = new CountDownLatch(ORDERS.size());
        Map<String, List<String>> routed = new LinkedHashMap<>();
        try (Connection connection = factory.createConnection()) {
            for (Map.Entry<String, String> desk : DESKS.entrySet()) {
                List<String> inbox = new CopyOnWriteArrayList<>();
                routed.put(desk.getKey(), inbox);
                // One session per desk: each session delivers to its own listener, one message at a time.
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = session.createConsumer(orders, desk.getValue());
                consumer.setMessageListener(message -> {
                    try {
                        String id = ((TextMessage) message).getText();
                        out.printf("  %-10s <- %s (region %s, amount %d)%n", desk.getKey(), id,
                                message.getStringProperty("region"), message.getIntProperty("amount"));
                        inbox.add(id);
                    } catch (JMSException e) {
                        out.println("  " + desk.getKey() + " could not read an order: " + e);
                    } finally {
                        allRouted.countDown();
                    }
                });
                out.println(desk.getKey() + " selects: " + desk.getValue());
            }
            connection.start();
            send(connection, orders, out);
            if (!allRouted.await(Example.MAX_WAIT_MS, TimeUnit.MILLISECONDS)) {
                out.println("gave up waiting: " + allRouted.getCount() + " orders not routed");
            }
        }
        return new Result(ORDERS.size(), routed);
    }

    private static void send(Connection connection, Queue orders, PrintStream out) throws JMSException {
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = session.createProducer(orders);
        for (Order order : ORDERS) {
            TextMessage message = session.createTextMessage(order.id());
            message.setStringProperty("region", order.region());
            message.setIntProperty("amount", order.amount());
            producer.send(message);
        }
        out.println("shop sent " + ORDERS.size() + " orders to one queue");
        session.close();
    }
}
