package dev.courier.jms;

import static dev.courier.jms.SessionTestSupport.deliveryCount;
import static dev.courier.jms.SessionTestSupport.receive;
import static dev.courier.jms.SessionTestSupport.text;
import static dev.courier.jms.SessionTestSupport.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Session semantics (acknowledgement, recover, rollback, close) for topic subscribers. */
@AllTransports
class TopicSessionTest extends BrokerFixture {

    private static void publish(Connection c, String topic, String prefix, int n) throws Exception {
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer p = s.createProducer(s.createTopic(topic));
        for (int i = 1; i <= n; i++) {
            p.send(s.createTextMessage(prefix + i));
        }
        s.close();
    }

    @Test
    void recoverRedeliversToTheSameSubscriberInOrder() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer subscriber = s.createConsumer(s.createTopic("t"));
            c.start();
            publish(c, "t", "m", 3);
            assertEquals(List.of("m1", "m2"), texts(receive(subscriber, 2, WAIT_MS)));
            s.recover();
            List<Message> all = receive(subscriber, 3, WAIT_MS);
            assertEquals(List.of("m1", "m2", "m3"), texts(all));
            assertTrue(all.get(0).getJMSRedelivered());
            assertEquals(2, deliveryCount(all.get(1)));
            assertFalse(all.get(2).getJMSRedelivered());
            all.get(2).acknowledge();
            s.recover();
            assertNull(subscriber.receive(ABSENT_MS));
        }
    }

    @Test
    void rollbackRedeliversToTheSameSubscriberAndCommitSettles() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer subscriber = tx.createConsumer(tx.createTopic("t"));
            c.start();
            publish(c, "t", "m", 2);
            assertEquals("m1", text(subscriber.receive(WAIT_MS)));
            tx.rollback();
            List<Message> all = receive(subscriber, 2, WAIT_MS);
            assertEquals(List.of("m1", "m2"), texts(all));
            assertTrue(all.get(0).getJMSRedelivered());
            tx.commit();
            tx.rollback();
            assertNull(subscriber.receive(ABSENT_MS));
        }
    }

    @Test
    void everySubscriberGetsItsOwnCopyAndAcknowledgesIndependently() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s1 = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Session s2 = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer a = s1.createConsumer(s1.createTopic("t"));
            MessageConsumer b = s2.createConsumer(s2.createTopic("t"));
            c.start();
            publish(c, "t", "m", 1);
            a.receive(WAIT_MS).acknowledge();
            assertEquals("m1", text(b.receive(WAIT_MS)));
            s2.recover();
            Message again = b.receive(WAIT_MS);
            assertEquals("m1", text(again));
            assertTrue(again.getJMSRedelivered());
            s1.recover();
            assertNull(a.receive(ABSENT_MS), "a's acknowledged copy came back");
        }
    }

    @Test
    void unacknowledgedDurableSubscriptionMessagesComeBackAfterSessionClose() throws Exception {
        try (Connection c = factory().createConnection()) {
            c.setClientID("durable-client");
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Topic t = s.createTopic("t");
            MessageConsumer durable = s.createDurableConsumer(t, "sub");
            c.start();
            publish(c, "t", "m", 2);
            assertEquals("m1", text(durable.receive(WAIT_MS)));
            s.close();

            Session s2 = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer again = s2.createDurableConsumer(t, "sub");
            List<Message> all = receive(again, 2, WAIT_MS);
            assertEquals(List.of("m1", "m2"), texts(all));
            assertTrue(all.get(0).getJMSRedelivered());
            assertFalse(all.get(1).getJMSRedelivered(), "m2 was only prefetched");
            all.get(1).acknowledge();
            again.close();
            s2.unsubscribe("sub");
        }
    }

    @Test
    void publishOnTransactedSessionReachesSubscribersOnlyOnCommit() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session reader = c.createSession();
            MessageConsumer subscriber = reader.createConsumer(reader.createTopic("t"));
            c.start();
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer p = tx.createProducer(tx.createTopic("t"));
            p.send(tx.createTextMessage("rolled back"));
            tx.rollback();
            p.send(tx.createTextMessage("committed"));
            assertNull(subscriber.receive(ABSENT_MS));
            tx.commit();
            assertEquals("committed", text(subscriber.receive(WAIT_MS)));
            assertNull(subscriber.receive(ABSENT_MS));
        }
    }
}
