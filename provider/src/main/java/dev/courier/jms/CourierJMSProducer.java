package dev.courier.jms;

import dev.courier.jms.message.CourierMessage;
import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;
import java.io.Serializable;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The simplified API's producer: send options, message properties and headers that it applies
 * to each message it sends (overriding what the message carries), sending through its context's
 * anonymous {@link CourierMessageProducer}. Lightweight: it holds no broker resources.
 *
 * <p>Properties and headers are kept in a private {@link CourierMessage}, the template, so names,
 * values and conversions follow exactly the rules of a message's.
 *
 * <p>Threading: like its context, used by one thread at a time.
 */
final class CourierJMSProducer implements JMSProducer {

    private final CourierJMSContext context;
    private final CourierMessage template = new CourierMessage();
    /** False while the template surely has no property, so sends skip copying properties. */
    private boolean hasProperties;
    /** Whether the correlation ID was last set as bytes, so it is passed on in that form. */
    private boolean correlationIdAsBytes;
    private int deliveryMode = DeliveryMode.PERSISTENT;
    private int priority = Message.DEFAULT_PRIORITY;
    private long timeToLive = Message.DEFAULT_TIME_TO_LIVE;
    private long deliveryDelay = Message.DEFAULT_DELIVERY_DELAY;
    private boolean disableMessageId;
    private boolean disableTimestamp;
    private CompletionListener completionListener;

    CourierJMSProducer(CourierJMSContext context) {
        this.context = context;
    }

    // ---- sending

    @Override
    public JMSProducer send(Destination destination, Message message) {
        if (message == null) {
            throw new MessageFormatRuntimeException("message must not be null");
        }
        try {
            CourierMessageProducer producer = context.anonymousProducer();
            applyTo(message);
            producer.setDeliveryDelay(deliveryDelay);
            producer.setDisableMessageID(disableMessageId);
            producer.setDisableMessageTimestamp(disableTimestamp);
            if (completionListener == null) {
                producer.send(destination, message, deliveryMode, priority, timeToLive);
            } else {
                producer.send(destination, message, deliveryMode, priority, timeToLive, completionListener);
            }
        } catch (JMSException e) {
            throw JmsRuntimeExceptions.of(e);
        }
        return this;
    }

    @Override
    public JMSProducer send(Destination destination, String body) {
        return send(destination, context.createTextMessage(body));
    }

    @Override
    public JMSProducer send(Destination destination, Map<String, Object> body) {
        MapMessage message = context.createMapMessage();
        if (body != null) {
            JmsRuntimeExceptions.run(() -> {
                for (Map.Entry<String, Object> entry : body.entrySet()) {
                    message.setObject(entry.getKey(), entry.getValue());
                }
            });
        }
        return send(destination, message);
    }

    @Override
    public JMSProducer send(Destination destination, byte[] body) {
        BytesMessage message = context.createBytesMessage();
        if (body != null) {
            JmsRuntimeExceptions.run(() -> message.writeBytes(body));
        }
        return send(destination, message);
    }

    @Override
    public JMSProducer send(Destination destination, Serializable body) {
        return send(destination, context.createObjectMessage(body));
    }

    /** The producer's properties and headers override the message's own. */
    private void applyTo(Message message) throws JMSException {
        if (hasProperties) {
            Enumeration<?> names = template.getPropertyNames();
            while (names.hasMoreElements()) {
                String name = (String) names.nextElement();
                message.setObjectProperty(name, template.getObjectProperty(name));
            }
        }
        if (correlationIdAsBytes) {
            message.setJMSCorrelationIDAsBytes(template.getJMSCorrelationIDAsBytes());
        } else if (template.getJMSCorrelationID() != null) {
            message.setJMSCorrelationID(template.getJMSCorrelationID());
        }
        if (template.getJMSType() != null) {
            message.setJMSType(template.getJMSType());
        }
        if (template.getJMSReplyTo() != null) {
            message.setJMSReplyTo(template.getJMSReplyTo());
        }
    }

    // ---- send options

    @Override
    public JMSProducer setDisableMessageID(boolean value) {
        disableMessageId = value;
        return this;
    }

    @Override
    public boolean getDisableMessageID() {
        return disableMessageId;
    }

    @Override
    public JMSProducer setDisableMessageTimestamp(boolean value) {
        disableTimestamp = value;
        return this;
    }

    @Override
    public boolean getDisableMessageTimestamp() {
        return disableTimestamp;
    }

    @Override
    public JMSProducer setDeliveryMode(int mode) {
        if (mode != DeliveryMode.PERSISTENT && mode != DeliveryMode.NON_PERSISTENT) {
            throw new JMSRuntimeException("invalid delivery mode " + mode);
        }
        deliveryMode = mode;
        return this;
    }

    @Override
    public int getDeliveryMode() {
        return deliveryMode;
    }

    @Override
    public JMSProducer setPriority(int value) {
        if (value < 0 || value > 9) {
            throw new JMSRuntimeException("priority must be 0 to 9: " + value);
        }
        priority = value;
        return this;
    }

    @Override
    public int getPriority() {
        return priority;
    }

    @Override
    public JMSProducer setTimeToLive(long value) {
        timeToLive = value;
        return this;
    }

