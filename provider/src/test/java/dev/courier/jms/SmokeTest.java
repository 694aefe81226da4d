package dev.courier.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;

@AllTransports
class SmokeTest extends BrokerFixture {

    @Test
    void sendsAndReceivesOnAQueue() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            Queue q = s.createQueue("q");
            s.createProducer(q).send(s.createTextMessage("hello"));
            MessageConsumer consumer = s.createConsumer(q);
            c.start();
            TextMessage m = (TextMessage) consumer.receive(WAIT_MS);
            assertEquals("hello", m.getText());
        }
    }
}
