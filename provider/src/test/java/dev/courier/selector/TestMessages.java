package dev.courier.selector;

import dev.courier.message.MessageRecord;
import java.util.HashMap;
import java.util.Map;

/** Messages the selector tests evaluate against, with one property of every type. */
final class TestMessages {

    private TestMessages() {
    }

    /**
     * Headers: JMSMessageID 'ID:1', JMSTimestamp 1000, JMSCorrelationID 'corr-1', JMSType 'order',
     * JMSPriority 7, PERSISTENT. Properties are listed in the body; {@code missing} is absent.
     */
    static MessageRecord standard() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("i", 5);
        properties.put("l", 10L);
        properties.put("sh", (short) 3);
        properties.put("by", (byte) 2);
        properties.put("zero", 0);
        properties.put("neg", -7);
        properties.put("big", Long.MAX_VALUE);
        properties.put("d", 2.5);
        properties.put("fl", 1.5f);
        properties.put("fl01", 0.1f);
        properties.put("dInt", 5.0);
        properties.put("nan", Double.NaN);
        properties.put("s", "abc");
        properties.put("str5", "5");
        properties.put("empty", "");
        properties.put("quote", "it's");
        properties.put("pct", "100%");
        properties.put("under", "a_b");
        properties.put("multiline", "first\nsecond");
        properties.put("Name", "upper");
        properties.put("name", "lower");
        properties.put("t", true);
        properties.put("f", false);
        properties.put("JMSXGroupID", "group-1");
        properties.put("JMS_vendor", 42);
        return MessageRecord.builder()
                .messageId("ID:1")
                .timestamp(1000L)
                .correlationId("corr-1")
                .type("order")
                .priority(7)
                .persistent(true)
                .properties(properties)
                .build();
    }

    static MessageRecord withProperty(String name, Object value) {
        return MessageRecord.builder().property(name, value).build();
    }

    static MessageRecord empty() {
        return MessageRecord.builder().build();
    }
}