    @Override
    public long getTimeToLive() {
        return timeToLive;
    }

    @Override
    public JMSProducer setDeliveryDelay(long value) {
        deliveryDelay = value;
        return this;
    }

    @Override
    public long getDeliveryDelay() {
        return deliveryDelay;
    }

    @Override
    public JMSProducer setAsync(CompletionListener listener) {
        completionListener = listener;
        return this;
    }

    @Override
    public CompletionListener getAsync() {
        return completionListener;
    }

    // ---- properties

    @Override
    public JMSProducer setProperty(String name, boolean value) {
        JmsRuntimeExceptions.run(() -> template.setBooleanProperty(name, value));
        hasProperties = true;
        return this;
    }

    @Override
    public JMSProducer setProperty(String name, byte value) {
        JmsRuntimeExceptions.run(() -> template.setByteProperty(name, value));
        hasProperties = true;
        return this;
    }

    @Override
    public JMSProducer setProperty(String name, short value) {
        JmsRuntimeExceptions.run(() -> template.setShortProperty(name, value));
        hasProperties = true;
        return this;
    }

    @Override
    public JMSProducer setProperty(String name, int value) {
        JmsRuntimeExceptions.run(() -> template.setIntProperty(name, value));
        hasProperties = true;
        return this;
    }

    @Override
    public JMSProducer setProperty(String name, long value) {
        JmsRuntimeExceptions.run(() -> template.setLongProperty(name, value));
        hasProperties = true;
        return this;
    }

    @Override
    public JMSProducer setProperty(String name, float value) {
        JmsRuntimeExceptions.run(() -> template.setFloatProperty(name, value));
        hasProperties = true;
        return this;
    }

    @Override
    public JMSProducer setProperty(String name, double value) {
        JmsRuntimeExceptions.run(() -> template.setDoubleProperty(name, value));
        hasProperties = true;
        return this;
    }

    @Override
    public JMSProducer setProperty(String name, String value) {
        JmsRuntimeExceptions.run(() -> template.setStringProperty(name, value));
        hasProperties = true;
        return this;
    }

    @Override
    public JMSProducer setProperty(String name, Object value) {
        JmsRuntimeExceptions.run(() -> template.setObjectProperty(name, value));
        hasProperties = true;
        return this;
    }

    @Override
    public JMSProducer clearProperties() {
        template.clearProperties();
        hasProperties = false;
        return this;
    }

    @Override
    public boolean propertyExists(String name) {
        return template.propertyExists(name);
    }

    @Override
    public boolean getBooleanProperty(String name) {
        return JmsRuntimeExceptions.call(() -> template.getBooleanProperty(name));
    }

    @Override
    public byte getByteProperty(String name) {
        return JmsRuntimeExceptions.call(() -> template.getByteProperty(name));
    }

    @Override
    public short getShortProperty(String name) {
        return JmsRuntimeExceptions.call(() -> template.getShortProperty(name));
    }

    @Override
    public int getIntProperty(String name) {
        return JmsRuntimeExceptions.call(() -> template.getIntProperty(name));
    }

    @Override
    public long getLongProperty(String name) {
        return JmsRuntimeExceptions.call(() -> template.getLongProperty(name));
    }

    @Override
    public float getFloatProperty(String name) {
        return JmsRuntimeExceptions.call(() -> template.getFloatProperty(name));
    }

    @Override
    public double getDoubleProperty(String name) {
        return JmsRuntimeExceptions.call(() -> template.getDoubleProperty(name));
    }

    @Override
    public String getStringProperty(String name) {
        return JmsRuntimeExceptions.call(() -> template.getStringProperty(name));
    }

    @Override
    public Object getObjectProperty(String name) {
        return template.getObjectProperty(name);
    }

    /** An unmodifiable snapshot of the names. */
    @Override
    public Set<String> getPropertyNames() {
        Set<String> names = new LinkedHashSet<>();
        Enumeration<?> e = template.getPropertyNames();
        while (e.hasMoreElements()) {
            names.add((String) e.nextElement());
        }
        return Collections.unmodifiableSet(names);
    }

    // ---- headers

    /** A null value clears the correlation ID: messages then keep their own. */
    @Override
    public JMSProducer setJMSCorrelationIDAsBytes(byte[] value) {
        template.setJMSCorrelationIDAsBytes(value);
        correlationIdAsBytes = value != null;
        return this;
    }

    @Override
    public byte[] getJMSCorrelationIDAsBytes() {
        return template.getJMSCorrelationIDAsBytes();
    }

    @Override
    public JMSProducer setJMSCorrelationID(String value) {
        template.setJMSCorrelationID(value);
        correlationIdAsBytes = false;
        return this;
    }

    @Override
    public String getJMSCorrelationID() {
        return template.getJMSCorrelationID();
    }

    @Override
    public JMSProducer setJMSType(String value) {
        template.setJMSType(value);
        return this;
    }

    @Override
    public String getJMSType() {
        return template.getJMSType();
    }

    @Override
    public JMSProducer setJMSReplyTo(Destination value) {
        template.setJMSReplyTo(value);
        return this;
    }

    @Override
    public Destination getJMSReplyTo() {
        return template.getJMSReplyTo();
    }
}
