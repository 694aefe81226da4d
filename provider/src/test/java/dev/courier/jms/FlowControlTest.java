package dev.courier.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.broker.QueueStats;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Producer flow control on a broker that keeps messages in memory only, so nothing can be paged:
 * at the memory bound (64 KiB here) a producer waits, over {@code vm://} in its own thread and
 * over {@code tcp://} for the broker's late answer, until a consumer makes room or its
 * connection closes.
 */
@AllTransports
class FlowControlTest extends BrokerFixture {

    private static final long BOUND = 64 * 1024;
    private static final String PADDING = "x".repeat(1000);

    private String options() {
        return "maxQueueMemory=64k";
    }

    /** Sends {@code count} messages on its own connection, counting the sends that returned. */
    private final class Producer extends Thread {
        final Connection connection;
        final Session session;
        final MessageProducer producer;
        final int count;
        final AtomicInteger sent = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Producer(String destination, boolean topic, int deliveryMode, int count) throws JMSException {
            this.connection = factory(options()).createConnection();
            this.session = connection.createSession();
            this.producer = session.createProducer(topic ? session.createTopic(destination) : session.createQueue(destination));
            producer.setDeliveryMode(deliveryMode);
            this.count = count;
        }

        /** Closes the producer's connection on another thread, recording a failure. */
        Thread closeInBackground() {
            Thread closer = new Thread(() -> {
                try {
                    connection.close();
                } catch (JMSException e) {
                    failure.compareAndSet(null, e);
                }
            });
            closer.start();
            return closer;
        }

        @Override
        public void run() {
            try {
                for (int i = 0; i < count; i++) {
                    producer.send(session.createTextMessage(i + ":" + PADDING));
                    sent.incrementAndGet();
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        }
    }

    /** Waits (bounded) until the broker holds a send back for room. */
    private void awaitBlocked() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_MS * 1_000_000L;
        while (broker().waitingSends() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(1, broker().waitingSends(), "no send is waiting for room");
    }

    private void assertWithinBound(QueueStats stats) {
        assertTrue(stats.memoryBytes() <= BOUND + 2048, "memory " + stats.memoryBytes() + " over the bound " + BOUND);
    }

    @Test
    void aProducerWaitsAtTheBoundUntilAConsumerMakesRoom() throws Exception {
        int total = 200; // about 200 KiB: three times the bound
        // Persistent messages on a memory-only broker cannot be paged, and their send waits for
        // the broker's answer over both transports.
        Producer producer = new Producer("q", false, DeliveryMode.PERSISTENT, total);
        try (Connection consumerConnection = factory(options()).createConnection()) {
            producer.start();
            awaitBlocked();
            int sentWhileBlocked = producer.sent.get();
            assertTrue(sentWhileBlocked < total, "all " + total + " sends returned");
            assertWithinBound(broker().queueStats("q"));
            assertEquals(sentWhileBlocked, broker().queueStats("q").depth());

            Session s = consumerConnection.createSession();
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            consumerConnection.start();
            for (int i = 0; i < total; i++) {
                TextMessage m = (TextMessage) consumer.receive(WAIT_MS);
                assertNotNull(m, "message " + i + " did not arrive");
                assertEquals(i + ":" + PADDING, m.getText());
                assertWithinBound(broker().queueStats("q"));
            }
            producer.join(WAIT_MS);
            assertFalse(producer.isAlive());
            assertNull(producer.failure.get());
            assertEquals(total, producer.sent.get());
        } finally {
            producer.connection.close();
        }
    }

    @Test
    void closingTheConnectionReleasesABlockedProducer() throws Exception {
        Producer producer = new Producer("q", false, DeliveryMode.PERSISTENT, 1000);
        producer.start();
        awaitBlocked();

        Thread closer = producer.closeInBackground();
        closer.join(WAIT_MS);
        assertFalse(closer.isAlive(), "close() hangs behind the blocked send");
        producer.join(WAIT_MS);
        assertFalse(producer.isAlive(), "the blocked send was not released");
        assertInstanceOf(JMSException.class, producer.failure.get());
        assertTrue(producer.sent.get() < 1000);
        assertEquals(0, broker().waitingSends());
    }

    /**
     * A non-persistent producer does not wait for answers, so over TCP its requests pile up behind
     * the held send until the broker stops reading the connection; close() must still return.
     */
    @Test
    void closingReleasesAFastNonPersistentProducerWhoseRequestsPiledUp() throws Exception {
        Producer producer = new Producer("q", false, DeliveryMode.NON_PERSISTENT, 40_000); // 40 MiB
        producer.start();
        awaitBlocked();
        if (!"vm".equals(transport)) {
            // Over 8 MiB sent: the broker has stopped reading, and later frames wait in the socket.
            long deadline = System.nanoTime() + WAIT_MS * 1_000_000L;
            while (producer.sent.get() < 8_000 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(producer.sent.get() >= 8_000, "only " + producer.sent.get() + " sends returned");
        }

        Thread closer = producer.closeInBackground();
        // Over TCP the client gives the stuck broker a few seconds before dropping the connection.
        closer.join(3 * WAIT_MS);
        assertFalse(closer.isAlive(), "close() hangs behind the piled-up sends");
        producer.join(WAIT_MS);
        assertFalse(producer.isAlive(), "the producer was not released");
        assertTrue(producer.sent.get() < 40_000);
        assertWithinBound(broker().queueStats("q"));
    }

    @Test
    void closingTheConnectionCompletesABlockedAsynchronousSendWithAnException() throws Exception {
        Connection connection = factory(options()).createConnection();
        Session session = connection.createSession();
        MessageProducer producer = session.createProducer(session.createQueue("q"));
        CountDownLatch failed = new CountDownLatch(1);
        AtomicInteger completed = new AtomicInteger();
        CompletionListener listener = new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                completed.incrementAndGet();
            }

            @Override
            public void onException(Message message, Exception exception) {
                failed.countDown();
            }
        };
        for (int i = 0; i < 200 && broker().waitingSends() == 0; i++) {
            producer.send(session.createTextMessage(i + ":" + PADDING), listener);
        }
        awaitBlocked();

        Thread closer = new Thread(() -> {
            try {
                connection.close();
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
        });
        closer.start();
        closer.join(WAIT_MS);
        assertFalse(closer.isAlive(), "close() hangs behind the blocked asynchronous send");
        assertTrue(failed.await(WAIT_MS, TimeUnit.MILLISECONDS), "the blocked send's listener was not told");
        assertTrue(completed.get() > 0);
    }

    @Test
    void aTopicPublisherWaitsWhileASubscriptionItPublishesToIsFull() throws Exception {
        int total = 150;
        try (Connection subscriberConnection = factory(options()).createConnection()) {
            Session s = subscriberConnection.createSession();
            Topic topic = s.createTopic("news");
            MessageConsumer slow = s.createConsumer(topic);
            Producer producer = new Producer("news", true, DeliveryMode.PERSISTENT, total);
            try {
                producer.start();
                awaitBlocked();
                assertTrue(producer.sent.get() < total);

                subscriberConnection.start();
                for (int i = 0; i < total; i++) {
                    TextMessage m = (TextMessage) slow.receive(WAIT_MS);
                    assertNotNull(m, "message " + i + " did not arrive");
                    assertEquals(i + ":" + PADDING, m.getText());
                }
                producer.join(WAIT_MS);
                assertFalse(producer.isAlive());
                assertNull(producer.failure.get());
            } finally {
                producer.connection.close();
            }
        }
    }

    @Test
    void aNonPersistentFloodNeverHoldsMoreThanTheBoundAndArrivesInOrder() throws Exception {
        int total = 3000; // about 3 MiB against a 64 KiB bound
        Producer producer = new Producer("q", false, DeliveryMode.NON_PERSISTENT, total);
        try (Connection consumerConnection = factory(options()).createConnection()) {
            producer.start();
            Session s = consumerConnection.createSession();
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            consumerConnection.start();
            for (int i = 0; i < total; i++) {
                TextMessage m = (TextMessage) consumer.receive(WAIT_MS);
                assertNotNull(m, "message " + i + " did not arrive");
                assertEquals(i + ":" + PADDING, m.getText());
                if (i % 100 == 0) {
                    assertWithinBound(broker().queueStats("q"));
                }
            }
            producer.join(WAIT_MS);
            assertNull(producer.failure.get());
        } finally {
            producer.connection.close();
        }
    }
}
