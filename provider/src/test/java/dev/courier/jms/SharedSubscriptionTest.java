package dev.courier.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** JMS 2.0 shared subscriptions, durable and not, on the simplified and the classic API. */
@AllTransports
class SharedSubscriptionTest extends BrokerFixture {

    private static final int COUNT = 300;

    @Test
    void sharedConsumersOnDifferentConnectionsSplitOneSubscriptionWithoutDuplicates() {
        try (JMSContext a = factory().createContext();
             JMSContext b = factory().createContext();
             JMSContext c = factory().createContext()) {
            Topic t = a.createTopic("work");
            List<JMSConsumer> consumers = List.of(
                    a.createSharedConsumer(t, "split"),
                    b.createSharedConsumer(t, "split"),
                    c.createSharedConsumer(t, "split", null));
            sendNumbered(a, t);
            assertSplitExactlyOnce(consumers);
        }
    }

    @Test
    void sharedDurableConsumersSplitOneSubscriptionAndNeedNoClientId() {
        try (JMSContext a = factory().createContext(); JMSContext b = factory().createContext()) {
            Topic t = a.createTopic("work");
            List<JMSConsumer> consumers = List.of(
                    a.createSharedDurableConsumer(t, "durable-split"),
                    b.createSharedDurableConsumer(t, "durable-split", null));
            sendNumbered(a, t);
            assertSplitExactlyOnce(consumers);
            consumers.forEach(JMSConsumer::close);
            a.unsubscribe("durable-split");
        }
    }

    @Test
    void classicAndSimplifiedConsumersShareTheSameSubscription() throws Exception {
        try (Connection connection = factory().createConnection(); JMSContext context = factory().createContext()) {
            Session session = connection.createSession();
            Topic t = session.createTopic("work");
            MessageConsumer classic = session.createSharedConsumer(t, "mixed");
            JMSConsumer simplified = context.createSharedConsumer(t, "mixed");
            connection.start();
            sendNumbered(context, t);
            Set<String> seen = new HashSet<>();
            long deadline = System.currentTimeMillis() + WAIT_MS;
            int fromClassic = 0;
            while (seen.size() < COUNT && System.currentTimeMillis() < deadline) {
                TextMessage m = (TextMessage) classic.receiveNoWait();
                if (m != null) {
                    assertTrue(seen.add(m.getText()), "duplicate " + m.getText());
                    fromClassic++;
                }
                String body = simplified.receiveBodyNoWait(String.class);
                if (body != null) {
                    assertTrue(seen.add(body), "duplicate " + body);
                }
            }
            assertEquals(COUNT, seen.size());
            assertTrue(fromClassic > 0 && fromClassic < COUNT, "both APIs take part: " + fromClassic);
        }
    }

    @Test
    void aSharedNonDurableSubscriptionEndsWithItsLastConsumer() {
        try (JMSContext context = factory().createContext()) {
            Topic t = context.createTopic("t");
            context.createSharedConsumer(t, "brief").close();
            context.createProducer().send(t, "nobody listens");
            JMSConsumer again = context.createSharedConsumer(t, "brief");
            assertNull(again.receive(ABSENT_MS));
        }
    }

    @Test
    void aSharedDurableSubscriptionKeepsMessagesWithoutConsumers() {
        try (JMSContext context = factory().createContext()) {
            Topic t = context.createTopic("t");
            context.createSharedDurableConsumer(t, "kept").close();
            context.createProducer().send(t, "waiting");
            JMSConsumer again = context.createSharedDurableConsumer(t, "kept");
            assertEquals("waiting", again.receiveBody(String.class, WAIT_MS));
            again.close();
            context.unsubscribe("kept");
        }
    }

    @Test
    void theClientIdIsPartOfTheSubscriptionsName() {
        try (JMSContext one = factory().createContext(); JMSContext two = factory().createContext()) {
            one.setClientID("one");
            two.setClientID("two");
            Topic t = one.createTopic("t");
            JMSConsumer first = one.createSharedConsumer(t, "same");
            JMSConsumer second = two.createSharedConsumer(t, "same");
            one.createProducer().send(t, "to both");
            assertEquals("to both", first.receiveBody(String.class, WAIT_MS));
            assertEquals("to both", second.receiveBody(String.class, WAIT_MS));
        }
    }

    @Test
    void durableAndSharedNonDurableSubscriptionsOfOneNameAreSeparate() {
        try (JMSContext context = factory().createContext()) {
            context.setClientID("cid");
            Topic t = context.createTopic("t");
            JMSConsumer durable = context.createDurableConsumer(t, "name");
            JMSConsumer shared = context.createSharedConsumer(t, "name");
            context.createProducer().send(t, "both");
            assertEquals("both", durable.receiveBody(String.class, WAIT_MS));
            assertEquals("both", shared.receiveBody(String.class, WAIT_MS));
            durable.close();
            context.unsubscribe("name");
        }
    }

