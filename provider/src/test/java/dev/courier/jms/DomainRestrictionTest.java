package dev.courier.jms;

import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.jms.IllegalStateException;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicSession;
import org.junit.jupiter.api.Test;

/** The domain-specific sessions refuse the other domain's methods (JMS 3.1, the Session javadoc). */
@AllTransports
class DomainRestrictionTest extends BrokerFixture {

    @Test
    void queueSessionRefusesTopicMethods() throws Exception {
        try (QueueConnection c = factory().createQueueConnection()) {
            QueueSession s = c.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThrows(IllegalStateException.class, () -> s.createTopic("t"));
            assertThrows(IllegalStateException.class, s::createTemporaryTopic);
            assertThrows(IllegalStateException.class, () -> s.createDurableSubscriber(new CourierTopic("t"), "n"));
            assertThrows(IllegalStateException.class, () -> s.createDurableConsumer(new CourierTopic("t"), "n"));
            assertThrows(IllegalStateException.class, () -> s.createSharedConsumer(new CourierTopic("t"), "n"));
            assertThrows(IllegalStateException.class, () -> s.unsubscribe("n"));
        }
    }

    @Test
    void topicSessionRefusesQueueMethods() throws Exception {
        try (TopicConnection c = factory().createTopicConnection()) {
            TopicSession s = c.createTopicSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThrows(IllegalStateException.class, () -> s.createQueue("q"));
            assertThrows(IllegalStateException.class, s::createTemporaryQueue);
            assertThrows(IllegalStateException.class, () -> s.createBrowser(new CourierQueue("q")));
        }
    }
}
