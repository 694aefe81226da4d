package dev.courier.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.jms.Connection;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Selectors deciding where messages go, end to end over queues and topics. */
@AllTransports
class SelectorRoutingTest extends BrokerFixture {

    @Test
    void queueConsumersGetOnlyWhatTheirSelectorsMatch() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            Queue q = s.createQueue("orders");
            MessageConsumer eu = s.createConsumer(q, "region = 'EU'");
            MessageConsumer us = s.createConsumer(q, "region = 'US' AND amount > 100");
            c.start();
            MessageProducer p = s.createProducer(q);
            p.send(message(s, "eu-1", "EU", 5));
            p.send(message(s, "us-small", "US", 50));
            p.send(message(s, "us-big", "US", 500));
            p.send(message(s, "eu-2", "EU", 1000));
            assertEquals("eu-1", text(eu.receive(WAIT_MS)));
            assertEquals("eu-2", text(eu.receive(WAIT_MS)));
            assertEquals("us-big", text(us.receive(WAIT_MS)));
            assertNull(eu.receive(ABSENT_MS));
            assertNull(us.receive(ABSENT_MS));
        }
    }

    @Test
    void aMessageNobodyMatchesStaysBrowsableAndDoesNotBlockTheOnesBehindIt() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            Queue q = s.createQueue("orders");
            MessageProducer p = s.createProducer(q);
            p.send(message(s, "unwanted", "APAC", 1));
            p.send(message(s, "wanted-1", "EU", 1));
            p.send(message(s, "wanted-2", "EU", 2));
            MessageConsumer eu = s.createConsumer(q, "region = 'EU'");
            c.start();
            assertEquals("wanted-1", text(eu.receive(WAIT_MS)));
            assertEquals("wanted-2", text(eu.receive(WAIT_MS)));
            QueueBrowser browser = s.createBrowser(q);
            List<String> left = new ArrayList<>();
            for (var e = browser.getEnumeration(); e.hasMoreElements(); ) {
                left.add(text((Message) e.nextElement()));
            }
            assertEquals(List.of("unwanted"), left);
            assertEquals("unwanted", text(s.createConsumer(q).receive(WAIT_MS)));
        }
    }

    @Test
    void manyIndexedTopicSubscriptionsEachGetTheirOwnKey() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            Topic t = s.createTopic("keys");
            int subscribers = 50;
            List<MessageConsumer> consumers = new ArrayList<>();
            for (int i = 0; i < subscribers; i++) {
                consumers.add(s.createConsumer(t, "routing_key = 'k" + i + "'"));
            }
            MessageConsumer evenOnes = s.createConsumer(t, "routing_key IN ('k0', 'k2')");
            MessageConsumer all = s.createConsumer(t);
            c.start();
            MessageProducer p = s.createProducer(t);
            for (int i = 0; i < subscribers; i++) {
                TextMessage m = s.createTextMessage("for k" + i);
                m.setStringProperty("routing_key", "k" + i);
                p.send(m);
            }
            for (int i = 0; i < subscribers; i++) {
                assertEquals("for k" + i, text(consumers.get(i).receive(WAIT_MS)));
                assertEquals("for k" + i, text(all.receive(WAIT_MS)));
            }
            assertEquals("for k0", text(evenOnes.receive(WAIT_MS)));
            assertEquals("for k2", text(evenOnes.receive(WAIT_MS)));
            assertNull(evenOnes.receive(ABSENT_MS));
            for (MessageConsumer consumer : consumers) {
                assertNull(consumer.receiveNoWait());
            }
        }
    }

    @Test
    void numericEqualityMatchesAcrossNumericTypes() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            Topic t = s.createTopic("numbers");
            MessageConsumer seven = s.createConsumer(t, "n = 7");
            c.start();
            MessageProducer p = s.createProducer(t);
            TextMessage asInt = s.createTextMessage("int");
            asInt.setIntProperty("n", 7);
            TextMessage asDouble = s.createTextMessage("double");
            asDouble.setDoubleProperty("n", 7.0);
            TextMessage asString = s.createTextMessage("string");
            asString.setStringProperty("n", "7");
            p.send(asInt);
            p.send(asDouble);
            p.send(asString);
            assertEquals("int", text(seven.receive(WAIT_MS)));
            assertEquals("double", text(seven.receive(WAIT_MS)));
            assertNull(seven.receive(ABSENT_MS), "a string property never equals a number");
        }
    }

    @Test
    void headerSelectorsWork() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            Queue q = s.createQueue("q");
            MessageConsumer urgent = s.createConsumer(q, "JMSPriority > 6 AND JMSType = 'alert'");
            c.start();
            MessageProducer p = s.createProducer(q);
            TextMessage low = s.createTextMessage("low");
            low.setJMSType("alert");
            p.send(low);
            TextMessage high = s.createTextMessage("high");
            high.setJMSType("alert");
            p.send(high, jakarta.jms.DeliveryMode.PERSISTENT, 9, 0);
            assertEquals("high", text(urgent.receive(WAIT_MS)));
            assertNull(urgent.receive(ABSENT_MS));
        }
    }

    @Test
    void invalidSelectorsAreRefusedWhenTheConsumerIsCreated() throws Exception {
        try (Connection c = factory().createConnection()) {
            c.setClientID("cid");
            Session s = c.createSession();
            assertThrows(InvalidSelectorException.class, () -> s.createConsumer(s.createQueue("q"), "a = "));
            assertThrows(InvalidSelectorException.class, () -> s.createConsumer(s.createTopic("t"), "JMSDestination = 'x'"));
            assertThrows(InvalidSelectorException.class,
                    () -> s.createDurableSubscriber(s.createTopic("t"), "d", "x LIKE 3", false));
        }
    }

    @Test
    void durableSubscriptionFiltersItsBacklogWithItsSelector() throws Exception {
        try (Connection c = factory().createConnection()) {
            c.setClientID("cid");
            Session s = c.createSession();
            Topic t = s.createTopic("t");
            s.createDurableSubscriber(t, "eu-only", "region = 'EU'", false).close();
            MessageProducer p = s.createProducer(t);
            p.send(message(s, "us", "US", 1));
            p.send(message(s, "eu", "EU", 1));
            MessageConsumer sub = s.createDurableSubscriber(t, "eu-only", "region = 'EU'", false);
            c.start();
            assertEquals("eu", text(sub.receive(WAIT_MS)));
            assertNull(sub.receive(ABSENT_MS));
        }
    }

    private static TextMessage message(Session s, String text, String region, int amount) throws Exception {
        TextMessage m = s.createTextMessage(text);
        m.setStringProperty("region", region);
        m.setIntProperty("amount", amount);
        return m;
    }

    private static String text(Message m) throws Exception {
        return m == null ? null : ((TextMessage) m).getText();
    }
}
