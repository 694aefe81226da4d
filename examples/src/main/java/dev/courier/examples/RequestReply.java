package dev.courier.examples;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.naming.Context;
import javax.naming.NamingException;

/**
 * Request/reply between two services. A checkout service asks a pricing service for prices over
 * the {@code pricingRequests} queue. Each request names a temporary queue in {@code JMSReplyTo};
 * the pricing service answers there, copying the request's {@code JMSMessageID} into the reply's
 * {@code JMSCorrelationID}, and the checkout service matches every reply to its request by that ID.
 *
 * <p>The exchange is hand-rolled rather than {@code jakarta.jms.QueueRequestor}: the requestor
 * waits for a reply without a time limit and handles one request at a time, while this sends all
 * requests first and then waits a bounded time for the replies, in whatever order they come.
 */
public final class RequestReply {

    static final Map<String, String> CATALOGUE = Map.of("espresso", "2.40", "croissant", "1.90", "orange juice", "3.10");
    static final List<String> REQUESTED = List.of("espresso", "croissant", "orange juice");

    /**
     * @param requested    the items asked about, in order
     * @param prices       each answered item's price, matched by correlation ID
     * @param uncorrelated replies whose correlation ID matched no outstanding request
     */
    public record Result(List<String> requested, Map<String, String> prices, int uncorrelated)
            implements ExampleResult {

        @Override
        public boolean succeeded() {
            return uncorrelated == 0 && prices.keySet().equals(new HashSet<>(requested));
        }
    }

    private RequestReply() {
    }

    public static void main(String[] args) throws Exception {
        Examples.main(new String[] {"request-reply"});
    }

    public static Result run(Context jndi, PrintStream out) throws NamingException, JMSException {
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("ConnectionFactory");
        Queue requests = (Queue) jndi.lookup("pricingRequests");
        Connection pricingService = startPricingService(factory, requests, out);
        try {
            return askForPrices(factory, requests, out);
        } finally {
            pricingService.close();
        }
    }

    /** Answers each request on its own listener thread; the returned connection stops the service when closed. */
    private static Connection startPricingService(ConnectionFactory factory, Queue requests, PrintStream out)
            throws JMSException {
        Connection connection = factory.createConnection();
        try {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            // No fixed destination: each reply goes wherever its request's JMSReplyTo points.
            MessageProducer replies = session.createProducer(null);
            session.createConsumer(requests).setMessageListener(request -> {
                try {
                    String item = ((TextMessage) request).getText();
                    TextMessage reply = session.createTextMessage(CATALOGUE.getOrDefault(item, "unknown"));
                    reply.setJMSCorrelationID(request.getJMSMessageID());
                    replies.send(request.getJMSReplyTo(), reply);
                    out.println("  pricing: '" + item + "' costs " + reply.getText());
                } catch (JMSException e) {
                    out.println("  pricing: could not answer a request: " + e);
                }
            });
            connection.start();
            return connection;
        } catch (JMSException e) {
            connection.close();
            throw e;
        }
    }

    private static Result askForPrices(ConnectionFactory factory, Queue requests, PrintStream out) throws JMSException {
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replyQueue = session.createTemporaryQueue();
            MessageConsumer replies = session.createConsumer(replyQueue);
            connection.start();
            MessageProducer producer = session.createProducer(requests);
            Map<String, String> outstanding = new LinkedHashMap<>();
            for (String item : REQUESTED) {
                TextMessage request = session.createTextMessage(item);
                request.setJMSReplyTo(replyQueue);
                producer.send(request);
                // The message ID is assigned by send; the reply will carry it as its correlation ID.
                outstanding.put(request.getJMSMessageID(), item);
                out.println("checkout: asks the price of '" + item + "' (" + request.getJMSMessageID() + ")");
            }
            Map<String, String> prices = new LinkedHashMap<>();
            int uncorrelated = 0;
            while (!outstanding.isEmpty()) {
                Message reply = replies.receive(Example.MAX_WAIT_MS);
                if (reply == null) {
                    out.println("checkout: no reply for " + outstanding.values());
                    break;
                }
                String item = outstanding.remove(reply.getJMSCorrelationID());
                if (item == null) {
                    uncorrelated++;
                    out.println("checkout: ignores a reply to an unknown request " + reply.getJMSCorrelationID());
                    continue;
                }
                prices.put(item, ((TextMessage) reply).getText());
                out.println("checkout: '" + item + "' costs " + prices.get(item));
            }
            return new Result(REQUESTED, prices, uncorrelated);
        }
    }
}
