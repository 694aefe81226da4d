package dev.courier.jms;

import static dev.courier.jms.SessionTestSupport.async;
import static dev.courier.jms.SessionTestSupport.await;
import static dev.courier.jms.SessionTestSupport.receive;
import static dev.courier.jms.SessionTestSupport.sendTexts;
import static dev.courier.jms.SessionTestSupport.text;
import static dev.courier.jms.SessionTestSupport.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Several consumers on one queue; ordering by producer and by priority. */
@AllTransports
class CompetingConsumersTest extends BrokerFixture {

    @Test
    void twoConsumersWithWindowOneBothGetMessages() throws Exception {
        try (Connection c = factory("consumerWindow=1").createConnection()) {
            Session s1 = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session s2 = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer a = s1.createConsumer(s1.createQueue("q"));
            MessageConsumer b = s2.createConsumer(s2.createQueue("q"));
            c.start();
            sendTexts(c, "q", "m", 10);
            List<String> gotA = new ArrayList<>();
            List<String> gotB = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                gotA.add(text(a.receive(WAIT_MS)));
                gotB.add(text(b.receive(WAIT_MS)));
            }
            assertNull(a.receive(ABSENT_MS));
            assertNull(b.receiveNoWait());
            Set<String> all = new java.util.TreeSet<>(gotA);
            all.addAll(gotB);
            assertEquals(10, all.size(), "duplicates: A=" + gotA + " B=" + gotB);
        }
    }

    @Test
    void listenersOnTwoConnectionsWithWindowOneShareTheLoad() throws Exception {
        Map<String, AtomicInteger> perConsumer = new ConcurrentHashMap<>();
        CountDownLatch all = new CountDownLatch(20);
        try (Connection c1 = factory("consumerWindow=1").createConnection();
             Connection c2 = factory("consumerWindow=1").createConnection()) {
            for (Connection c : List.of(c1, c2)) {
                String name = c == c1 ? "A" : "B";
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                s.createConsumer(s.createQueue("q")).setMessageListener(m -> {
                    perConsumer.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
                    all.countDown();
                });
                c.start();
            }
            sendTexts(c1, "q", "m", 20);
            assertTrue(all.await(WAIT_MS, TimeUnit.MILLISECONDS));
        }
        assertEquals(Set.of("A", "B"), perConsumer.keySet(), "only " + perConsumer + " got messages");
    }

    /** 1000 messages, 4 consumers on 4 connections: each message is delivered to exactly one of them, once. */
    @Test
    void everyMessageIsDeliveredExactlyOnceAcrossFourConnections() throws Exception {
        int total = 1000;
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<String> duplicates = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(total);
        List<Connection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                Connection c = factory().createConnection();
                connections.add(c);
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                s.createConsumer(s.createQueue("q")).setMessageListener(m -> {
                    try {
                        if (!seen.add(text(m))) {
                            duplicates.add(text(m));
                        }
                    } catch (JMSException e) {
                        duplicates.add("unreadable: " + e);
                    }
                    all.countDown();
                });
                c.start();
            }
            Connection sender = factory().createConnection();
            connections.add(sender);
            List<Future<Void>> senders = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                String prefix = "p" + p + "-";
                senders.add(async("sender-" + p, () -> {
                    sendTexts(sender, "q", prefix, total / 4);
                    return null;
                }));
            }
            for (Future<Void> f : senders) {
                await(f, WAIT_MS, "sending");
            }
            assertTrue(all.await(WAIT_MS, TimeUnit.MILLISECONDS), "only " + seen.size() + " of " + total + " arrived");
        } finally {
            for (Connection c : connections) {
                c.close();
            }
        }
        assertEquals(List.of(), duplicates);
        assertEquals(total, seen.size());
    }

    @Test
    void everyMessageIsReceivedExactlyOnceBySynchronousConsumersOnFourConnections() throws Exception {
        int total = 1000;
        try (Connection sender = factory().createConnection()) {
            sendTexts(sender, "q", "m", total);
        }
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<String> duplicates = new CopyOnWriteArrayList<>();
        List<Future<Integer>> consumers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            consumers.add(async("consumer-" + i, () -> {
                int count = 0;
                try (Connection c = factory("consumerWindow=10").createConnection()) {
                    Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
                    c.start();
                    Message m;
                    while ((m = consumer.receive(ABSENT_MS)) != null) {
                        if (!seen.add(text(m))) {
                            duplicates.add(text(m));
                        }
                        count++;
                    }
                }
                return count;
            }));
        }
        int sum = 0;
        for (Future<Integer> f : consumers) {
            sum += await(f, WAIT_MS, "consumer");
        }
        assertEquals(List.of(), duplicates);
        assertEquals(total, seen.size());
        assertEquals(total, sum);
    }

    @Test
    void singleConsumerSeesEachProducersMessagesInSendOrder() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s1 = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session s2 = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p1 = s1.createProducer(s1.createQueue("q"));
            MessageProducer p2 = s2.createProducer(s2.createQueue("q"));
            for (int i = 1; i <= 50; i++) {
                p1.send(s1.createTextMessage("a" + i));
                p2.send(s2.createTextMessage("b" + i));
            }
            Session r = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = r.createConsumer(r.createQueue("q"));
            c.start();
            int nextA = 1;
            int nextB = 1;
            for (String t : texts(receive(consumer, 100, WAIT_MS))) {
                if (t.startsWith("a")) {
                    assertEquals("a" + nextA++, t);
                } else {
                    assertEquals("b" + nextB++, t);
                }
            }
        }
    }

    /** Spec 3.4.10: priority 0-4 normal, 5-9 expedited; a provider "should do its best" to deliver higher first. */
    @Test
    void messagesWaitingBeforeConsumerArrivesAreReceivedHighestPriorityFirstFifoWithin() throws Exception {
        int[] priorities = {4, 9, 0, 4, 9, 7, 0, 7, 4};
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("q"));
            for (int i = 0; i < priorities.length; i++) {
                p.send(s.createTextMessage(priorities[i] + "-" + i), DeliveryMode.PERSISTENT, priorities[i], 0);
            }
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            assertEquals(List.of("9-1", "9-4", "7-5", "7-7", "4-0", "4-3", "4-8", "0-2", "0-6"),
                    texts(receive(consumer, priorities.length, WAIT_MS)));
        }
    }

    @Test
    void priorityOrderHoldsWithConsumerWindowZero() throws Exception {
        try (Connection c = factory("consumerWindow=0").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("q"));
            p.send(s.createTextMessage("low"), DeliveryMode.PERSISTENT, 1, 0);
            p.send(s.createTextMessage("high"), DeliveryMode.PERSISTENT, 8, 0);
            p.send(s.createTextMessage("mid"), DeliveryMode.PERSISTENT, 5, 0);
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            assertEquals(List.of("high", "mid", "low"), texts(receive(consumer, 3, WAIT_MS)));
        }
    }

    @Test
    void receivedMessageCarriesItsPriority() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("q"));
            p.setPriority(7);
            p.send(s.createTextMessage("x"));
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            assertEquals(7, consumer.receive(WAIT_MS).getJMSPriority());
        }
    }

    /**
     * consumerWindow=0 means "fetch on receive": a consumer holds no message it has not asked for.
     * After its receive(timeout) has returned null it must not keep a message that arrives later,
     * out of reach of a competing consumer that is receiving.
     */
    @Test
    void windowZeroConsumerWhoseReceiveTimedOutDoesNotHoldBackLaterMessages() throws Exception {
        try (Connection c = factory("consumerWindow=0").createConnection()) {
            Session s1 = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session s2 = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer idle = s1.createConsumer(s1.createQueue("q"));
            MessageConsumer busy = s2.createConsumer(s2.createQueue("q"));
            c.start();
            assertNull(idle.receive(50));
            assertNull(idle.receiveNoWait());
            sendTexts(c, "q", "m", 1);
            assertEquals("m1", text(busy.receive(WAIT_MS)), "the message went to the consumer that stopped receiving");
        }
    }
}
