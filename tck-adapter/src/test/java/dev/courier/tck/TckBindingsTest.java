package dev.courier.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.courier.client.VmBrokers;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.JMSSecurityRuntimeException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.QueueReceiver;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicConnectionFactory;
import jakarta.jms.TopicSession;
import jakarta.jms.TopicSubscriber;
import javax.naming.Context;
import javax.naming.InitialContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every binding the TCK looks up resolves through {@code new InitialContext()} (so through the
 * adapter's jndi.properties) and works: each queue carries a message, each topic reaches its
 * subscriber, and the durable factory's connections carry client ID {@code cts}. Runs over
 * {@code vm://} and, as the surefire execution {@code bindings-over-tcp}, over {@code tcp://}
 * against a standalone broker started by {@link TcpTckBroker}.
 */
class TckBindingsTest {

    private static final String BROKER = "tck";
    private static final long WAIT_MS = 10_000;

    private Context jndi;

    @BeforeEach
    void openContext() throws Exception {
        jndi = new InitialContext();
    }

    @AfterEach
    void closeContext() throws Exception {
        jndi.close();
    }

    @AfterAll
    static void stopBroker() {
        // Over tcp:// the embedded broker must never have started (TcpTckBroker checks at the end).
        if (!"tcp".equals(System.getProperty(TcpTckBroker.TRANSPORT))) {
            VmBrokers.stop(BROKER);
        }
    }

    /** The TCK connects as j2ee/j2ee and anonymously, and expects invalid/invalid to be refused. */
    @Test
    void theTckUserConnectsAndAnInvalidOneIsRefused() throws Exception {
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("MyConnectionFactory");
        try (Connection connection = factory.createConnection("j2ee", "j2ee")) {
            assertNotNull(connection.createSession());
        }
        try (Connection connection = factory.createConnection()) {
            assertNotNull(connection.createSession());
        }
        assertThrows(JMSSecurityException.class, () -> factory.createConnection("invalid", "invalid").close());
        assertThrows(JMSSecurityRuntimeException.class, () -> factory.createContext("invalid", "invalid").close());
    }

    @ParameterizedTest
    @ValueSource(strings = {"MY_QUEUE", "MY_QUEUE2", "testQ0", "testQ1", "testQ2", "testQueue2", "Q2"})
    void queueCarriesAMessage(String name) throws Exception {
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("MyConnectionFactory");
        Queue queue = (Queue) jndi.lookup(name);
        assertEquals(name, queue.getQueueName());
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession();
            session.createProducer(queue).send(session.createTextMessage("to " + name));
            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            assertText("to " + name, consumer.receive(WAIT_MS));
            assertNull(consumer.receiveNoWait(), name + " should be empty again");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"MY_TOPIC", "MY_TOPIC2", "testT0", "testT1", "testT2"})
    void topicReachesItsSubscriber(String name) throws Exception {
        TopicConnectionFactory factory = (TopicConnectionFactory) jndi.lookup("MyTopicConnectionFactory");
        Topic topic = (Topic) jndi.lookup(name);
        assertEquals(name, topic.getTopicName());
        try (TopicConnection connection = factory.createTopicConnection()) {
            TopicSession session = connection.createTopicSession(false, Session.AUTO_ACKNOWLEDGE);
            TopicSubscriber subscriber = session.createSubscriber(topic);
            connection.start();
            session.createPublisher(topic).publish(session.createTextMessage("on " + name));
            assertText("on " + name, subscriber.receive(WAIT_MS));
        }
    }

    @Test
    void queueConnectionFactoryServesQueueSessions() throws Exception {
        QueueConnectionFactory factory = (QueueConnectionFactory) jndi.lookup("MyQueueConnectionFactory");
        Queue queue = (Queue) jndi.lookup("MY_QUEUE");
        try (QueueConnection connection = factory.createQueueConnection()) {
            QueueSession session = connection.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createSender(queue).send(session.createTextMessage("queue domain"));
            QueueReceiver receiver = session.createReceiver(queue);
            connection.start();
            assertText("queue domain", receiver.receive(WAIT_MS));
        }
    }

    @Test
    void durableFactoryConnectionsHaveClientIdCts() throws Exception {
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("DURABLE_SUB_CONNECTION_FACTORY");
        try (Connection connection = factory.createConnection()) {
            assertEquals("cts", connection.getClientID());
        }
    }

    @Test
    void durableSubscriptionKeepsMessagesWhileItsSubscriberIsAway() throws Exception {
        TopicConnectionFactory factory = (TopicConnectionFactory) jndi.lookup("DURABLE_SUB_CONNECTION_FACTORY");
        Topic topic = (Topic) jndi.lookup("MY_TOPIC");
        try (TopicConnection connection = factory.createTopicConnection()) {
            TopicSession session = connection.createTopicSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createDurableSubscriber(topic, "bindings-test").close();
            session.createPublisher(topic).publish(session.createTextMessage("kept"));
            TopicSubscriber subscriber = session.createDurableSubscriber(topic, "bindings-test");
            connection.start();
            assertText("kept", subscriber.receive(WAIT_MS));
            subscriber.close();
            session.unsubscribe("bindings-test");
        }
    }

    @Test
    void defaultFactoriesJoinTheSameBroker() throws Exception {
        ConnectionFactory byDefault = (ConnectionFactory) jndi.lookup("ConnectionFactory");
        ConnectionFactory byTck = (ConnectionFactory) jndi.lookup("MyConnectionFactory");
        Queue queue = (Queue) jndi.lookup("testQ0");
        try (Connection sender = byDefault.createConnection(); Connection receiver = byTck.createConnection()) {
            Session sendSession = sender.createSession();
            sendSession.createProducer(queue).send(sendSession.createTextMessage("shared broker"));
            MessageConsumer consumer = receiver.createSession().createConsumer(queue);
            receiver.start();
            assertText("shared broker", consumer.receive(WAIT_MS));
        }
    }

    private static void assertText(String expected, jakarta.jms.Message received) throws Exception {
        assertNotNull(received, "no message within " + WAIT_MS + " ms");
        assertEquals(expected, ((TextMessage) received).getText());
    }
}
