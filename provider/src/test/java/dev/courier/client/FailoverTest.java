package dev.courier.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.broker.Broker;
import dev.courier.broker.BrokerConfig;
import dev.courier.broker.BrokerException;
import dev.courier.jms.CourierConnectionFactory;
import dev.courier.server.TcpServer;
import dev.courier.store.H2MessageStore;
import jakarta.jms.Connection;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TransactionRolledBackException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code failover:} connections across a broker that stops and comes back on the same port (and
 * data directory): consumers resume, in-doubt work is settled as documented, and the exception
 * listener hears only of giving up.
 */
class FailoverTest {

    private static final long WAIT_MS = 10_000;

    @TempDir
    Path data;

    private Broker broker;
    private TcpServer server;
    private int port;
    private final List<Connection> connections = new ArrayList<>();

    @AfterEach
    void stop() {
        for (Connection c : connections) {
            try {
                c.close();
            } catch (JMSException ignored) {
                // the test's own assertions matter, not a failed cleanup
            }
        }
        stopServer();
        stopBroker();
    }

    private void startBroker() throws BrokerException {
        broker = Broker.open("failover-test", BrokerConfig.defaults(), new H2MessageStore(data));
        startServer();
    }

    private void startServer() {
        server = new TcpServer(broker, "127.0.0.1", port).start();
        port = server.port();
    }

    private void stopServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    private void stopBroker() {
        if (broker != null) {
            broker.stop();
            broker = null;
        }
    }

    /** The broker process goes away and a new one starts on the same data and port. */
    private void restartBroker() throws BrokerException {
        stopServer();
        stopBroker();
        startBroker();
    }

    private Connection connect(String options) throws JMSException {
        String url = "failover:(tcp://127.0.0.1:" + port + ")?initialReconnectDelay=20&maxReconnectDelay=200"
                + (options.isEmpty() ? "" : "&" + options);
        Connection c = new CourierConnectionFactory(url).createConnection();
        connections.add(c);
        return c;
    }

    private static List<String> texts(int from, int to) {
        List<String> texts = new ArrayList<>();
        for (int i = from; i < to; i++) {
            texts.add("m" + i);
        }
        return texts;
    }

    private static void send(Session s, Queue queue, List<String> texts) throws JMSException {
        MessageProducer producer = s.createProducer(queue);
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        for (String text : texts) {
            producer.send(s.createTextMessage(text));
        }
    }

    /**
     * Returns once the connection is on its new broker connection: a persistent send returns
     * only when a broker stored it, and the old broker is gone.
     */
    private static void awaitReconnected(Session session) throws JMSException {
        send(session, session.createQueue("reconnected"), List.of("sync"));
    }

    @Test
    void unacknowledgedMessagesComeBackMarkedRedeliveredAndStaleAcknowledgementsAreIgnored() throws Exception {
        startBroker();
        Connection c = connect("");
        BlockingQueue<JMSException> told = new ArrayBlockingQueue<>(4);
        c.setExceptionListener(told::add);
        Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue queue = s.createQueue("orders");
        send(s, queue, texts(0, 10));
        MessageConsumer consumer = s.createConsumer(queue);
        c.start();
        Message first = consumer.receive(WAIT_MS);
        assertEquals("m0", ((TextMessage) first).getText());
        assertEquals("m1", ((TextMessage) consumer.receive(WAIT_MS)).getText());

        // Only the TCP server goes: the broker settles the lost connection, counting the attempt.
        stopServer();
        startServer();

        first.acknowledge();
        List<String> got = new ArrayList<>();
        Message m = null;
        for (int i = 0; i < 10; i++) {
            m = consumer.receive(WAIT_MS);
            assertNotNull(m, "message " + i + " after the reconnect");
            got.add(((TextMessage) m).getText());
            if (i < 2) {
                assertTrue(m.getJMSRedelivered(), "a message the application saw before the loss is redelivered");
            }
        }
        assertEquals(texts(0, 10), got);
        m.acknowledge();
        assertNull(consumer.receive(200), "acknowledged on the new connection, nothing more");
        assertNull(told.poll(), "the exception listener hears nothing of a reconnect");
    }

