package dev.courier.jms.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.message.BodyType;
import dev.courier.message.MessageRecord;
import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ObjectMessageTest {

    /** A class outside the default allow-list. */
    static final class Payload implements Serializable {
        private static final long serialVersionUID = 1L;
        final String value;

        Payload(String value) {
            this.value = value;
        }
    }

    @AfterEach
    void clearSystemProperties() {
        System.clearProperty(DeserializationPolicy.ALLOW_PROPERTY);
        System.clearProperty(DeserializationPolicy.DENY_PROPERTY);
    }

    private static CourierObjectMessage received(Serializable object, DeserializationPolicy policy)
            throws JMSException {
        CourierObjectMessage sent = new CourierObjectMessage();
        sent.setObject(object);
        return (CourierObjectMessage) CourierMessage.fromRecord(sent.toRecord(), 1, false, policy);
    }

    @Test
    void setObjectSerializesImmediately() throws JMSException {
        ArrayList<String> list = new ArrayList<>(List.of("a"));
        CourierObjectMessage m = new CourierObjectMessage();
        m.setObject(list);
        list.add("b");
        assertEquals(List.of("a"), m.getObject());
    }

    @Test
    void getObjectReturnsAFreshCopyEachCall() throws JMSException {
        CourierObjectMessage m = new CourierObjectMessage();
        m.setObject(new ArrayList<>(List.of("a")));
        @SuppressWarnings("unchecked")
        List<String> first = (List<String>) m.getObject();
        first.add("changed");
        Serializable second = m.getObject();
        assertNotSame(first, second);
        assertEquals(List.of("a"), second);
    }

    @Test
    void nullObjectIsNoBody() throws JMSException {
        CourierObjectMessage m = new CourierObjectMessage();
        m.setObject(null);
        assertNull(m.getObject());
        MessageRecord record = m.toRecord();
        assertEquals(BodyType.OBJECT, record.bodyType());
        assertNull(record.body());
        assertNull(((CourierObjectMessage) CourierMessage.fromRecord(record, 1, false, null)).getObject());
    }

    @Test
    void unserializableObjectIsAFormatError() {
        CourierObjectMessage m = new CourierObjectMessage();
        ArrayList<Object> holder = new ArrayList<>();
        holder.add(new Object());
        assertThrows(MessageFormatException.class, () -> m.setObject(holder));
    }

    @Test
    void receivedObjectIsReadOnlyUntilClearBody() throws JMSException {
        CourierObjectMessage r = received("text", null);
        assertThrows(MessageNotWriteableException.class, () -> r.setObject("other"));
        r.clearBody();
        assertNull(r.getObject());
        r.setObject("other");
        assertEquals("other", r.getObject());
    }

    @Test
    void defaultPolicyAcceptsJdkValueTypes() throws JMSException {
        HashMap<String, Object> map = new HashMap<>();
        map.put("list", new ArrayList<>(List.of(1, 2L)));
        map.put("decimal", new BigDecimal("1.5"));
        map.put("time", ZonedDateTime.parse("2026-01-02T03:04:05+01:00[Europe/Paris]"));
        map.put("array", new String[] {"x"});
        map.put("ints", new int[] {1});
        CourierObjectMessage r = received(map, DeserializationPolicy.defaults());
        @SuppressWarnings("unchecked")
        HashMap<String, Object> read = (HashMap<String, Object>) r.getObject();
        assertEquals(map.get("list"), read.get("list"));
        assertEquals(map.get("time"), read.get("time"));
    }

    @Test
    void defaultPolicyRejectsAnUnlistedClassNamingItAndTheProperty() throws JMSException {
        CourierObjectMessage r = received(new Payload("p"), DeserializationPolicy.defaults());
        MessageFormatException e = assertThrows(MessageFormatException.class, r::getObject);
        assertTrue(e.getMessage().contains(Payload.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(DeserializationPolicy.ALLOW_PROPERTY), e.getMessage());
    }

    @Test
    void unlistedClassInsideAnAllowedCollectionIsRejected() throws JMSException {
        ArrayList<Object> list = new ArrayList<>();
        list.add(new Payload("p"));
        CourierObjectMessage r = received(list, DeserializationPolicy.defaults());
        assertThrows(MessageFormatException.class, r::getObject);
    }

    @Test
    void classIsAcceptedOnceItsPackageIsAllowed() throws JMSException {
        CourierObjectMessage r = received(new Payload("p"), DeserializationPolicy.of("dev.courier.jms", null));
        assertEquals("p", ((Payload) r.getObject()).value);
    }

    @Test
    void systemPropertyAllowListIsReadByDefaults() throws JMSException {
        System.setProperty(DeserializationPolicy.ALLOW_PROPERTY, "org.example, dev.courier.jms.message");
        CourierObjectMessage r = received(new Payload("p"), DeserializationPolicy.defaults());
        assertEquals("p", ((Payload) r.getObject()).value);
    }

    @Test
    void messageWithoutPolicyUsesTheDefaultsAtReadTime() throws JMSException {
        CourierObjectMessage r = received(new Payload("p"), null);
        assertThrows(MessageFormatException.class, r::getObject);
        System.setProperty(DeserializationPolicy.ALLOW_PROPERTY, "*");
        assertEquals("p", ((Payload) r.getObject()).value);
    }

    @Test
    void denyListWinsOverAllowList() throws JMSException {
        CourierObjectMessage r = received(new ArrayList<>(List.of("a")),
                DeserializationPolicy.of("*", "java.util.ArrayList"));
        assertThrows(MessageFormatException.class, r::getObject);
    }

    @Test
    void policyMatchesPackagesSubPackagesAndClassesOnNameBoundaries() {
        DeserializationPolicy policy = DeserializationPolicy.of("com.acme, org.one.Type", "com.acme.secret");
        assertTrue(policy.allows("java.util.ArrayList"));
        assertTrue(policy.allows("java.util.concurrent.ConcurrentHashMap"));
        assertTrue(policy.allows("com.acme.Order"));
        assertTrue(policy.allows("com.acme.sub.Line"));
        assertTrue(policy.allows("org.one.Type"));
        assertTrue(policy.allows("[Lcom.acme.Order;"));
        assertTrue(policy.allows("[[I"));
        assertFalse(policy.allows("com.acmeevil.Order"));
        assertFalse(policy.allows("org.one.Type2"));
        assertFalse(policy.allows("com.acme.secret.Key"));
        assertFalse(policy.allows("[Lorg.other.X;"));
        assertFalse(policy.allows("java.lang.reflect.Proxy"));
        assertFalse(policy.allows("java.lang.invoke.SerializedLambda"));
    }

    @Test
    void wildcardAllowsEverythingButTheDenyList() {
        DeserializationPolicy policy = DeserializationPolicy.of("*", "org.bad");
        assertTrue(policy.allows("org.any.Thing"));
        assertFalse(policy.allows("org.bad.Thing"));
    }
}
