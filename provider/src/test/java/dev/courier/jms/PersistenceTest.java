package dev.courier.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.broker.Broker;
import dev.courier.client.VmBrokers;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What survives a restart of an embedded broker on its H2 store: persistent messages in order,
 * durable subscriptions with their selectors and backlog, committed transactions only, delivery
 * counts, delayed messages and dead letters. (Crashes by SIGKILL: {@code BrokerCrashTest}.)
 */
class PersistenceTest {

    private static final long WAIT_MS = 10_000;
    private static final long ABSENT_MS = 200;

    @TempDir
    Path data;

    private final String name = "persist-" + UUID.randomUUID();

    private CourierConnectionFactory factory(String options) {
        return new CourierConnectionFactory("vm://" + name + "?fsync=false&data=" + data
                + (options.isEmpty() ? "" : "&" + options));
    }

    private CourierConnectionFactory factory() {
        return factory("");
    }

    private void restart() {
        VmBrokers.stop(name);
    }

    @AfterEach
    void stop() {
        VmBrokers.stop(name);
    }

    @Test
    void persistentMessagesSurviveARestartInOrderAndNonPersistentOnesDoNot() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            MessageProducer p = s.createProducer(s.createQueue("q"));
            for (int i = 0; i < 5; i++) {
                p.send(s.createTextMessage("p" + i));
                p.send(s.createTextMessage("np" + i), DeliveryMode.NON_PERSISTENT, 4, 0);
            }
        }
        restart();
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            for (int i = 0; i < 5; i++) {
                TextMessage m = (TextMessage) consumer.receive(WAIT_MS);
                assertEquals("p" + i, m.getText());
                assertEquals(DeliveryMode.PERSISTENT, m.getJMSDeliveryMode());
            }
            assertNull(consumer.receive(ABSENT_MS));
        }
    }

    @Test
    void acknowledgedMessagesAreGoneAfterARestart() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            Queue q = s.createQueue("q");
            MessageProducer p = s.createProducer(q);
            for (int i = 0; i < 4; i++) {
                p.send(s.createTextMessage("m" + i));
            }
            MessageConsumer consumer = s.createConsumer(q);
            c.start();
            assertEquals("m0", ((TextMessage) consumer.receive(WAIT_MS)).getText());
            assertEquals("m1", ((TextMessage) consumer.receive(WAIT_MS)).getText());
        }
        restart();
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            assertEquals("m2", ((TextMessage) consumer.receive(WAIT_MS)).getText());
            assertEquals("m3", ((TextMessage) consumer.receive(WAIT_MS)).getText());
            assertNull(consumer.receive(ABSENT_MS));
        }
    }

    @Test
    void aCommittedTransactionIsAllThereAndAnUncommittedOneLeavesNoTrace() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session tx = c.createSession(Session.SESSION_TRANSACTED);
            MessageProducer p = tx.createProducer(tx.createQueue("q"));
            p.send(tx.createTextMessage("committed-1"));
            p.send(tx.createTextMessage("committed-2"));
            tx.commit();
            p.send(tx.createTextMessage("uncommitted"));
        }
        restart();
        try (Connection c = factory().createConnection()) {
            Session tx = c.createSession(Session.SESSION_TRANSACTED);
            MessageConsumer consumer = tx.createConsumer(tx.createQueue("q"));
            c.start();
            assertEquals("committed-1", ((TextMessage) consumer.receive(WAIT_MS)).getText());
            assertEquals("committed-2", ((TextMessage) consumer.receive(WAIT_MS)).getText());
            assertNull(consumer.receive(ABSENT_MS));
            tx.commit();
        }
        restart();
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            assertNull(consumer.receive(ABSENT_MS), "the consuming transaction committed");
        }
    }

    @Test
    void aDurableSubscriptionKeepsItsBacklogAndItsSelectorAcrossARestart() throws Exception {
        try (Connection c = factory("clientID=app").createConnection()) {
            Session s = c.createSession();
            Topic t = s.createTopic("orders");
            s.createDurableSubscriber(t, "eu", "region = 'EU'", false).close();
            MessageProducer p = s.createProducer(t);
            p.send(regional(s, "eu-before", "EU"));
            p.send(regional(s, "us-before", "US"));
        }
        restart();
        try (Connection c = factory("clientID=app").createConnection()) {
            Session s = c.createSession();
            Topic t = s.createTopic("orders");
            MessageProducer p = s.createProducer(t);
            p.send(regional(s, "us-after", "US"));
            p.send(regional(s, "eu-after", "EU"));
            MessageConsumer sub = s.createDurableSubscriber(t, "eu", "region = 'EU'", false);
            c.start();
            assertEquals("eu-before", ((TextMessage) sub.receive(WAIT_MS)).getText());
            assertEquals("eu-after", ((TextMessage) sub.receive(WAIT_MS)).getText());
            assertNull(sub.receive(ABSENT_MS));
            sub.close();
            s.unsubscribe("eu");
        }
        restart();
        try (Connection c = factory("clientID=app").createConnection()) {
            Session s = c.createSession();
            assertTrue(failsToUnsubscribe(s, "eu"), "an unsubscribed subscription stays gone after a restart");
        }
    }

    @Test
    void deliveryCountsSurviveARestart() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session tx = c.createSession(Session.SESSION_TRANSACTED);
            Queue q = tx.createQueue("q");
            tx.createProducer(q).send(tx.createTextMessage("retry"));
            tx.commit();
            MessageConsumer consumer = tx.createConsumer(q);
            c.start();
            for (int i = 0; i < 2; i++) {
                assertNotNull(consumer.receive(WAIT_MS));
                tx.rollback();
            }
        }
        restart();
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            Message m = consumer.receive(WAIT_MS);
            assertTrue(m.getJMSRedelivered());
            assertTrue(m.getIntProperty("JMSXDeliveryCount") >= 3, "count " + m.getIntProperty("JMSXDeliveryCount"));
        }
    }

    @Test
    void aDelayedMessageSurvivesARestartAndStaysInvisibleUntilDue() throws Exception {
        long delay = 1_500;
        long sentAt;
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            MessageProducer p = s.createProducer(s.createQueue("q"));
            p.setDeliveryDelay(delay);
            sentAt = System.currentTimeMillis();
            p.send(s.createTextMessage("later"));
        }
        restart();
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            TextMessage m = (TextMessage) consumer.receive(WAIT_MS);
            assertEquals("later", m.getText());
            assertTrue(System.currentTimeMillis() >= sentAt + delay, "delivered before it was due");
        }
    }

    @Test
    void deadLettersArePersistentToo() throws Exception {
        try (Connection c = factory("maxDeliveryAttempts=1").createConnection()) {
            Session tx = c.createSession(Session.SESSION_TRANSACTED);
            Queue q = tx.createQueue("q");
            tx.createProducer(q).send(tx.createTextMessage("poison"));
            tx.commit();
            MessageConsumer consumer = tx.createConsumer(q);
            c.start();
            assertNotNull(consumer.receive(WAIT_MS));
            tx.rollback();
        }
        restart();
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            c.start();
            assertNull(s.createConsumer(s.createQueue("q")).receive(ABSENT_MS));
            Message dead = s.createConsumer(s.createQueue("DLQ")).receive(WAIT_MS);
            assertEquals("poison", ((TextMessage) dead).getText());
            assertEquals("queue://q", dead.getStringProperty(Broker.ORIGINAL_DESTINATION_PROPERTY));
        }
    }

    private static TextMessage regional(Session s, String text, String region) throws Exception {
        TextMessage m = s.createTextMessage(text);
        m.setStringProperty("region", region);
        return m;
    }

    private static boolean failsToUnsubscribe(Session s, String subscription) {
        try {
            s.unsubscribe(subscription);
            return false;
        } catch (jakarta.jms.InvalidDestinationException e) {
            return true;
        } catch (jakarta.jms.JMSException e) {
            assertFalse(true, "unexpected " + e);
            return false;
        }
    }
}
