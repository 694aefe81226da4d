package dev.courier.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.jms.Connection;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import org.junit.jupiter.api.Test;

@AllTransports
class QueueBrowserTest extends BrokerFixture {

    @Test
    void browsingShowsWaitingMessagesInOrderWithoutConsumingThem() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            Queue q = s.createQueue("q");
            MessageProducer p = s.createProducer(q);
            for (int i = 0; i < 5; i++) {
                p.send(s.createTextMessage("m" + i));
            }
            assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), texts(s.createBrowser(q)));
            assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), texts(s.createBrowser(q)));
            c.start();
            assertEquals("m0", ((TextMessage) s.createConsumer(q).receive(WAIT_MS)).getText());
        }
    }

    @Test
    void browserSelectorFiltersMessages() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            Queue q = s.createQueue("q");
            MessageProducer p = s.createProducer(q);
            for (int i = 0; i < 6; i++) {
                TextMessage m = s.createTextMessage("m" + i);
                m.setStringProperty("n", String.valueOf(i));
                p.send(m);
            }
            QueueBrowser even = s.createBrowser(q, "n IN ('0', '2', '4')");
            assertEquals("n IN ('0', '2', '4')", even.getMessageSelector());
            assertEquals(List.of("m0", "m2", "m4"), texts(even));
        }
    }

    @Test
    void invalidBrowserSelectorIsRefusedAtCreation() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            assertThrows(InvalidSelectorException.class, () -> s.createBrowser(s.createQueue("q"), "n =="));
        }
    }

    private static List<String> texts(QueueBrowser browser) throws Exception {
        List<String> result = new ArrayList<>();
        Enumeration<?> e = browser.getEnumeration();
        while (e.hasMoreElements()) {
            result.add(((TextMessage) (Message) e.nextElement()).getText());
        }
        return result;
    }
}
