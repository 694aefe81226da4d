package dev.courier.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicRequestor;
import jakarta.jms.TopicSession;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Rules the Jakarta Messaging TCK checks, kept here so every build checks them too. */
@AllTransports
class ConsumerRulesTest extends BrokerFixture {

    @Test
    void aConsumerOnAStoppedConnectionDoesNotHoldMessagesFromAStartedOne() throws Exception {
        try (Connection stopped = factory().createConnection(); Connection started = factory().createConnection()) {
            Session idle = stopped.createSession();
            Queue q = idle.createQueue("q");
            idle.createConsumer(q);
            Session s = started.createSession();
            MessageConsumer active = s.createConsumer(q);
            started.start();
            s.createProducer(q).send(s.createTextMessage("for the started one"));
            Message m = active.receive(WAIT_MS);
            assertNotNull(m, "the message went to the consumer of the stopped connection");
        }
    }

    @Test
    void stoppingAConnectionReturnsWhatItsConsumersHadPrefetched() throws Exception {
        try (Connection first = factory().createConnection(); Connection second = factory().createConnection()) {
            Session s1 = first.createSession();
            Queue q = s1.createQueue("q");
            MessageConsumer prefetching = s1.createConsumer(q);
            first.start();
            for (int i = 0; i < 5; i++) {
                s1.createProducer(q).send(s1.createTextMessage("m" + i));
            }
            assertEquals("m0", ((TextMessage) prefetching.receive(WAIT_MS)).getText());
            first.stop();
            Session s2 = second.createSession();
            MessageConsumer other = s2.createConsumer(q);
            second.start();
            List<String> rest = new ArrayList<>();
            for (int i = 1; i < 5; i++) {
                TextMessage m = (TextMessage) other.receive(WAIT_MS);
                assertNotNull(m, "message m" + i + " stayed with the stopped connection");
                rest.add(m.getText());
                assertFalse(m.getJMSRedelivered(), "only prefetched, never delivered");
            }
            assertEquals(List.of("m1", "m2", "m3", "m4"), rest);
        }
    }

    @Test
    void recoverInsideAnAutoAcknowledgeListenerRedeliversTheCurrentMessage() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("q");
            List<String> seen = new ArrayList<>();
            CountDownLatch twice = new CountDownLatch(2);
            AtomicReference<Exception> failure = new AtomicReference<>();
            s.createConsumer(q).setMessageListener(m -> {
                try {
                    seen.add(((TextMessage) m).getText() + (m.getJMSRedelivered() ? "/redelivered" : ""));
                    if (!m.getJMSRedelivered()) {
                        s.recover();
                    }
                } catch (Exception e) {
                    failure.set(e);
                }
                twice.countDown();
            });
            s.createProducer(q).send(s.createTextMessage("m"));
            c.start();
            assertTrue(twice.await(WAIT_MS, TimeUnit.MILLISECONDS), "not redelivered after recover: " + seen);
            assertEquals(null, failure.get());
            assertEquals(List.of("m", "m/redelivered"), seen);
        }
    }

    @Test
    void aTemporaryTopicCanBeDeletedOnceItsConsumersAreClosed() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            TemporaryTopic t = s.createTemporaryTopic();
            MessageConsumer consumer = s.createConsumer(t);
            assertThrows(jakarta.jms.JMSException.class, t::delete);
            consumer.close();
            t.delete();
        }
    }

    @Test
    void topicRequestorGetsItsReplyAndCloses() throws Exception {
        try (TopicConnection c = factory().createTopicConnection()) {
            TopicSession service = c.createTopicSession(false, Session.AUTO_ACKNOWLEDGE);
            service.createSubscriber(service.createTopic("requests")).setMessageListener(request -> {
                try {
                    service.createPublisher(null).publish((jakarta.jms.Topic) request.getJMSReplyTo(),
                            service.createTextMessage("pong"));
                } catch (jakarta.jms.JMSException e) {
                    throw new java.lang.IllegalStateException(e);
                }
            });
            c.start();
            TopicSession client = c.createTopicSession(false, Session.AUTO_ACKNOWLEDGE);
            TopicRequestor requestor = new TopicRequestor(client, client.createTopic("requests"));
            assertEquals("pong", ((TextMessage) requestor.request(client.createTextMessage("ping"))).getText());
            requestor.close();
        }
    }

    @Test
    void aListenerMayNotStopItsOwnConnection() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            Queue q = s.createQueue("q");
            AtomicReference<Exception> outcome = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);
            s.createConsumer(q).setMessageListener(m -> {
                try {
                    c.stop();
                } catch (Exception e) {
                    outcome.set(e);
                }
                done.countDown();
            });
            s.createProducer(q).send(s.createTextMessage("m"));
            c.start();
            assertTrue(done.await(WAIT_MS, TimeUnit.MILLISECONDS));
            assertTrue(outcome.get() instanceof IllegalStateException, "got " + outcome.get());
        }
    }
}
