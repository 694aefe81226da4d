package dev.courier.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueRequestor;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;

@AllTransports
class TemporaryDestinationTest extends BrokerFixture {

    @Test
    void temporaryQueueCarriesReplies() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            TemporaryQueue replies = s.createTemporaryQueue();
            MessageConsumer consumer = s.createConsumer(replies);
            c.start();
            s.createProducer(replies).send(s.createTextMessage("reply"));
            assertEquals("reply", ((TextMessage) consumer.receive(WAIT_MS)).getText());
        }
    }

    @Test
    void onlyTheCreatingConnectionMayConsume() throws Exception {
        try (Connection owner = factory().createConnection(); Connection other = factory().createConnection()) {
            TemporaryQueue q = owner.createSession().createTemporaryQueue();
            TemporaryTopic t = owner.createSession().createTemporaryTopic();
            Session os = other.createSession();
            assertThrows(JMSException.class, () -> os.createConsumer(q));
            assertThrows(JMSException.class, () -> os.createConsumer(t));
            os.createProducer(q).send(os.createTextMessage("others may send"));
        }
    }

    @Test
    void deleteWhileInUseFailsAndAfterDeleteSendsAreInvalid() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            TemporaryQueue q = s.createTemporaryQueue();
            MessageConsumer consumer = s.createConsumer(q);
            assertThrows(JMSException.class, q::delete);
            consumer.close();
            q.delete();
            assertThrows(InvalidDestinationException.class,
                    () -> s.createProducer(q).send(s.createTextMessage("gone")));
        }
    }

    @Test
    void nonPersistentSendsToADeletedTemporaryQueueFailAtOnceOnItsOwnConnection() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            MessageProducer producer = sendThreeReceiveThemAndDelete(c, s, s);
            assertThrows(InvalidDestinationException.class, () -> producer.send(s.createTextMessage("gone")));
        }
    }

    @Test
    void anotherConnectionsNonPersistentSendsFailOnceItLearnsTheOwnerDeletedIt() throws Exception {
        try (Connection owner = factory().createConnection(); Connection other = factory().createConnection()) {
            Session s = other.createSession();
            MessageProducer producer = sendThreeReceiveThemAndDelete(owner, owner.createSession(), s);
            assertTrue(sendsFailWithin(producer, s, WAIT_MS), "sends to the deleted queue kept succeeding");
        }
    }

    /**
     * The owner's session makes a temporary queue; {@code sender} sends three non-persistent
     * messages to it (over tcp:// the first waits for the broker, the later ones do not), the
     * owner receives all three, closes its consumer and deletes the queue.
     *
     * @return the sender's producer, for sends after the deletion
     */
    private static MessageProducer sendThreeReceiveThemAndDelete(Connection owner, Session ownerSession, Session sender)
            throws Exception {
        TemporaryQueue q = ownerSession.createTemporaryQueue();
        MessageProducer producer = sender.createProducer(q);
        producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        for (int i = 0; i < 3; i++) {
            producer.send(sender.createTextMessage("m" + i));
        }
        MessageConsumer consumer = ownerSession.createConsumer(q);
        owner.start();
        for (int i = 0; i < 3; i++) {
            assertEquals("m" + i, ((TextMessage) consumer.receive(WAIT_MS)).getText());
        }
        consumer.close();
        q.delete();
        return producer;
    }

    @Test
    void anotherConnectionsNonPersistentSendsFailOnceItLearnsTheOwnerClosed() throws Exception {
        try (Connection other = factory().createConnection()) {
            Session s = other.createSession();
            MessageProducer producer;
            try (Connection owner = factory().createConnection()) {
                TemporaryQueue q = owner.createSession().createTemporaryQueue();
                producer = s.createProducer(q);
                producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
                producer.send(s.createTextMessage("confirmed"));
                producer.send(s.createTextMessage("posted"));
            }
            assertTrue(sendsFailWithin(producer, s, WAIT_MS), "sends to the dead connection's queue kept succeeding");
        }
    }

    /**
     * Sends until a send fails as invalid or the time is up. Over tcp:// the sender learns of the
     * deletion one hop after it happened; its sends meanwhile are dropped by the broker.
     */
    private static boolean sendsFailWithin(MessageProducer producer, Session s, long millis) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                producer.send(s.createTextMessage("after"));
            } catch (InvalidDestinationException expected) {
                return true;
            }
            Thread.sleep(1);
        }
        return false;
    }

    @Test
    void temporaryQueueDiesWithItsConnection() throws Exception {
        TemporaryQueue q;
        try (Connection c = factory().createConnection()) {
            q = c.createSession().createTemporaryQueue();
        }
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            assertThrows(InvalidDestinationException.class, () -> s.createProducer(q).send(s.createTextMessage("x")));
        }
    }

    @Test
    void queueRequestorGetsTheReplyOfAService() throws Exception {
        try (QueueConnection c = factory().createQueueConnection()) {
            QueueSession serviceSession = c.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue requests = serviceSession.createQueue("requests");
            serviceSession.createReceiver(requests).setMessageListener(request -> {
                try {
                    TextMessage reply = serviceSession.createTextMessage(
                            "hello " + ((TextMessage) request).getText());
                    reply.setJMSCorrelationID(request.getJMSMessageID());
                    serviceSession.createSender(null).send(request.getJMSReplyTo(), reply);
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            c.start();
            QueueSession clientSession = c.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueRequestor requestor = new QueueRequestor(clientSession, requests);
            TextMessage request = clientSession.createTextMessage("world");
            Message reply = requestor.request(request);
            assertEquals("hello world", ((TextMessage) reply).getText());
            assertEquals(request.getJMSMessageID(), reply.getJMSCorrelationID());
            requestor.close();
        }
    }
}