    @Test
    void sharedAndUnsharedDurableSubscriptionsCannotShareANameOnEitherApi() throws Exception {
        try (JMSContext context = factory().createContext()) {
            context.setClientID("cid");
            Topic t = context.createTopic("t");
            context.createDurableConsumer(t, "unshared").close();
            assertThrows(JMSRuntimeException.class, () -> context.createSharedDurableConsumer(t, "unshared"));
            context.createSharedDurableConsumer(t, "shared").close();
            assertThrows(JMSRuntimeException.class, () -> context.createDurableConsumer(t, "shared"));
            assertThrows(JMSRuntimeException.class, () -> context.createDurableConsumer(t, "shared", null, false));
        }
        try (Connection connection = factory().createConnection()) {
            connection.setClientID("classic");
            Session session = connection.createSession();
            Topic t = session.createTopic("t");
            session.createSharedDurableConsumer(t, "shared").close();
            assertThrows(JMSException.class, () -> session.createDurableConsumer(t, "shared"));
            assertThrows(JMSException.class, () -> session.createDurableSubscriber(t, "shared"));
        }
    }

    @Test
    void anotherSelectorOrTopicIsRefusedWhileTheSubscriptionIsInUseAndReplacesItOtherwise() {
        try (JMSContext context = factory().createContext()) {
            Topic t = context.createTopic("t");
            Topic other = context.createTopic("other");
            JMSConsumer active = context.createSharedConsumer(t, "s", "a = 1");
            assertThrows(JMSRuntimeException.class, () -> context.createSharedConsumer(t, "s", "a = 2"));
            assertThrows(JMSRuntimeException.class, () -> context.createSharedConsumer(other, "s", "a = 1"));
            active.close();

            JMSConsumer durable = context.createSharedDurableConsumer(t, "d", "a = 1");
            assertThrows(JMSRuntimeException.class, () -> context.createSharedDurableConsumer(t, "d", "a = 2"));
            durable.close();
            context.createProducer().setProperty("a", 1).send(t, "old backlog");
            JMSConsumer replaced = context.createSharedDurableConsumer(t, "d", "a = 2");
            assertNull(replaced.receive(ABSENT_MS), "the old subscription and its backlog are gone");
            context.createProducer().setProperty("a", 2).send(t, "new");
            assertEquals("new", replaced.receiveBody(String.class, WAIT_MS));
            replaced.close();
            context.unsubscribe("d");
        }
    }

    @Test
    void unsharedDurableConsumersNeedAClientIdAndSubscriptionsNeedATopic() {
        try (JMSContext context = factory().createContext()) {
            Topic t = context.createTopic("t");
            assertThrows(IllegalStateRuntimeException.class, () -> context.createDurableConsumer(t, "d"));
            assertThrows(InvalidDestinationRuntimeException.class, () -> context.createSharedConsumer(null, "s"));
            assertThrows(InvalidDestinationRuntimeException.class, () -> context.createSharedDurableConsumer(null, "s"));
        }
    }

    @Test
    void anUnsharedDurableSubscriptionAllowsOneActiveConsumer() {
        try (JMSContext context = factory().createContext()) {
            context.setClientID("cid");
            Topic t = context.createTopic("t");
            JMSConsumer first = context.createDurableConsumer(t, "only");
            assertThrows(JMSRuntimeException.class, () -> context.createDurableConsumer(t, "only"));
            first.close();
            context.createDurableConsumer(t, "only").close();
            context.unsubscribe("only");
        }
    }

    private static void sendNumbered(JMSContext context, Topic t) {
        JMSProducer producer = context.createProducer();
        for (int i = 0; i < COUNT; i++) {
            producer.send(t, "m" + i);
        }
    }

    /** Every message arrives at exactly one consumer, and every consumer gets some. */
    private static void assertSplitExactlyOnce(List<JMSConsumer> consumers) {
        Set<String> seen = new HashSet<>();
        List<Integer> perConsumer = new ArrayList<>();
        consumers.forEach(c -> perConsumer.add(0));
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (seen.size() < COUNT && System.currentTimeMillis() < deadline) {
            for (int i = 0; i < consumers.size(); i++) {
                String body = consumers.get(i).receiveBodyNoWait(String.class);
                if (body != null) {
                    assertTrue(seen.add(body), "duplicate " + body);
                    perConsumer.set(i, perConsumer.get(i) + 1);
                }
            }
        }
        for (JMSConsumer consumer : consumers) {
            assertNull(consumer.receive(ABSENT_MS / consumers.size()));
        }
        assertEquals(COUNT, seen.size());
        assertTrue(perConsumer.stream().allMatch(n -> n > 0), "every consumer shares the work: " + perConsumer);
    }
}
