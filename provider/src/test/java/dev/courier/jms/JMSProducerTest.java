package dev.courier.jms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageNotWriteableRuntimeException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

@AllTransports
class JMSProducerTest extends BrokerFixture {

    @Test
    void propertiesFollowTheMessagePropertyConversionRules() {
        try (JMSContext context = factory().createContext()) {
            JMSProducer p = context.createProducer()
                    .setProperty("b", true)
                    .setProperty("y", (byte) 1)
                    .setProperty("s", (short) 2)
                    .setProperty("i", 3)
                    .setProperty("l", 4L)
                    .setProperty("f", 5.5f)
                    .setProperty("d", 6.5)
                    .setProperty("t", "7")
                    .setProperty("o", (Object) Integer.valueOf(8));
            assertTrue(p.getBooleanProperty("b"));
            assertEquals(1, p.getByteProperty("y"));
            assertEquals(1, p.getIntProperty("y"), "byte widens to int");
            assertEquals(2L, p.getLongProperty("s"), "short widens to long");
            assertEquals(3L, p.getLongProperty("i"));
            assertEquals("4", p.getStringProperty("l"));
            assertEquals(5.5, p.getDoubleProperty("f"), "float widens to double");
            assertEquals(6.5, p.getDoubleProperty("d"));
            assertEquals(7, p.getIntProperty("t"), "a String parses");
            assertEquals(8, p.getObjectProperty("o"));
            assertEquals(5.5f, p.getFloatProperty("f"));
            assertEquals(2, p.getShortProperty("s"));
            assertThrows(MessageFormatRuntimeException.class, () -> p.getBooleanProperty("i"));
            assertThrows(MessageFormatRuntimeException.class, () -> p.getIntProperty("l"), "no narrowing");
            assertThrows(NumberFormatException.class, () -> p.getIntProperty("missing"));
            assertNull(p.getStringProperty("missing"));
            assertFalse(p.getBooleanProperty("missing"));
            assertThrows(MessageFormatRuntimeException.class, () -> p.setProperty("bad", new ArrayList<>()));
            assertThrows(IllegalArgumentException.class, () -> p.setProperty("", 1));
            assertThrows(IllegalArgumentException.class, () -> p.setProperty(null, 1));
            assertTrue(p.propertyExists("i"));
            assertEquals(Set.of("b", "y", "s", "i", "l", "f", "d", "t", "o"), p.getPropertyNames());
            assertThrows(UnsupportedOperationException.class, () -> p.getPropertyNames().add("x"));
            p.clearProperties();
            assertFalse(p.propertyExists("i"));
            assertTrue(p.getPropertyNames().isEmpty());
        }
    }

    @Test
    void propertiesAndHeadersOfTheProducerOverrideTheMessagesOwn() throws Exception {
        try (JMSContext context = factory().createContext()) {
            Queue q = context.createQueue("q");
            Queue replies = context.createQueue("replies");
            TextMessage message = context.createTextMessage("body");
            message.setStringProperty("who", "message");
            message.setStringProperty("kept", "yes");
            message.setJMSCorrelationID("message-correlation");
            JMSProducer p = context.createProducer()
                    .setProperty("who", "producer")
                    .setJMSCorrelationID("producer-correlation")
                    .setJMSType("order")
                    .setJMSReplyTo(replies);
            assertEquals("producer-correlation", p.getJMSCorrelationID());
            assertEquals("order", p.getJMSType());
            assertSame(replies, p.getJMSReplyTo());
            p.send(q, message);
            Message received = context.createConsumer(q).receive(WAIT_MS);
            assertEquals("producer", received.getStringProperty("who"));
            assertEquals("yes", received.getStringProperty("kept"));
            assertEquals("producer-correlation", received.getJMSCorrelationID());
            assertEquals("order", received.getJMSType());
            assertEquals(replies, received.getJMSReplyTo());
            assertEquals("body", received.getBody(String.class));
        }
    }

    @Test
    void correlationIdAsBytesReachesTheConsumer() throws Exception {
        try (JMSContext context = factory().createContext()) {
            Queue q = context.createQueue("q");
            byte[] id = {1, 2, 3};
            JMSProducer p = context.createProducer().setJMSCorrelationIDAsBytes(id);
            id[0] = 9;
            assertArrayEquals(new byte[] {1, 2, 3}, p.getJMSCorrelationIDAsBytes(), "the producer keeps a copy");
            p.send(q, "x");
            assertArrayEquals(new byte[] {1, 2, 3}, context.createConsumer(q).receive(WAIT_MS).getJMSCorrelationIDAsBytes());
            p.setJMSCorrelationID("text");
            assertArrayEquals("text".getBytes(StandardCharsets.UTF_8), p.getJMSCorrelationIDAsBytes());
        }
    }

