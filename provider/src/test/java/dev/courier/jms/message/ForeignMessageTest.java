package dev.courier.jms.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.courier.message.Address;
import dev.courier.message.BodyType;
import dev.courier.message.MessageRecord;
import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageEOFException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Messages of another provider, faked with dynamic proxies that answer only the public API. */
class ForeignMessageTest {

    /** Computes a proxied method's result from its arguments; may throw what the method declares. */
    @FunctionalInterface
    interface Answer {
        Object apply(Object[] args) throws Exception;
    }

    /**
     * A proxy of {@code type} answering from {@code answers}: the key is the method name, or
     * "name:firstArgument" for a lookup by argument; a value is a constant or an {@link Answer}.
     * Methods without an answer return null, 0 or false.
     */
    private static <T> T foreign(Class<T> type, Map<String, ?> answers) {
        Object proxy = Proxy.newProxyInstance(ForeignMessageTest.class.getClassLoader(),
                new Class<?>[] {type}, (self, method, args) -> {
                    Object answer = args != null && args.length > 0
                            && answers.containsKey(method.getName() + ":" + args[0])
                            ? answers.get(method.getName() + ":" + args[0]) : answers.get(method.getName());
                    if (answer instanceof Answer) {
                        return ((Answer) answer).apply(args);
                    }
                    if (answer != null) {
                        return answer;
                    }
                    Class<?> r = method.getReturnType();
                    if (r == int.class) {
                        return 0;
                    }
                    if (r == long.class) {
                        return 0L;
                    }
                    return r == boolean.class ? Boolean.FALSE : null;
                });
        return type.cast(proxy);
    }

    private static Map<String, Object> headers() {
        Map<String, Object> a = new HashMap<>();
        Queue queue = foreign(Queue.class, Map.of("getQueueName", "orders"));
        Topic topic = foreign(Topic.class, Map.of("getTopicName", "replies"));
        a.put("getJMSMessageID", "ID:foreign-1");
        a.put("getJMSTimestamp", 11L);
        a.put("getJMSDestination", queue);
        a.put("getJMSReplyTo", topic);
        a.put("getJMSDeliveryMode", DeliveryMode.NON_PERSISTENT);
        a.put("getJMSPriority", 8);
        a.put("getJMSExpiration", 22L);
        a.put("getJMSDeliveryTime", 33L);
        a.put("getJMSType", "kind");
        a.put("getJMSCorrelationID", "corr");
        a.put("getPropertyNames", (Answer) args -> Collections.enumeration(List.of("color", "JMSXDeliveryCount")));
        a.put("getObjectProperty:color", "red");
        a.put("getObjectProperty:JMSXDeliveryCount", 3);
        return a;
    }

    @Test
    void headersAndPropertiesAreReadThroughThePublicApi() throws JMSException {
        MessageRecord r = CourierMessage.toRecord(foreign(Message.class, headers()));
        assertEquals("ID:foreign-1", r.messageId());
        assertEquals(11, r.timestamp());
        assertEquals(Address.queue("orders"), r.destination());
        assertEquals(Address.topic("replies"), r.replyTo());
        assertFalse(r.persistent());
        assertEquals(8, r.priority());
        assertEquals(22, r.expiration());
        assertEquals(33, r.deliveryTime());
        assertEquals("kind", r.type());
        assertEquals("corr", r.correlationId());
        assertEquals(Map.of("color", "red"), r.properties());
        assertEquals(BodyType.NONE, r.bodyType());
    }

    @Test
    void textBody() throws JMSException {
        Map<String, Object> a = headers();
        a.put("getText", "hello");
        MessageRecord r = CourierMessage.toRecord(foreign(TextMessage.class, a));
        assertEquals(BodyType.TEXT, r.bodyType());
        assertEquals("hello", r.body());
    }

    @Test
    void bytesBodyIsReadWhole() throws JMSException {
        byte[] data = {1, 2, 3, 4, 5};
        int[] position = {0};
        Map<String, Object> a = headers();
        a.put("reset", (Answer) args -> {
            position[0] = 0;
            return null;
        });
        a.put("getBodyLength", (long) data.length);
        a.put("readBytes", (Answer) args -> {
            byte[] buffer = (byte[]) args[0];
            int n = Math.min(buffer.length, Math.min(2, data.length - position[0]));
            if (n == 0) {
                return -1;
            }
            System.arraycopy(data, position[0], buffer, 0, n);
            position[0] += n;
            return n;
        });
        MessageRecord r = CourierMessage.toRecord(foreign(BytesMessage.class, a));
        assertEquals(BodyType.BYTES, r.bodyType());
        assertArrayEquals(data, (byte[]) r.body());
    }

    @Test
    void mapBodyIsCopiedEntryByEntry() throws JMSException {
        byte[] bytes = {7};
        Map<String, Object> a = headers();
        a.put("getMapNames", (Answer) args -> Collections.enumeration(List.of("n", "b")));
        a.put("getObject:n", 5);
        a.put("getObject:b", bytes);
        MessageRecord r = CourierMessage.toRecord(foreign(MapMessage.class, a));
        assertEquals(BodyType.MAP, r.bodyType());
        Map<?, ?> body = (Map<?, ?>) r.body();
        assertEquals(5, body.get("n"));
        bytes[0] = 9;
        assertArrayEquals(new byte[] {7}, (byte[]) body.get("b"));
    }

    @Test
    void streamBodyIsReadToTheEnd() throws JMSException {
        List<Object> values = Arrays.asList(1, "s", null);
        int[] position = {0};
        Map<String, Object> a = headers();
        a.put("reset", (Answer) args -> {
            position[0] = 0;
            return null;
        });
        a.put("readObject", (Answer) args -> {
            if (position[0] >= values.size()) {
                throw new MessageEOFException("end");
            }
            return values.get(position[0]++);
        });
        StreamMessage stream = foreign(StreamMessage.class, a);
        MessageRecord r = CourierMessage.toRecord(stream);
        assertEquals(BodyType.STREAM, r.bodyType());
        assertEquals(values, r.body());
    }

    @Test
    void objectBodyIsSerialized() throws JMSException {
        Map<String, Object> a = headers();
        a.put("getObject", new ArrayList<>(List.of("x")));
        MessageRecord r = CourierMessage.toRecord(foreign(ObjectMessage.class, a));
        assertEquals(BodyType.OBJECT, r.bodyType());
        CourierObjectMessage received = (CourierObjectMessage) CourierMessage.fromRecord(r, 1, false, null);
        assertEquals(List.of("x"), received.getObject());
    }

    @Test
    void nullObjectBodyStaysNull() throws JMSException {
        MessageRecord r = CourierMessage.toRecord(foreign(ObjectMessage.class, headers()));
        assertEquals(BodyType.OBJECT, r.bodyType());
        assertNull(r.body());
    }

    @Test
    void courierMessageIsNotTreatedAsForeign() throws JMSException {
        CourierTextMessage m = new CourierTextMessage();
        m.setText("t");
        assertSame(BodyType.TEXT, CourierMessage.toRecord(m).bodyType());
        assertEquals("t", CourierMessage.toRecord(m).body());
    }
}
