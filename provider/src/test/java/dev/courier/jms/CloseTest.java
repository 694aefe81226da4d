package dev.courier.jms;

import static dev.courier.jms.SessionTestSupport.async;
import static dev.courier.jms.SessionTestSupport.await;
import static dev.courier.jms.SessionTestSupport.courierThreads;
import static dev.courier.jms.SessionTestSupport.deliveryCount;
import static dev.courier.jms.SessionTestSupport.eventually;
import static dev.courier.jms.SessionTestSupport.receive;
import static dev.courier.jms.SessionTestSupport.sendTexts;
import static dev.courier.jms.SessionTestSupport.stillRunningAfter;
import static dev.courier.jms.SessionTestSupport.text;
import static dev.courier.jms.SessionTestSupport.texts;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueReceiver;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import jakarta.jms.TopicConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Closing consumers, sessions and connections: blocking, waiting, idempotence, and what is left behind. */
@AllTransports
class CloseTest extends BrokerFixture {

    private enum Closer { CONSUMER, SESSION, CONNECTION }

    private static void close(Closer what, Connection c, Session s, MessageConsumer consumer) throws JMSException {
        switch (what) {
            case CONSUMER -> consumer.close();
            case SESSION -> s.close();
            case CONNECTION -> c.close();
            default -> throw new AssertionError(what);
        }
    }

