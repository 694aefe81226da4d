package dev.courier.jndi;

import static dev.courier.jndi.JndiEnvironments.initialContext;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.courier.client.VmBrokers;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Destination;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.UUID;
import javax.naming.Context;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Messages really travel through objects looked up in Courier's JNDI context, over vm://. */
class JndiMessagingTest {

    private static final long WAIT_MS = 10_000;

    private final String broker = "jndi-test-" + UUID.randomUUID();

    @AfterEach
    void stopBroker() {
        VmBrokers.stop(broker);
    }

    @Test
    void sendsAndReceivesThroughAConfiguredQueue() throws Exception {
        Context jndi = initialContext(Context.PROVIDER_URL, "vm://" + broker + "?persistent=false", "queue.Orders", "orders");
        assertEquals("hello", roundTrip((ConnectionFactory) jndi.lookup("ConnectionFactory"),
                (Destination) jndi.lookup("Orders"), "hello"));
    }

    @Test
    void configuredAndDynamicNamesReachOnePhysicalQueue() throws Exception {
        Context jndi = initialContext(Context.PROVIDER_URL, "vm://" + broker + "?persistent=false", "queue.Orders", "orders");
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("QueueConnectionFactory");
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession();
            session.createProducer((Destination) jndi.lookup("Orders")).send(session.createTextMessage("via config"));
            MessageConsumer consumer = session.createConsumer((Destination) jndi.lookup("dynamicQueues/orders"));
            connection.start();
            assertEquals("via config", ((TextMessage) consumer.receive(WAIT_MS)).getText());
        }
    }

    @Test
    void publishesAndSubscribesThroughADynamicTopic() throws Exception {
        Context jndi = initialContext(Context.PROVIDER_URL, "vm://" + broker + "?persistent=false");
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("TopicConnectionFactory");
        Destination topic = (Destination) jndi.lookup("dynamicTopics/news");
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession();
            MessageConsumer subscriber = session.createConsumer(topic);
            connection.start();
            session.createProducer(topic).send(session.createTextMessage("extra"));
            TextMessage received = (TextMessage) subscriber.receive(WAIT_MS);
            assertNotNull(received, "no message within " + WAIT_MS + " ms");
            assertEquals("extra", received.getText());
        }
    }

    @Test
    void extraFactoryCarriesItsClientId() throws Exception {
        Context jndi = initialContext("connectionFactory.Durable", "vm://" + broker + "?clientID=audit&persistent=false");
        try (Connection connection = ((ConnectionFactory) jndi.lookup("Durable")).createConnection()) {
            assertEquals("audit", connection.getClientID());
        }
    }

    private static String roundTrip(ConnectionFactory factory, Destination destination, String text) throws Exception {
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession();
            session.createProducer(destination).send(session.createTextMessage(text));
            MessageConsumer consumer = session.createConsumer(destination);
            connection.start();
            TextMessage received = (TextMessage) consumer.receive(WAIT_MS);
            assertNotNull(received, "no message within " + WAIT_MS + " ms");
            return received.getText();
        }
    }
}
