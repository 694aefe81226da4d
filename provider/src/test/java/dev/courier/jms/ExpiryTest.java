package dev.courier.jms;

import static dev.courier.jms.SessionTestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.util.Collections;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Message expiry (spec 3.4.9): an expired message should not be delivered; TTL 0 means never. */
@AllTransports
class ExpiryTest extends BrokerFixture {

    private static final long SHORT_TTL = 50;

    /** Sleeps (bounded) until the wall clock has passed {@code expiration}; the clock decides, not the sleep. */
    private static void waitUntilPast(long expiration) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (System.currentTimeMillis() <= expiration) {
            assertTrue(System.currentTimeMillis() < deadline, "clock did not advance");
            Thread.sleep(Math.max(1, expiration - System.currentTimeMillis() + 1));
        }
    }

    /** Sends one message with the given TTL and returns its JMSExpiration. */
    private static long send(Session s, String queue, String body, long ttl) throws Exception {
        MessageProducer p = s.createProducer(s.createQueue(queue));
        Message m = s.createTextMessage(body);
        p.send(m, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY, ttl);
        return m.getJMSExpiration();
    }

    @Test
    void expirationIsSendTimePlusTimeToLive() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            MessageProducer p = s.createProducer(s.createQueue("q"));
            Message m = s.createTextMessage("x");
            p.send(m, DeliveryMode.PERSISTENT, 4, 60_000);
            assertEquals(m.getJMSTimestamp() + 60_000, m.getJMSExpiration());
            Message zero = s.createTextMessage("y");
            p.send(zero, DeliveryMode.PERSISTENT, 4, 0);
            assertEquals(0, zero.getJMSExpiration());
        }
    }

    @Test
    void messageThatExpiresBeforeAConsumerArrivesIsNeverDelivered() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            long expiration = send(s, "q", "short-lived", SHORT_TTL);
            send(s, "q", "forever", 0);
            waitUntilPast(expiration);
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            assertEquals("forever", text(consumer.receive(WAIT_MS)));
            assertNull(consumer.receive(ABSENT_MS), "an expired message was delivered");
        }
    }

    @Test
    void expiredMessageIsNotDeliveredToAListener() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            long expiration = send(s, "q", "short-lived", SHORT_TTL);
            send(s, "q", "forever", 0);
            waitUntilPast(expiration);
            s.createConsumer(s.createQueue("q")).setMessageListener(m -> {
                try {
                    seen.add(text(m));
                } catch (Exception e) {
                    seen.add("failed: " + e);
                }
            });
            c.start();
            assertEquals("forever", seen.poll(WAIT_MS, TimeUnit.MILLISECONDS));
            assertNull(seen.poll(ABSENT_MS, TimeUnit.MILLISECONDS));
        }
    }

    /** The consumer already holds the message in its prefetch buffer when it expires. */
    @Test
    void prefetchedMessageThatExpiresBeforeReceiveIsNotDelivered() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            MessageConsumer consumer = s.createConsumer(s.createQueue("q")); // connection not started yet
            long expiration = send(s, "q", "short-lived", SHORT_TTL);
            send(s, "q", "forever", 0);
            waitUntilPast(expiration);
            c.start();
            assertEquals("forever", text(consumer.receive(WAIT_MS)));
            assertNull(consumer.receive(ABSENT_MS));
        }
    }

    @Test
    void expiredMessageIsNotRedeliveredAfterRollback() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = tx.createConsumer(tx.createQueue("q"));
            c.start();
            Session s = c.createSession();
            long expiration = send(s, "q", "short-lived", 300);
            Message m = consumer.receive(WAIT_MS);
            assertNotNull(m);
            waitUntilPast(expiration);
            tx.rollback();
            assertNull(consumer.receive(ABSENT_MS), "an expired message was redelivered after rollback");
            tx.commit();
        }
    }

    @Test
    void messageWithTimeToLiveZeroDoesNotExpire() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            send(s, "q", "forever", 0);
            long sentAt = System.currentTimeMillis();
            long shortExpiration = send(s, "other", "short-lived", SHORT_TTL);
            waitUntilPast(Math.max(shortExpiration, sentAt + 2 * SHORT_TTL));
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            Message m = consumer.receive(WAIT_MS);
            assertEquals("forever", text(m));
            assertEquals(0, m.getJMSExpiration());
        }
    }

    @Test
    void browserDoesNotShowExpiredMessages() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            long expiration = send(s, "q", "short-lived", SHORT_TTL);
            send(s, "q", "forever", 0);
            waitUntilPast(expiration);
            QueueBrowser browser = s.createBrowser(s.createQueue("q"));
            var shown = Collections.list(browser.getEnumeration());
            assertEquals(1, shown.size());
            assertEquals("forever", text((Message) shown.get(0)));
        }
    }
}
