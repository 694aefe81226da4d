package dev.courier.jms;

import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.Topic;

/**
 * The child process of {@link BrokerCrashTest}: an embedded broker on a data directory, and a
 * producer that reports on stdout each send as soon as it returned, until it is killed.
 * Protocol (one line each): {@code committed} after a transacted batch of 10 committed,
 * {@code pending} once an uncommitted batch of 10 was sent, then {@code sent N} forever.
 */
public final class CrashingClient {

    private CrashingClient() {
    }

    public static void main(String[] args) throws Exception {
        String url = "vm://crash?data=" + args[0];
        Connection connection = new CourierConnectionFactory(url).createConnection();
        connection.setClientID("crash");
        Session session = connection.createSession();
        Topic topic = session.createTopic("events");
        session.createDurableSubscriber(topic, "audit").close();

        Session tx = connection.createSession(Session.SESSION_TRANSACTED);
        MessageProducer txProducer = tx.createProducer(tx.createQueue("batches"));
        for (int i = 0; i < 10; i++) {
            txProducer.send(tx.createTextMessage("committed-" + i));
        }
        tx.commit();
        System.out.println("committed");
        for (int i = 0; i < 10; i++) {
            txProducer.send(tx.createTextMessage("uncommitted-" + i));
        }
        System.out.println("pending");

        MessageProducer queueProducer = session.createProducer(session.createQueue("work"));
        MessageProducer topicProducer = session.createProducer(topic);
        for (long n = 0; ; n++) {
            queueProducer.send(session.createTextMessage("work-" + n));
            topicProducer.send(session.createTextMessage("event-" + n));
            System.out.println("sent " + n);
        }
    }
}