    @Test
    void sendsEveryBodyKindAndNullBodiesAsEmptyMessagesOfTheRightType() throws Exception {
        try (JMSContext context = factory().createContext()) {
            Queue q = context.createQueue("q");
            Map<String, Object> map = new HashMap<>();
            map.put("k", 1);
            map.put("s", "v");
            JMSProducer p = context.createProducer();
            p.send(q, "text").send(q, map).send(q, new byte[] {4, 5}).send(q, (java.io.Serializable) List.of(1, 2));
            p.send(q, (String) null).send(q, (Map<String, Object>) null).send(q, (byte[]) null)
                    .send(q, (java.io.Serializable) null);
            JMSConsumer consumer = context.createConsumer(q);
            assertEquals("text", ((TextMessage) consumer.receive(WAIT_MS)).getText());
            MapMessage m = (MapMessage) consumer.receive(WAIT_MS);
            assertEquals(1, m.getInt("k"));
            assertEquals("v", m.getString("s"));
            assertArrayEquals(new byte[] {4, 5}, consumer.receive(WAIT_MS).getBody(byte[].class));
            assertEquals(List.of(1, 2), ((ObjectMessage) consumer.receive(WAIT_MS)).getObject());

            TextMessage nullText = assertInstanceOf(TextMessage.class, consumer.receive(WAIT_MS));
            assertNull(nullText.getText());
            MapMessage emptyMap = assertInstanceOf(MapMessage.class, consumer.receive(WAIT_MS));
            assertFalse(emptyMap.getMapNames().hasMoreElements());
            BytesMessage emptyBytes = assertInstanceOf(BytesMessage.class, consumer.receive(WAIT_MS));
            assertEquals(0, emptyBytes.getBodyLength());
            ObjectMessage nullObject = assertInstanceOf(ObjectMessage.class, consumer.receive(WAIT_MS));
            assertNull(nullObject.getObject());
        }
    }

    @Test
    void sendOptionsApplyToEveryMessageOfTheProducer() throws Exception {
        try (JMSContext context = factory().createContext()) {
            Queue q = context.createQueue("q");
            JMSProducer p = context.createProducer()
                    .setDeliveryMode(DeliveryMode.NON_PERSISTENT)
                    .setPriority(8)
                    .setTimeToLive(60_000)
                    .setDisableMessageID(true)
                    .setDisableMessageTimestamp(true);
            assertEquals(DeliveryMode.NON_PERSISTENT, p.getDeliveryMode());
            assertEquals(8, p.getPriority());
            assertEquals(60_000, p.getTimeToLive());
            assertTrue(p.getDisableMessageID());
            assertTrue(p.getDisableMessageTimestamp());
            long before = System.currentTimeMillis();
            p.send(q, "a");
            Message received = context.createConsumer(q).receive(WAIT_MS);
            assertEquals(DeliveryMode.NON_PERSISTENT, received.getJMSDeliveryMode());
            assertEquals(8, received.getJMSPriority());
            assertNull(received.getJMSMessageID());
            assertEquals(0, received.getJMSTimestamp());
            assertTrue(received.getJMSExpiration() >= before + 60_000);

            JMSProducer defaults = context.createProducer();
            assertEquals(DeliveryMode.PERSISTENT, defaults.getDeliveryMode());
            assertEquals(Message.DEFAULT_PRIORITY, defaults.getPriority());
            assertEquals(0, defaults.getTimeToLive());
            assertEquals(0, defaults.getDeliveryDelay());
            assertNull(defaults.getAsync());
        }
    }

    @Test
    void invalidArgumentsGetTheSpecifiedRuntimeExceptions() {
        try (JMSContext context = factory().createContext()) {
            JMSProducer p = context.createProducer();
            Queue q = context.createQueue("q");
            assertThrows(JMSRuntimeException.class, () -> p.setPriority(10));
            assertThrows(JMSRuntimeException.class, () -> p.setDeliveryMode(0));
            assertThrows(MessageFormatRuntimeException.class, () -> p.send(q, (Message) null));
            assertThrows(InvalidDestinationRuntimeException.class, () -> p.send(null, "x"));
            Map<String, Object> bad = new HashMap<>();
            bad.put("list", new ArrayList<>());
            assertThrows(MessageFormatRuntimeException.class, () -> p.send(q, bad));
        }
    }

    @Test
    void aReceivedMessageCannotTakeTheProducersProperties() {
        try (JMSContext context = factory().createContext()) {
            Queue q = context.createQueue("q");
            context.createProducer().send(q, "first");
            Message received = context.createConsumer(q).receive(WAIT_MS);
            Queue other = context.createQueue("other");
            assertThrows(MessageNotWriteableRuntimeException.class,
                    () -> context.createProducer().setProperty("p", 1).send(other, received));
            context.createProducer().send(other, received);
            assertEquals("first", context.createConsumer(other).receiveBody(String.class, WAIT_MS),
                    "without producer properties a received message can be forwarded");
        }
    }
}
