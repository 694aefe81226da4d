package dev.courier.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

@AllTransports
class TopicTest extends BrokerFixture {

    @Test
    void everySubscriberGetsEveryMessage() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            Topic t = s.createTopic("events");
            MessageConsumer a = s.createConsumer(t);
            MessageConsumer b = s.createConsumer(t);
            c.start();
            MessageProducer p = s.createProducer(t);
            for (int i = 0; i < 10; i++) {
                p.send(s.createTextMessage("e" + i));
            }
            for (int i = 0; i < 10; i++) {
                assertEquals("e" + i, ((TextMessage) a.receive(WAIT_MS)).getText());
                assertEquals("e" + i, ((TextMessage) b.receive(WAIT_MS)).getText());
            }
        }
    }

    @Test
    void nonDurableSubscriberMissesMessagesSentBeforeItSubscribed() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            Topic t = s.createTopic("events");
            s.createProducer(t).send(s.createTextMessage("early"));
            MessageConsumer late = s.createConsumer(t);
            c.start();
            s.createProducer(t).send(s.createTextMessage("late"));
            assertEquals("late", ((TextMessage) late.receive(WAIT_MS)).getText());
            assertNull(late.receive(ABSENT_MS));
        }
    }

    @Test
    void noLocalSubscriberSkipsItsOwnConnectionsMessages() throws Exception {
        try (Connection mine = factory().createConnection(); Connection other = factory().createConnection()) {
            Session s = mine.createSession();
            Topic t = s.createTopic("chat");
            MessageConsumer noLocal = s.createConsumer(t, null, true);
            mine.start();
            s.createProducer(t).send(s.createTextMessage("from me"));
            Session os = other.createSession();
            os.createProducer(t).send(os.createTextMessage("from other"));
            assertEquals("from other", ((TextMessage) noLocal.receive(WAIT_MS)).getText());
            assertNull(noLocal.receive(ABSENT_MS));
        }
    }

    @Test
    void durableSubscriptionKeepsMessagesWhileItsConsumerIsAway() throws Exception {
        try (Connection c = factory().createConnection()) {
            c.setClientID("durable-client");
            Session s = c.createSession();
            Topic t = s.createTopic("orders");
            s.createDurableSubscriber(t, "sub").close();
            MessageProducer p = s.createProducer(t);
            p.send(s.createTextMessage("one"));
            p.send(s.createTextMessage("two"));
        }
        try (Connection c = factory().createConnection()) {
            c.setClientID("durable-client");
            Session s = c.createSession();
            MessageConsumer sub = s.createDurableSubscriber(s.createTopic("orders"), "sub");
            c.start();
            assertEquals("one", ((TextMessage) sub.receive(WAIT_MS)).getText());
            assertEquals("two", ((TextMessage) sub.receive(WAIT_MS)).getText());
            sub.close();
            s.unsubscribe("sub");
        }
    }

    @Test
    void durableSubscriberNeedsAClientId() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            assertThrows(IllegalStateException.class, () -> s.createDurableSubscriber(s.createTopic("t"), "sub"));
        }
    }

    @Test
    void secondActiveConsumerOnAnUnsharedDurableSubscriptionIsRefused() throws Exception {
        try (Connection c = factory().createConnection()) {
            c.setClientID("cid");
            Session s = c.createSession();
            Topic t = s.createTopic("t");
            s.createDurableSubscriber(t, "sub");
            assertThrows(IllegalStateException.class, () -> s.createDurableSubscriber(t, "sub"));
        }
    }

    @Test
    void unsubscribeWhileActiveIsRefusedAndUnknownNameIsInvalid() throws Exception {
        try (Connection c = factory().createConnection()) {
            c.setClientID("cid");
            Session s = c.createSession();
            MessageConsumer sub = s.createDurableSubscriber(s.createTopic("t"), "sub");
            assertThrows(IllegalStateException.class, () -> s.unsubscribe("sub"));
            sub.close();
            s.unsubscribe("sub");
            assertThrows(InvalidDestinationException.class, () -> s.unsubscribe("sub"));
        }
    }

    @Test
    void changingTheSelectorOfADurableSubscriptionReplacesIt() throws Exception {
        try (Connection c = factory().createConnection()) {
            c.setClientID("cid");
            Session s = c.createSession();
            Topic t = s.createTopic("t");
            s.createDurableSubscriber(t, "sub", "kind = 'a'", false).close();
            TextMessage a = s.createTextMessage("old backlog");
            a.setStringProperty("kind", "a");
            s.createProducer(t).send(a);
            MessageConsumer replaced = s.createDurableSubscriber(t, "sub", "kind = 'b'", false);
            c.start();
            assertNull(replaced.receive(ABSENT_MS), "the old subscription's backlog must be gone");
            TextMessage b = s.createTextMessage("new");
            b.setStringProperty("kind", "b");
            s.createProducer(t).send(b);
            assertEquals("new", ((TextMessage) replaced.receive(WAIT_MS)).getText());
        }
    }

    @Test
    void sharedSubscriptionSplitsMessagesAcrossConnectionsWithoutDuplicates() throws Exception {
        try (Connection c1 = factory().createConnection(); Connection c2 = factory().createConnection()) {
            Session s1 = c1.createSession();
            Session s2 = c2.createSession();
            Topic t = s1.createTopic("work");
            MessageConsumer a = s1.createSharedConsumer(t, "shared");
            MessageConsumer b = s2.createSharedConsumer(t, "shared");
            c1.start();
            c2.start();
            MessageProducer p = s1.createProducer(t);
            int count = 200;
            for (int i = 0; i < count; i++) {
                p.send(s1.createTextMessage("m" + i));
            }
            Set<String> seen = new HashSet<>();
            int fromA = 0;
            int fromB = 0;
            long deadline = System.currentTimeMillis() + WAIT_MS;
            while (seen.size() < count && System.currentTimeMillis() < deadline) {
                TextMessage m = (TextMessage) a.receiveNoWait();
                if (m != null) {
                    assertTrue(seen.add(m.getText()), "duplicate " + m.getText());
                    fromA++;
                }
                m = (TextMessage) b.receiveNoWait();
                if (m != null) {
                    assertTrue(seen.add(m.getText()), "duplicate " + m.getText());
                    fromB++;
                }
            }
            assertNull(a.receive(ABSENT_MS));
            assertNull(b.receive(ABSENT_MS));
            assertEquals(count, seen.size());
            assertEquals(count, fromA + fromB);
            assertTrue(fromA > 0 && fromB > 0, "both consumers share the work: " + fromA + "/" + fromB);
        }
    }

    @Test
    void sharedDurableSubscriptionNeedsNoClientIdAndSurvivesItsConsumers() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            Topic t = s.createTopic("t");
            s.createSharedDurableConsumer(t, "sd").close();
            s.createProducer(t).send(s.createTextMessage("kept"));
            MessageConsumer again = s.createSharedDurableConsumer(t, "sd");
            c.start();
            assertEquals("kept", ((TextMessage) again.receive(WAIT_MS)).getText());
        }
    }

    @Test
    void sharedAndUnsharedDurableSubscriptionsCannotShareAName() throws Exception {
        try (Connection c = factory().createConnection()) {
            c.setClientID("cid");
            Session s = c.createSession();
            Topic t = s.createTopic("t");
            s.createDurableSubscriber(t, "name").close();
            assertThrows(JMSException.class, () -> s.createSharedDurableConsumer(t, "name"));
        }
    }

    @Test
    void sharedSubscriptionWithAnotherSelectorWhileInUseIsRefused() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            Topic t = s.createTopic("t");
            MessageConsumer first = s.createSharedConsumer(t, "name", "a = 1");
            assertNotNull(first);
            assertThrows(JMSException.class, () -> s.createSharedConsumer(t, "name", "a = 2"));
        }
    }
}