    @Test
    void aConsumerResumesAcrossABrokerRestartAndReceiveKeepsWaiting() throws Exception {
        startBroker();
        Connection c = connect("");
        // CLIENT_ACKNOWLEDGE: acknowledge() returns once the broker stored it, so nothing comes back.
        Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue queue = s.createQueue("orders");
        MessageConsumer consumer = s.createConsumer(queue);
        c.start();
        send(s, queue, texts(0, 3));
        Message last = null;
        for (int i = 0; i < 3; i++) {
            last = consumer.receive(WAIT_MS);
            assertEquals("m" + i, ((TextMessage) last).getText());
        }
        last.acknowledge();
        stopServer();
        stopBroker();
        CompletableFuture<Message> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return consumer.receive(4 * WAIT_MS);
            } catch (JMSException e) {
                throw new RuntimeException(e);
            }
        });
        startBroker();
        Connection producerConnection = connect("");
        Session ps = producerConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        send(ps, ps.createQueue("orders"), texts(3, 4));
        Message m = waiting.get(4 * WAIT_MS, TimeUnit.MILLISECONDS);
        assertNotNull(m, "the receive that waited across the restart got the new message");
        assertEquals("m3", ((TextMessage) m).getText());
    }

    @Test
    void aSendDuringTheOutageWaitsAndADurableSubscriptionResumes() throws Exception {
        startBroker();
        Connection c = connect("clientID=failover-subscriber");
        Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Topic topic = s.createTopic("prices");
        MessageConsumer subscriber = s.createDurableConsumer(topic, "all-prices");
        c.start();
        MessageProducer producer = s.createProducer(topic);
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        producer.send(s.createTextMessage("before"));
        Message before = subscriber.receive(WAIT_MS);
        assertEquals("before", ((TextMessage) before).getText());
        before.acknowledge();

        stopServer();
        stopBroker();
        // A send made now waits for the broker to come back.
        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
            try {
                producer.send(s.createTextMessage("during"));
            } catch (JMSException e) {
                throw new RuntimeException(e);
            }
        });
        startBroker();
        sent.get(4 * WAIT_MS, TimeUnit.MILLISECONDS);
        Message m = subscriber.receive(WAIT_MS);
        assertNotNull(m, "the durable subscription resumed under the same client ID and name");
        assertEquals("during", ((TextMessage) m).getText());
    }

    @Test
    void aTransactionThatReceivedBeforeTheLossIsRolledBackOnCommit() throws Exception {
        startBroker();
        Connection c = connect("");
        Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
        Queue queue = tx.createQueue("orders");
        Session plain = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        send(plain, queue, texts(0, 2));
        MessageConsumer consumer = tx.createConsumer(queue);
        MessageProducer producer = tx.createProducer(tx.createQueue("audit"));
        c.start();
        assertEquals("m0", ((TextMessage) consumer.receive(WAIT_MS)).getText());
        producer.send(tx.createTextMessage("audit of m0"));

        restartBroker();
        awaitReconnected(plain);

        assertThrows(TransactionRolledBackException.class, tx::commit);
        Message again = consumer.receive(WAIT_MS);
        assertEquals("m0", ((TextMessage) again).getText());
        assertEquals("m1", ((TextMessage) consumer.receive(WAIT_MS)).getText());
        producer.send(tx.createTextMessage("audit of m0 and m1"));
        tx.commit();

        MessageConsumer audit = plain.createConsumer(plain.createQueue("audit"));
        assertEquals("audit of m0 and m1", ((TextMessage) audit.receive(WAIT_MS)).getText(),
                "the rolled-back send is gone, the committed one is there");
        assertNull(audit.receive(200));
        assertNull(plain.createConsumer(queue).receive(200), "both messages were consumed by the commit");
    }

    @Test
    void aTransactionThatOnlySentBeforeTheLossCommitsItsSends() throws Exception {
        startBroker();
        Connection c = connect("");
        Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
        Queue queue = tx.createQueue("orders");
        send(tx, queue, texts(0, 3));
        Session plain = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        restartBroker();
        awaitReconnected(plain);
        tx.commit();
        MessageConsumer consumer = plain.createConsumer(queue);
        c.start();
        List<String> got = new ArrayList<>();
        Message m;
        while ((m = consumer.receive(got.size() < 3 ? WAIT_MS : 200)) != null) {
            got.add(((TextMessage) m).getText());
        }
        assertEquals(texts(0, 3), got, "the sends were held by the client, so none was lost");
    }

    @Test
    void theExceptionListenerIsToldOnlyWhenReconnectingGivesUp() throws Exception {
        startBroker();
        Connection c = connect("maxReconnectAttempts=3");
        BlockingQueue<JMSException> told = new ArrayBlockingQueue<>(4);
        c.setExceptionListener(told::add);
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = s.createProducer(s.createQueue("orders"));
        producer.send(s.createTextMessage("before"));
        stopServer();
        stopBroker();

        JMSException cause = told.poll(WAIT_MS, TimeUnit.MILLISECONDS);
        assertNotNull(cause, "told after three failed attempts");
        assertTrue(cause.getMessage().contains("gave up"), cause.getMessage());
        assertNull(told.poll(), "told once");
        JMSException e = assertThrows(JMSException.class, () -> producer.send(s.createTextMessage("after")));
        assertTrue(e.getMessage().contains("gave up"), e.getMessage());
        c.close();
    }

    @Test
    void closeDuringReconnectionReturnsPromptlyAndFailsAWaitingSend() throws Exception {
        startBroker();
        Connection c = connect("");
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = s.createProducer(s.createQueue("orders"));
        producer.send(s.createTextMessage("before"));
        stopServer();
        stopBroker();
        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
            try {
                producer.send(s.createTextMessage("never"));
            } catch (JMSException e) {
                throw new RuntimeException(e);
            }
        });
        // Reconnection retries for ever by default: only close ends the wait.
        assertTimeoutPreemptively(Duration.ofMillis(WAIT_MS), () -> c.close());
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> sent.get(WAIT_MS, TimeUnit.MILLISECONDS));
        assertInstanceOf(JMSException.class, failed.getCause().getCause());
    }

    @Test
    void aListenerGetsEveryMessageSentBeforeAndAfterTheServerRestarts() throws Exception {
        startBroker();
        Connection c = connect("consumerWindow=10");
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue queue = s.createQueue("orders");
        Set<String> got = ConcurrentHashMap.newKeySet();
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch all = new CountDownLatch(1);
        s.createConsumer(queue).setMessageListener(m -> {
            try {
                got.add(((TextMessage) m).getText());
            } catch (JMSException e) {
                throw new RuntimeException(e);
            }
            first.countDown();
            if (got.size() == 100) {
                all.countDown();
            }
        });
        Connection producerConnection = connect("");
        Session ps = producerConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        send(ps, queue, texts(0, 50));
        c.start();
        assertTrue(first.await(WAIT_MS, TimeUnit.MILLISECONDS));
        stopServer();
        startServer();
        send(ps, queue, texts(50, 100));
        assertTrue(all.await(WAIT_MS, TimeUnit.MILLISECONDS), "got " + got.size() + " of 100");
        assertEquals(new HashSet<>(texts(0, 100)), got);
    }

    @Test
    void temporaryDestinationsDieWithTheLostConnection() throws Exception {
        startBroker();
        Connection c = connect("");
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        TemporaryQueue before = s.createTemporaryQueue();
        MessageProducer producer = s.createProducer(null);
        producer.send(before, s.createTextMessage("reply"));
        stopServer();
        startServer();
        awaitReconnected(s);
        assertThrows(InvalidDestinationException.class, () -> producer.send(before, s.createTextMessage("late")));
        before.delete();
        TemporaryQueue after = s.createTemporaryQueue();
        producer.send(after, s.createTextMessage("reply"));
        c.start();
        assertEquals("reply", ((TextMessage) s.createConsumer(after).receive(WAIT_MS)).getText());
    }

    @Test
    void whenTheFirstBrokerIsGoneTheConnectionMovesToTheNextOne() throws Exception {
        startBroker();
        Broker second = new Broker("failover-second", BrokerConfig.defaults());
        TcpServer secondServer = new TcpServer(second, "127.0.0.1", 0).start();
        try {
            Connection c = new CourierConnectionFactory("failover:(tcp://127.0.0.1:" + port + ",tcp://127.0.0.1:"
                    + secondServer.port() + ")?initialReconnectDelay=20&maxReconnectDelay=200").createConnection();
            connections.add(c);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("orders"));
            c.start();
            assertEquals(1, server.connectionCount(), "the first listed broker is used first");
            stopServer();
            stopBroker();
            try (Connection direct = new CourierConnectionFactory("tcp://127.0.0.1:" + secondServer.port())
                    .createConnection()) {
                Session ds = direct.createSession(false, Session.AUTO_ACKNOWLEDGE);
                send(ds, ds.createQueue("orders"), List.of("on the second broker"));
            }
            Message m = consumer.receive(WAIT_MS);
            assertNotNull(m, "the consumer was reopened on the second broker");
            assertEquals("on the second broker", ((TextMessage) m).getText());
        } finally {
            secondServer.close();
            second.stop();
        }
    }
}
