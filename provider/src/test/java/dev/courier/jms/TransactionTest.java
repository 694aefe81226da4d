package dev.courier.jms;

import static dev.courier.jms.SessionTestSupport.deliveryCount;
import static dev.courier.jms.SessionTestSupport.receive;
import static dev.courier.jms.SessionTestSupport.sendTexts;
import static dev.courier.jms.SessionTestSupport.text;
import static dev.courier.jms.SessionTestSupport.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Local transactions of a transacted session: commit, rollback, close. */
@AllTransports
class TransactionTest extends BrokerFixture {

    private void assertQueueEmpty(String queue) throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            c.start();
            Message m = consumer.receive(ABSENT_MS);
            assertNull(m, () -> "expected " + queue + " to be empty but a message was left");
        }
    }

    @Test
    void sendsAreInvisibleUntilCommit() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = tx.createProducer(tx.createQueue("q"));
            producer.send(tx.createTextMessage("m1"));
            producer.send(tx.createTextMessage("m2"));

            Session reader = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = reader.createConsumer(reader.createQueue("q"));
            c.start();
            assertNull(consumer.receive(ABSENT_MS), "an uncommitted send was delivered");

            tx.commit();
            assertEquals(List.of("m1", "m2"), texts(receive(consumer, 2, WAIT_MS)));
        }
    }

    @Test
    void rollbackDiscardsSends() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = tx.createProducer(tx.createQueue("q"));
            producer.send(tx.createTextMessage("discarded"));
            tx.rollback();
            producer.send(tx.createTextMessage("kept"));
            tx.commit();

            Session reader = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = reader.createConsumer(reader.createQueue("q"));
            c.start();
            assertEquals("kept", text(consumer.receive(WAIT_MS)));
            assertNull(consumer.receive(ABSENT_MS));
        }
    }

    @Test
    void rollbackRedeliversReceivedMessagesInOriginalOrderMarkedRedelivered() throws Exception {
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "q", "m", 5);
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = tx.createConsumer(tx.createQueue("q"));
            c.start();
            assertEquals(List.of("m1", "m2", "m3"), texts(receive(consumer, 3, WAIT_MS)));
            tx.rollback();
            List<Message> all = receive(consumer, 5, WAIT_MS);
            assertEquals(List.of("m1", "m2", "m3", "m4", "m5"), texts(all));
            for (int i = 0; i < 5; i++) {
                boolean wasSeen = i < 3;
                assertEquals(wasSeen, all.get(i).getJMSRedelivered(), "JMSRedelivered of m" + (i + 1));
                assertEquals(wasSeen ? 2 : 1, deliveryCount(all.get(i)), "JMSXDeliveryCount of m" + (i + 1));
            }
            tx.commit();
            assertNull(consumer.receive(ABSENT_MS));
        }
        assertQueueEmpty("q");
    }

    /** Same as above, but the queue holds more than the consumer's window. */
    @Test
    void rollbackWithBacklogBeyondWindowRedeliversInOriginalOrder() throws Exception {
        try (Connection c = factory("consumerWindow=2").createConnection()) {
            sendTexts(c, "q", "m", 6);
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = tx.createConsumer(tx.createQueue("q"));
            c.start();
            assertEquals(List.of("m1", "m2"), texts(receive(consumer, 2, WAIT_MS)));
            tx.rollback();
            assertEquals(List.of("m1", "m2", "m3", "m4", "m5", "m6"), texts(receive(consumer, 6, WAIT_MS)));
            tx.commit();
        }
    }

    @Test
    void rollbackWithConsumerWindowZeroRedeliversInOriginalOrder() throws Exception {
        try (Connection c = factory("consumerWindow=0").createConnection()) {
            sendTexts(c, "q", "m", 3);
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = tx.createConsumer(tx.createQueue("q"));
            c.start();
            assertEquals("m1", text(consumer.receive(WAIT_MS)));
            tx.rollback();
            assertEquals(List.of("m1", "m2", "m3"), texts(receive(consumer, 3, WAIT_MS)));
            tx.commit();
        }
    }

    @Test
    void commitAcknowledgesReceivedMessages() throws Exception {
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "q", "m", 2);
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = tx.createConsumer(tx.createQueue("q"));
            c.start();
            receive(consumer, 2, WAIT_MS);
            tx.commit();
            tx.rollback(); // nothing left to roll back
            assertNull(consumer.receive(ABSENT_MS));
        }
        assertQueueEmpty("q");
    }

    @Test
    void receiveAndSendCommitTogether() throws Exception {
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "in", "m", 1);
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = tx.createConsumer(tx.createQueue("in"));
            MessageProducer producer = tx.createProducer(tx.createQueue("out"));
            c.start();
            producer.send(tx.createTextMessage("processed " + text(consumer.receive(WAIT_MS))));
            tx.rollback();
            // after rollback the input is back and the output never existed
            Message again = consumer.receive(WAIT_MS);
            assertTrue(again.getJMSRedelivered());
            producer.send(tx.createTextMessage("processed " + text(again)));
            tx.commit();
        }
        assertQueueEmpty("in");
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer out = s.createConsumer(s.createQueue("out"));
            c.start();
            assertEquals("processed m1", text(out.receive(WAIT_MS)));
            assertNull(out.receive(ABSENT_MS));
        }
    }

    @Test
    void commitOnNonTransactedSessionThrowsIllegalState() throws Exception {
        try (Connection c = factory().createConnection()) {
            for (int mode : new int[] {Session.AUTO_ACKNOWLEDGE, Session.CLIENT_ACKNOWLEDGE,
                    Session.DUPS_OK_ACKNOWLEDGE}) {
                Session s = c.createSession(false, mode);
                assertThrows(IllegalStateException.class, s::commit, "commit in mode " + mode);
            }
        }
    }

    @Test
    void rollbackOnNonTransactedSessionThrowsIllegalState() throws Exception {
        try (Connection c = factory().createConnection()) {
            for (int mode : new int[] {Session.AUTO_ACKNOWLEDGE, Session.CLIENT_ACKNOWLEDGE,
                    Session.DUPS_OK_ACKNOWLEDGE}) {
                Session s = c.createSession(false, mode);
                assertThrows(IllegalStateException.class, s::rollback, "rollback in mode " + mode);
            }
        }
    }

    @Test
    void transactedSessionReportsItsMode() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(Session.SESSION_TRANSACTED);
            assertTrue(s.getTransacted());
            assertEquals(Session.SESSION_TRANSACTED, s.getAcknowledgeMode());
            Session t = c.createSession(true, Session.AUTO_ACKNOWLEDGE); // transacted wins over the mode
            assertTrue(t.getTransacted());
            assertEquals(Session.SESSION_TRANSACTED, t.getAcknowledgeMode());
        }
    }

    /** Session.close(): "Closing a transacted session must roll back the transaction in progress." */
    @Test
    void closingTransactedSessionRollsBack() throws Exception {
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "in", "m", 2);
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = tx.createConsumer(tx.createQueue("in"));
            tx.createProducer(tx.createQueue("out")).send(tx.createTextMessage("never"));
            c.start();
            assertEquals("m1", text(consumer.receive(WAIT_MS)));
            tx.close();

            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer in = s.createConsumer(s.createQueue("in"));
            List<Message> back = receive(in, 2, WAIT_MS);
            assertEquals(List.of("m1", "m2"), texts(back));
            assertTrue(back.get(0).getJMSRedelivered());
            assertEquals(2, deliveryCount(back.get(0)));
            // m2 was only prefetched, never seen by the application
            assertFalse(back.get(1).getJMSRedelivered());
            assertEquals(1, deliveryCount(back.get(1)));
            MessageConsumer out = s.createConsumer(s.createQueue("out"));
            assertNull(out.receive(ABSENT_MS));
        }
    }

    /** Connection.close(): "Closing a connection causes any of its sessions' transactions in progress to be rolled back." */
    @Test
    void closingConnectionRollsBackTransactions() throws Exception {
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "in", "m", 1);
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = tx.createConsumer(tx.createQueue("in"));
            tx.createProducer(tx.createQueue("out")).send(tx.createTextMessage("never"));
            c.start();
            assertEquals("m1", text(consumer.receive(WAIT_MS)));
        }
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer in = s.createConsumer(s.createQueue("in"));
            MessageConsumer out = s.createConsumer(s.createQueue("out"));
            c.start();
            Message m = in.receive(WAIT_MS);
            assertEquals("m1", text(m));
            assertTrue(m.getJMSRedelivered());
            assertNull(out.receive(ABSENT_MS));
        }
    }

    /** A consumer's close does not end the transaction: what it consumed is still settled by commit. */
    @Test
    void consumerClosedMidTransactionThenCommitAcknowledgesWhatItConsumed() throws Exception {
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "q", "m", 3);
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = tx.createConsumer(tx.createQueue("q"));
            c.start();
            assertEquals(List.of("m1", "m2"), texts(receive(consumer, 2, WAIT_MS)));
            consumer.close();
            tx.commit();

            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer next = s.createConsumer(s.createQueue("q"));
            Message m3 = next.receive(WAIT_MS);
            assertEquals("m3", text(m3));
            assertFalse(m3.getJMSRedelivered(), "m3 was only prefetched by the closed consumer");
            assertNull(next.receive(ABSENT_MS));
        }
    }

    @Test
    void consumerClosedMidTransactionThenRollbackRedeliversWhatItConsumed() throws Exception {
        try (Connection c = factory().createConnection()) {
            sendTexts(c, "q", "m", 2);
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = tx.createConsumer(tx.createQueue("q"));
            c.start();
            assertEquals("m1", text(consumer.receive(WAIT_MS)));
            consumer.close();
            tx.rollback();

            MessageConsumer next = tx.createConsumer(tx.createQueue("q"));
            List<Message> got = receive(next, 2, WAIT_MS);
            assertEquals(List.of("m1", "m2"), texts(got));
            assertTrue(got.get(0).getJMSRedelivered());
            assertFalse(got.get(1).getJMSRedelivered());
            tx.commit();
        }
        assertQueueEmpty("q");
    }
}
