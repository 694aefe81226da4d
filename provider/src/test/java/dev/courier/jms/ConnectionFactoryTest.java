package dev.courier.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.JMSException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

@AllTransports
class ConnectionFactoryTest extends BrokerFixture {

    /** A payload class outside the default deserialization allow-list. */
    static final class Payload implements Serializable {
        private static final long serialVersionUID = 1L;
        final String value;

        Payload(String value) {
            this.value = value;
        }
    }

    @Test
    void metaDataNamesJms31AndCourier() throws Exception {
        try (Connection c = factory().createConnection()) {
            ConnectionMetaData meta = c.getMetaData();
            assertEquals("3.1", meta.getJMSVersion());
            assertEquals(3, meta.getJMSMajorVersion());
            assertEquals(1, meta.getJMSMinorVersion());
            assertEquals("Courier", meta.getJMSProviderName());
            List<String> jmsx = Collections.list(meta.getJMSXPropertyNames());
            assertTrue(jmsx.containsAll(List.of("JMSXDeliveryCount", "JMSXGroupID", "JMSXGroupSeq")), jmsx.toString());
        }
    }

    @Test
    void clientIdFromTheUrlIsFixed() throws Exception {
        try (Connection c = factory("clientID=configured").createConnection()) {
            assertEquals("configured", c.getClientID());
            assertThrows(jakarta.jms.IllegalStateException.class, () -> c.setClientID("other"));
        }
    }

    @Test
    void badUrlsFailWhenTheFactoryIsMade() {
        assertThrows(IllegalArgumentException.class, () -> new CourierConnectionFactory("vm://x?nope=1"));
    }

    @Test
    void invalidAcknowledgeModeIsRefused() throws Exception {
        try (Connection c = factory().createConnection()) {
            assertThrows(JMSException.class, () -> c.createSession(false, 42));
        }
    }

    @Test
    void factorySurvivesJavaSerialization() throws Exception {
        CourierConnectionFactory original = factory();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(original);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            CourierConnectionFactory copy = (CourierConnectionFactory) in.readObject();
            assertEquals(original.getUrl(), copy.getUrl());
            try (Connection c = copy.createConnection()) {
                c.start();
            }
        }
    }

    @Test
    void objectMessagesOfUnlistedClassesAreRefusedUntilTheirPackageIsAllowed() throws Exception {
        Object refused = receivePayloads(factory()).get(1);
        assertTrue(refused instanceof JMSException, "expected a refusal, got " + refused);
        assertTrue(((JMSException) refused).getMessage().contains(Payload.class.getName()), ((JMSException) refused).getMessage());
        String pkg = Payload.class.getPackageName();
        List<Object> allowed = receivePayloads(factory("deserializationAllowList=" + pkg));
        assertEquals("x", ((Payload) allowed.get(1)).value);
    }

    /** Sends an ArrayList and a Payload; returns what getObject gave (the exception when refused). */
    private List<Object> receivePayloads(CourierConnectionFactory f) throws Exception {
        List<Object> result = new ArrayList<>();
        try (Connection c = f.createConnection()) {
            Session s = c.createSession();
            Queue q = s.createQueue("objects");
            s.createProducer(q).send(s.createObjectMessage(new ArrayList<>(List.of("a"))));
            s.createProducer(q).send(s.createObjectMessage(new Payload("x")));
            c.start();
            var consumer = s.createConsumer(q);
            result.add(((ObjectMessage) consumer.receive(WAIT_MS)).getObject());
            ObjectMessage second = (ObjectMessage) consumer.receive(WAIT_MS);
            try {
                result.add(second.getObject());
            } catch (JMSException e) {
                result.add(e);
            }
        }
        assertEquals(List.of("a"), result.get(0));
        return result;
    }
}