    private void assertQueueEmpty(String queue) throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            c.start();
            Message m = consumer.receive(ABSENT_MS);
            assertNull(m, () -> "expected " + queue + " to be empty but a message was left");
        }
    }

    // ---- close from another thread unblocks receive()

    /** MessageConsumer.close(): "A blocked message consumer receive call returns null when this message consumer is closed." */
    private void closeFromAnotherThreadUnblocksReceive(Closer what) throws Exception {
        Connection c = factory().createConnection();
        try {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            Future<Message> receive = async("receive", consumer::receive);
            assertTrue(stillRunningAfter(receive, ABSENT_MS), "receive() returned with nothing to receive");
            close(what, c, s, consumer);
            assertNull(await(receive, WAIT_MS, "receive() after " + what + " close"));
        } finally {
            c.close();
        }
    }

    @Test
    void consumerCloseFromAnotherThreadUnblocksReceive() throws Exception {
        closeFromAnotherThreadUnblocksReceive(Closer.CONSUMER);
    }

    @Test
    void sessionCloseFromAnotherThreadUnblocksReceive() throws Exception {
        closeFromAnotherThreadUnblocksReceive(Closer.SESSION);
    }

    @Test
    void connectionCloseFromAnotherThreadUnblocksReceive() throws Exception {
        closeFromAnotherThreadUnblocksReceive(Closer.CONNECTION);
    }

    @Test
    void closeUnblocksReceiveOnStoppedConnection() throws Exception {
        Connection c = factory().createConnection();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
        Future<Message> receive = async("receive", consumer::receive);
        assertTrue(stillRunningAfter(receive, ABSENT_MS));
        c.close();
        assertNull(await(receive, WAIT_MS, "receive() after connection close"));
    }

    // ---- close waits for a running listener

    /** close(): "This call blocks until a receive or message listener in progress has completed." */
    private void closeWaitsForRunningListener(Closer what) throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch left = new CountDownLatch(1);
        Connection c = factory().createConnection();
        try {
            sendTexts(c, "q", "m", 1);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            consumer.setMessageListener(m -> {
                entered.countDown();
                try {
                    release.await(WAIT_MS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                left.countDown();
            });
            c.start();
            assertTrue(entered.await(WAIT_MS, TimeUnit.MILLISECONDS));
            Future<Void> closing = async("close", () -> {
                close(what, c, s, consumer);
                return null;
            });
            assertTrue(stillRunningAfter(closing, ABSENT_MS), what + " close returned while its listener was running");
            release.countDown();
            await(closing, WAIT_MS, what + " close");
            assertEquals(0, left.getCount(), "close returned before onMessage did");
        } finally {
            release.countDown();
            c.close();
        }
        assertQueueEmpty("q"); // AUTO: the message the listener finished is acknowledged
    }

    @Test
    void consumerCloseWaitsForRunningListener() throws Exception {
        closeWaitsForRunningListener(Closer.CONSUMER);
    }

    @Test
    void sessionCloseWaitsForRunningListener() throws Exception {
        closeWaitsForRunningListener(Closer.SESSION);
    }

    @Test
    void connectionCloseWaitsForRunningListener() throws Exception {
        closeWaitsForRunningListener(Closer.CONNECTION);
    }

    /**
     * Spec 6.1.8 (closing a connection) and 6.2.15 (closing a session): "If one or more of the
     * ... message listeners is processing a message at the point when ... close is invoked, all
     * the facilities of the [connection and its] session[s] must remain available to those
     * listeners until they return control to the JMS provider."
     */
    private void listenerKeepsFacilitiesWhileCloseWaits(Closer what) throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Throwable> listenerFailures = new CopyOnWriteArrayList<>();
        Connection c = factory().createConnection();
        try {
            sendTexts(c, "requests", "m", 1);
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("requests"));
            consumer.setMessageListener(m -> {
                entered.countDown();
                try {
                    release.await(WAIT_MS, TimeUnit.MILLISECONDS);
                    MessageProducer reply = s.createProducer(s.createQueue("replies"));
                    reply.send(s.createTextMessage("reply to " + text(m)));
                    m.acknowledge();
                } catch (Throwable t) {
                    listenerFailures.add(t);
                }
            });
            c.start();
            assertTrue(entered.await(WAIT_MS, TimeUnit.MILLISECONDS));
            Future<Void> closing = async("close", () -> {
                close(what, c, s, consumer);
                return null;
            });
            assertTrue(stillRunningAfter(closing, ABSENT_MS));
            release.countDown();
            await(closing, WAIT_MS, what + " close");
        } finally {
            release.countDown();
            c.close();
        }
        assertEquals(List.of(), listenerFailures.stream().map(String::valueOf).toList(),
                "the listener could not use its session while " + what + " close waited for it");
        assertQueueEmpty("requests");
        try (Connection c2 = factory().createConnection()) {
            Session s2 = c2.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer replies = s2.createConsumer(s2.createQueue("replies"));
            c2.start();
            assertEquals("reply to m1", text(replies.receive(WAIT_MS)));
        }
    }

    @Test
    void listenerKeepsSessionFacilitiesWhileSessionCloseWaits() throws Exception {
        listenerKeepsFacilitiesWhileCloseWaits(Closer.SESSION);
    }

    @Test
    void listenerKeepsConnectionFacilitiesWhileConnectionCloseWaits() throws Exception {
        listenerKeepsFacilitiesWhileCloseWaits(Closer.CONNECTION);
    }

    @Test
    void listenerKeepsSessionFacilitiesWhileConsumerCloseWaits() throws Exception {
        listenerKeepsFacilitiesWhileCloseWaits(Closer.CONSUMER);
    }

    // ---- close from inside the listener

    /**
     * MessageConsumer.close(): "This method may be called from a message listener's onMessage
     * method on its own consumer. After this method returns the onMessage method will be allowed
     * to complete normally." Session.close() and Connection.close() from the listener: "it will
     * either fail and throw a jakarta.jms.IllegalStateException, or it will succeed ... If close
     * succeeds and the session mode of the session is set to AUTO_ACKNOWLEDGE, the current message
     * will still be acknowledged automatically when the onMessage call completes."
     */
    private void closeFromInsideListener(Closer what) throws Exception {
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        AtomicReference<Thread> listenerThread = new AtomicReference<>();
        CountDownLatch returned = new CountDownLatch(1);
        Connection c = factory().createConnection();
        try {
            sendTexts(c, "q", "m", 2);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            consumer.setMessageListener(m -> {
                listenerThread.set(Thread.currentThread());
                try {
                    close(what, c, s, consumer);
                } catch (Throwable t) {
                    outcome.set(t);
                }
                returned.countDown();
            });
            c.start();
            assertTrue(returned.await(WAIT_MS, TimeUnit.MILLISECONDS), what + " close inside onMessage deadlocked");
            Throwable t = outcome.get();
            if (what == Closer.CONSUMER) {
                assertNull(t, "consumer.close() inside its own onMessage must succeed");
            } else {
                // Of the two behaviours JMS 3.1 allows, Courier refuses (as the TCK expects).
                assertTrue(t instanceof IllegalStateException, "expected IllegalStateException, got " + t);
            }
            if (what != Closer.CONNECTION) {
                // Let the listener thread finish the delivery before the connection closes, so this
                // test checks the session/consumer close alone (connectionCloseWaitsForListenerThatClosedItsOwnSession
                // covers the connection close racing with it). In-VM broker statistics: nothing in flight.
                assertTrue(eventually(WAIT_MS, () -> broker()
                        .queueStats("q").inFlight() == 0), "the current message stayed unsettled after onMessage returned");
            }
        } finally {
            // The listener's thread finishes the delivery (its automatic acknowledgement) after
            // onMessage returns; closing from here waits for that unless the connection is already closed.
            c.close();
            Thread listener = listenerThread.get();
            if (listener != null && what == Closer.CONNECTION) {
                listener.join(WAIT_MS);
                assertFalse(listener.isAlive(), "listener thread of a closed connection still alive");
            }
        }
        // m1 was acknowledged when onMessage returned. After a consumer close m2 was never
        // delivered; after a refused close the listener went on and may have had m2 as well.
        try (Connection c2 = factory().createConnection()) {
            Session s2 = c2.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer next = s2.createConsumer(s2.createQueue("q"));
            c2.start();
            Message m = next.receive(what == Closer.CONSUMER ? WAIT_MS : ABSENT_MS);
            if (what == Closer.CONSUMER || m != null) {
                assertEquals("m2", text(m), "the message being processed when " + what + " closed was not"
                        + " acknowledged (got it back with JMSRedelivered=" + m.getJMSRedelivered() + ")");
                assertFalse(m.getJMSRedelivered());
            }
            assertNull(next.receive(ABSENT_MS));
        }
    }

    @Test
    void consumerCloseFromItsOwnListenerSucceedsAndAcknowledgesCurrentMessage() throws Exception {
        closeFromInsideListener(Closer.CONSUMER);
    }

    @Test
    void sessionCloseFromItsOwnListenerIsRefusedAndTheMessageStillAcknowledged() throws Exception {
        closeFromInsideListener(Closer.SESSION);
    }

    @Test
    void connectionCloseFromItsOwnListenerIsRefusedAndTheMessageStillAcknowledged() throws Exception {
        closeFromInsideListener(Closer.CONNECTION);
    }

    /**
     * A listener closed its own session and is still inside onMessage. Connection.close() "must not
     * return until message processing has been shut down in an orderly fashion. This means that all
     * message listeners that may have been running have returned" -- including this one, whose
     * message must then be acknowledged (AUTO), not returned to the queue.
     */
    @Test
    void connectionCloseWaitsForListenerThatClosedItsOwnSession() throws Exception {
        CountDownLatch sessionClosed = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch left = new CountDownLatch(1);
        Connection c = factory().createConnection();
        try {
            sendTexts(c, "q", "m", 2);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createConsumer(s.createQueue("q")).setMessageListener(m -> {
                try {
                    s.close();
                } catch (JMSException e) {
                    // IllegalStateException is allowed; the session then stays open until c.close()
                }
                sessionClosed.countDown();
                try {
                    release.await(WAIT_MS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                left.countDown();
            });
            c.start();
            assertTrue(sessionClosed.await(WAIT_MS, TimeUnit.MILLISECONDS));
            Future<Void> closing = async("close", () -> {
                c.close();
                return null;
            });
            assertTrue(stillRunningAfter(closing, ABSENT_MS),
                    "connection close returned while a listener was still inside onMessage");
            release.countDown();
            await(closing, WAIT_MS, "connection close");
            assertEquals(0, left.getCount(), "connection close returned before onMessage did");
        } finally {
            release.countDown();
            c.close();
        }
        try (Connection c2 = factory().createConnection()) {
            Session s2 = c2.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer next = s2.createConsumer(s2.createQueue("q"));
            c2.start();
            Message m = next.receive(WAIT_MS);
            assertEquals("m2", text(m), "m1 came back (JMSRedelivered=" + m.getJMSRedelivered()
                    + ") although its listener returned normally in AUTO mode");
        }
    }

    /** Session.close() "blocks until a receive or message listener in progress has completed" -- on every call. */
    @Test
    void secondSessionCloseAlsoWaitsForRunningListener() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Connection c = factory().createConnection();
        try {
            sendTexts(c, "q", "m", 1);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createConsumer(s.createQueue("q")).setMessageListener(m -> {
                entered.countDown();
                try {
                    release.await(WAIT_MS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            c.start();
            assertTrue(entered.await(WAIT_MS, TimeUnit.MILLISECONDS));
            Future<Void> first = async("close-1", () -> {
                s.close();
                return null;
            });
            assertTrue(stillRunningAfter(first, ABSENT_MS));
            Future<Void> second = async("close-2", () -> {
                s.close();
                return null;
            });
            assertTrue(stillRunningAfter(second, ABSENT_MS),
                    "a second session.close() returned while the listener was still running");
            release.countDown();
            await(first, WAIT_MS, "first close");
            await(second, WAIT_MS, "second close");
        } finally {
            release.countDown();
            c.close();
        }
    }

    // ---- closed objects refuse every call (except close)

    private static void assertAllThrowIllegalState(String object, Map<String, Executable> calls) {
        List<Executable> checks = new ArrayList<>();
        calls.forEach((name, call) -> checks.add(() -> {
            try {
                call.execute();
            } catch (IllegalStateException expected) {
                return;
            } catch (Throwable other) {
                throw new AssertionError(object + "." + name + " threw " + other + " instead of IllegalStateException", other);
            }
            throw new AssertionError(object + "." + name + " did not throw IllegalStateException");
        }));
        assertAll(object, checks.stream());
    }

    private static Map<String, Executable> connectionCalls(Connection c, Queue q, Topic t) {
        Map<String, Executable> calls = new java.util.LinkedHashMap<>();
        calls.put("getClientID", c::getClientID);
        calls.put("setClientID", () -> c.setClientID("late"));
        calls.put("getMetaData", c::getMetaData);
        calls.put("getExceptionListener", c::getExceptionListener);
        calls.put("setExceptionListener", () -> c.setExceptionListener(e -> { }));
        calls.put("start", c::start);
        calls.put("stop", c::stop);
        calls.put("createSession()", c::createSession);
        calls.put("createSession(int)", () -> c.createSession(Session.AUTO_ACKNOWLEDGE));
        calls.put("createSession(boolean,int)", () -> c.createSession(false, Session.AUTO_ACKNOWLEDGE));
        calls.put("createQueueSession", () -> ((QueueConnection) c).createQueueSession(false, Session.AUTO_ACKNOWLEDGE));
        calls.put("createTopicSession", () -> ((TopicConnection) c).createTopicSession(false, Session.AUTO_ACKNOWLEDGE));
        calls.put("createConnectionConsumer", () -> c.createConnectionConsumer(q, null, null, 1));
        calls.put("createSharedConnectionConsumer", () -> c.createSharedConnectionConsumer(t, "s", null, null, 1));
        calls.put("createDurableConnectionConsumer", () -> c.createDurableConnectionConsumer(t, "d", null, null, 1));
        calls.put("createSharedDurableConnectionConsumer",
                () -> c.createSharedDurableConnectionConsumer(t, "sd", null, null, 1));
        return calls;
    }

    private static Map<String, Executable> sessionCalls(Session s, Queue q, Topic t) {
        Map<String, Executable> calls = new java.util.LinkedHashMap<>();
        calls.put("createMessage", s::createMessage);
        calls.put("createBytesMessage", s::createBytesMessage);
        calls.put("createMapMessage", s::createMapMessage);
        calls.put("createObjectMessage()", () -> s.createObjectMessage());
        calls.put("createObjectMessage(Serializable)", () -> s.createObjectMessage("x"));
        calls.put("createStreamMessage", s::createStreamMessage);
        calls.put("createTextMessage()", () -> s.createTextMessage());
        calls.put("createTextMessage(String)", () -> s.createTextMessage("x"));
        calls.put("getTransacted", s::getTransacted);
        calls.put("getAcknowledgeMode", s::getAcknowledgeMode);
        calls.put("commit", s::commit);
        calls.put("rollback", s::rollback);
        calls.put("recover", s::recover);
        calls.put("getMessageListener", s::getMessageListener);
        calls.put("setMessageListener", () -> s.setMessageListener(m -> { }));
        calls.put("createProducer", () -> s.createProducer(q));
        calls.put("createConsumer(d)", () -> s.createConsumer(q));
        calls.put("createConsumer(d,sel)", () -> s.createConsumer(q, "a = 1"));
        calls.put("createConsumer(d,sel,noLocal)", () -> s.createConsumer(t, null, true));
        calls.put("createSharedConsumer", () -> s.createSharedConsumer(t, "s"));
        calls.put("createSharedConsumer(sel)", () -> s.createSharedConsumer(t, "s", "a = 1"));
        calls.put("createDurableSubscriber", () -> s.createDurableSubscriber(t, "d"));
        calls.put("createDurableSubscriber(sel,noLocal)", () -> s.createDurableSubscriber(t, "d", null, false));
        calls.put("createDurableConsumer", () -> s.createDurableConsumer(t, "d"));
        calls.put("createDurableConsumer(sel,noLocal)", () -> s.createDurableConsumer(t, "d", null, false));
        calls.put("createSharedDurableConsumer", () -> s.createSharedDurableConsumer(t, "sd"));
        calls.put("createSharedDurableConsumer(sel)", () -> s.createSharedDurableConsumer(t, "sd", null));
        calls.put("createQueue", () -> s.createQueue("q2"));
        calls.put("createTopic", () -> s.createTopic("t2"));
        calls.put("createBrowser", () -> s.createBrowser(q));
        calls.put("createBrowser(sel)", () -> s.createBrowser(q, "a = 1"));
        calls.put("createTemporaryQueue", s::createTemporaryQueue);
        calls.put("createTemporaryTopic", s::createTemporaryTopic);
        calls.put("unsubscribe", () -> s.unsubscribe("d"));
        return calls;
    }

    private static Map<String, Executable> producerCalls(MessageProducer p, MessageProducer anonymous, Message m, Queue q) {
        CompletionListener listener = new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
            }

            @Override
            public void onException(Message message, Exception exception) {
            }
        };
        Map<String, Executable> calls = new java.util.LinkedHashMap<>();
        calls.put("setDisableMessageID", () -> p.setDisableMessageID(true));
        calls.put("getDisableMessageID", p::getDisableMessageID);
        calls.put("setDisableMessageTimestamp", () -> p.setDisableMessageTimestamp(true));
        calls.put("getDisableMessageTimestamp", p::getDisableMessageTimestamp);
        calls.put("setDeliveryMode", () -> p.setDeliveryMode(DeliveryMode.NON_PERSISTENT));
        calls.put("getDeliveryMode", p::getDeliveryMode);
        calls.put("setPriority", () -> p.setPriority(5));
        calls.put("getPriority", p::getPriority);
        calls.put("setTimeToLive", () -> p.setTimeToLive(1000));
        calls.put("getTimeToLive", p::getTimeToLive);
        calls.put("setDeliveryDelay", () -> p.setDeliveryDelay(10));
        calls.put("getDeliveryDelay", p::getDeliveryDelay);
        calls.put("getDestination", p::getDestination);
        calls.put("send(m)", () -> p.send(m));
        calls.put("send(m,mode,prio,ttl)", () -> p.send(m, DeliveryMode.PERSISTENT, 4, 0));
        calls.put("send(m,listener)", () -> p.send(m, listener));
        calls.put("send(m,mode,prio,ttl,listener)", () -> p.send(m, DeliveryMode.PERSISTENT, 4, 0, listener));
        calls.put("send(d,m) [anonymous]", () -> anonymous.send(q, m));
        calls.put("send(d,m,mode,prio,ttl) [anonymous]", () -> anonymous.send(q, m, DeliveryMode.PERSISTENT, 4, 0));
        calls.put("send(d,m,listener) [anonymous]", () -> anonymous.send(q, m, listener));
        calls.put("send(d,m,mode,prio,ttl,listener) [anonymous]",
                () -> anonymous.send(q, m, DeliveryMode.PERSISTENT, 4, 0, listener));
        return calls;
    }

    private static Map<String, Executable> consumerCalls(MessageConsumer consumer) {
        Map<String, Executable> calls = new java.util.LinkedHashMap<>();
        calls.put("getMessageSelector", consumer::getMessageSelector);
        calls.put("getMessageListener", consumer::getMessageListener);
        calls.put("setMessageListener", () -> consumer.setMessageListener(m -> { }));
        calls.put("receive()", consumer::receive);
        calls.put("receive(timeout)", () -> consumer.receive(10));
        calls.put("receiveNoWait", consumer::receiveNoWait);
        calls.put("getQueue", () -> ((QueueReceiver) consumer).getQueue());
        return calls;
    }

    @Test
    void closedConnectionRefusesEveryCallButClose() throws Exception {
        Connection c = factory().createConnection();
        Session s = c.createSession();
        Queue q = s.createQueue("q");
        Topic t = s.createTopic("t");
        c.close();
        assertAllThrowIllegalState("Connection", connectionCalls(c, q, t));
        c.close(); // idempotent
    }

    @Test
    void closedSessionRefusesEveryCallButClose() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("q");
            Topic t = s.createTopic("t");
            s.close();
            assertAllThrowIllegalState("Session", sessionCalls(s, q, t));
            s.close();
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            tx.close();
            assertAllThrowIllegalState("transacted Session", sessionCalls(tx, q, t));
            tx.close();
        }
    }

    @Test
    void sessionOfClosedConnectionRefusesEveryCallButClose() throws Exception {
        Connection c = factory().createConnection();
        Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = s.createQueue("q");
        Topic t = s.createTopic("t");
        c.close();
        assertAllThrowIllegalState("Session of closed connection", sessionCalls(s, q, t));
        s.close();
    }

    @Test
    void closedProducerRefusesEveryCallButClose() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("q");
            MessageProducer p = s.createProducer(q);
            MessageProducer anonymous = s.createProducer(null);
            Message m = s.createTextMessage("x");
            p.close();
            anonymous.close();
            assertAllThrowIllegalState("MessageProducer", producerCalls(p, anonymous, m, q));
            p.close();
            anonymous.close();
        }
    }

    @Test
    void producerOfClosedSessionOrConnectionRefusesEveryCallButClose() throws Exception {
        Connection c = factory().createConnection();
        Session s1 = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s1.createQueue("q");
        Message m = s1.createTextMessage("x");
        MessageProducer p1 = s1.createProducer(q);
        MessageProducer a1 = s1.createProducer(null);
        s1.close();
        assertAllThrowIllegalState("MessageProducer of closed session", producerCalls(p1, a1, m, q));
        Session s2 = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer p2 = s2.createProducer(q);
        MessageProducer a2 = s2.createProducer(null);
        c.close();
        assertAllThrowIllegalState("MessageProducer of closed connection", producerCalls(p2, a2, m, q));
        p2.close();
    }

    @Test
    void closedConsumerRefusesEveryCallButClose() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            consumer.close();
            assertAllThrowIllegalState("MessageConsumer", consumerCalls(consumer));
            consumer.close();
        }
    }

    @Test
    void consumerOfClosedSessionOrConnectionRefusesEveryCallButClose() throws Exception {
        Connection c = factory().createConnection();
        Session s1 = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer c1 = s1.createConsumer(s1.createQueue("q"));
        s1.close();
        assertAllThrowIllegalState("MessageConsumer of closed session", consumerCalls(c1));
        Session s2 = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer c2 = s2.createConsumer(s2.createQueue("q"));
        c.close();
        assertAllThrowIllegalState("MessageConsumer of closed connection", consumerCalls(c2));
        c2.close();
    }

    /** Spec 6.1.8: after a connection closes, acknowledge() of a message it received must throw IllegalStateException. */
    @Test
    void acknowledgeAfterConnectionCloseThrowsIllegalState() throws Exception {
        Connection c = factory().createConnection();
        sendTexts(c, "q", "m", 1);
        Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
        c.start();
        Message m = consumer.receive(WAIT_MS);
        c.close();
        assertThrows(IllegalStateException.class, m::acknowledge);
        assertEquals("m1", text(m)); // the message object itself stays usable
    }

    // ---- what a close leaves behind

    @Test
    void prefetchedMessagesOfClosedConsumerGoToAnotherConsumerNotMarkedRedelivered() throws Exception {
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "q", "m", 5);
            Session s1 = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer first = s1.createConsumer(s1.createQueue("q"));
            c.start();
            assertEquals("m1", text(first.receive(WAIT_MS))); // m2..m5 sit in first's prefetch buffer
            Session s2 = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer second = s2.createConsumer(s2.createQueue("q"));
            first.close();
            List<Message> rest = receive(second, 4, WAIT_MS);
            assertEquals(List.of("m2", "m3", "m4", "m5"), texts(rest));
            for (Message m : rest) {
                assertFalse(m.getJMSRedelivered(), text(m) + " was never delivered to the application");
                assertEquals(1, deliveryCount(m));
            }
            assertNull(second.receive(ABSENT_MS));
        }
    }

    /**
     * consumer.close() waits for the onMessage in progress, but starts no new one: the messages
     * still buffered go back to the queue, not marked redelivered. (If close let the session keep
     * feeding the listener until its buffer ran dry, a busy consumer's close could wait forever.)
     */
    @Test
    void consumerCloseWaitsForCurrentListenerCallButStartsNoNewOne() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> seen = new CopyOnWriteArrayList<>();
        Connection c = factory().createConnection();
        try {
            sendTexts(c, "q", "m", 3);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            consumer.setMessageListener(m -> {
                try {
                    seen.add(text(m));
                } catch (JMSException e) {
                    seen.add("failed: " + e);
                }
                entered.countDown();
                try {
                    release.await(WAIT_MS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            c.start();
            assertTrue(entered.await(WAIT_MS, TimeUnit.MILLISECONDS));
            Future<Void> closing = async("close", () -> {
                consumer.close();
                return null;
            });
            assertTrue(stillRunningAfter(closing, ABSENT_MS)); // close() has been called and waits
            release.countDown();
            await(closing, WAIT_MS, "consumer close");
            assertEquals(List.of("m1"), seen, "messages were delivered to the listener after close() was called");

            Session s2 = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer next = s2.createConsumer(s2.createQueue("q"));
            List<Message> rest = receive(next, 2, WAIT_MS);
            assertEquals(List.of("m2", "m3"), texts(rest));
            assertFalse(rest.get(0).getJMSRedelivered());
            assertFalse(rest.get(1).getJMSRedelivered());
            assertNull(next.receive(ABSENT_MS), "m1, whose listener returned normally, came back");
        } finally {
            release.countDown();
            c.close();
        }
    }

    @Test
    void connectionCloseReturnsConsumedUnacknowledgedAsRedeliveredAndPrefetchedAsNew() throws Exception {
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "q", "m", 3);
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            assertEquals("m1", text(consumer.receive(WAIT_MS)));
        }
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            c.start();
            List<Message> all = receive(consumer, 3, WAIT_MS);
            assertEquals(List.of("m1", "m2", "m3"), texts(all));
            assertTrue(all.get(0).getJMSRedelivered());
            assertFalse(all.get(1).getJMSRedelivered());
            assertFalse(all.get(2).getJMSRedelivered());
        }
    }

    @Test
    void closingConnectionThatUsedListenersLeavesNoCourierThreads() throws Exception {
        long before = courierThreads();
        int sessions = 3;
        CountDownLatch delivered = new CountDownLatch(sessions * 5);
        Connection c = factory().createConnection();
        try {
            for (int i = 0; i < sessions; i++) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                s.createConsumer(s.createQueue("q" + i)).setMessageListener(m -> delivered.countDown());
            }
            c.start();
            for (int i = 0; i < sessions; i++) {
                sendTexts(c, "q" + i, "m", 5);
            }
            assertTrue(delivered.await(WAIT_MS, TimeUnit.MILLISECONDS));
            assertTrue(courierThreads() > before, "expected listener threads while listeners run");
        } finally {
            c.close();
        }
        assertTrue(eventually(WAIT_MS, () -> courierThreads() <= before),
                "courier-* threads after close: " + courierThreads() + ", before: " + before);
    }

    @Test
    void closingConnectionFromListenerLeavesNoCourierThreads() throws Exception {
        long before = courierThreads();
        CountDownLatch returned = new CountDownLatch(1);
        Connection c = factory().createConnection();
        sendTexts(c, "q", "m", 1);
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        s.createConsumer(s.createQueue("q")).setMessageListener(m -> {
            try {
                c.close();
            } catch (JMSException e) {
                // IllegalStateException is allowed; then the test closes it below
            }
            returned.countDown();
        });
        c.start();
        assertTrue(returned.await(WAIT_MS, TimeUnit.MILLISECONDS));
        c.close();
        assertTrue(eventually(WAIT_MS, () -> courierThreads() <= before),
                "courier-* threads after close: " + courierThreads() + ", before: " + before);
    }
}
