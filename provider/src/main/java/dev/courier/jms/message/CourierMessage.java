package dev.courier.jms.message;

import dev.courier.jms.CourierDestination;
import dev.courier.message.Address;
import dev.courier.message.BodyType;
import dev.courier.message.MessageRecord;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;

/**
 * Courier's {@link Message}: headers, properties and (in subclasses) a body, plus the bridge to
 * and from the immutable {@link MessageRecord} that the layers below pass along.
 *
 * <p>A message made by the application starts writable. A message made by {@link #fromRecord}
 * is a received message: its properties and body are read-only until {@link #clearProperties()}
 * or {@link #clearBody()}, its headers stay settable. A received message reads the record's
 * values in place and never changes them, so one record can back many received messages.
 *
 * <p>Not thread-safe: as the spec says, a message is used by one thread at a time.
 * The records it produces are immutable and may be shared freely.
 */
public class CourierMessage implements Message {

    private String messageId;
    /** A generated ID not built yet ({@link #setGeneratedMessageId}), else null. */
    private String messageIdPrefix;
    private long messageIdNumber;
    /** A received message's record, whose ID is read on first use, else null. */
    private MessageRecord messageIdSource;
    private long timestamp;
    private String correlationId;
    /** Never handed out or changed once set, so it can be shared with records. */
    private byte[] correlationIdBytes;
    /** A destination the application set, or one made on demand from {@link #destinationAddress}. */
    private Destination destination;
    private Address destinationAddress;
    private Destination replyTo;
    private Address replyToAddress;
    private int deliveryMode = Message.DEFAULT_DELIVERY_MODE;
    private int priority = Message.DEFAULT_PRIORITY;
    private long expiration;
    private long deliveryTime;
    private String type;
    private boolean redelivered;
    private final MessageProperties properties = new MessageProperties();
    private MessageAcknowledger acknowledger;

    /** An empty, writable message with the default delivery mode and priority. */
    public CourierMessage() {
    }

    // ---------------------------------------------------------------- records

    /**
     * Snapshot for sending: headers as currently set on this message (the producer sets
     * JMSDestination, JMSDeliveryMode, JMSPriority, JMSExpiration, JMSTimestamp and JMSDeliveryTime
     * via the normal setters just before, and JMSMessageID with {@link #setGeneratedMessageId}), a copy of the properties and the body,
     * so later changes to this message never affect the record. Works on read-only (received)
     * messages too. {@code JMSXDeliveryCount} is not copied: it describes a delivery.
     *
     * @throws jakarta.jms.InvalidDestinationException when JMSDestination or JMSReplyTo is a
     *         foreign destination that is neither a Queue nor a Topic
     */
    public MessageRecord toRecord() throws JMSException {
        MessageRecord.Builder builder = MessageRecord.builder();
        if (messageIdPrefix != null) {
            builder.messageId(messageIdPrefix, messageIdNumber);
        } else {
            builder.messageId(getJMSMessageID());
        }
        builder.timestamp(timestamp)
                .destination(destinationAddress())
                .replyTo(replyToAddress())
                .persistent(deliveryMode != DeliveryMode.NON_PERSISTENT)
                .priority(priority)
                .expiration(expiration)
                .deliveryTime(deliveryTime)
                .type(type)
                .properties(properties.copyForRecord())
                .body(bodyType(), bodySnapshot());
        if (correlationIdBytes != null) {
            builder.correlationIdBytes(correlationIdBytes);
        } else {
            builder.correlationId(correlationId);
        }
        return builder.build();
    }

    /**
     * Same as {@link #toRecord()} for any message: a Courier message directly, another
     * provider's message read through the public API only (body by its JMS interface type).
     * Reading a foreign {@code StreamMessage} or {@code BytesMessage} may leave it reset to
     * read-only mode, as the only public way to read them requires.
     */
    public static MessageRecord toRecord(Message foreign) throws JMSException {
        if (foreign instanceof CourierMessage) {
            return ((CourierMessage) foreign).toRecord();
        }
        return ForeignMessages.toRecord(foreign);
    }

    /**
     * A received message: the right subclass, body and properties read-only, JMSRedelivered as
     * given and the int property JMSXDeliveryCount = {@code deliveryCount}. Bodies are read
     * from the record in place; an object body is deserialized only by {@code getObject()}.
     *
     * @param policy the classes an ObjectMessage may deserialize; null means
     *        {@link DeserializationPolicy#defaults()} at the time of the call to getObject
     */
    public static CourierMessage fromRecord(MessageRecord record, int deliveryCount,
            boolean redelivered, DeserializationPolicy policy) {
        CourierMessage message;
        switch (record.bodyType()) {
            case TEXT:
                message = new CourierTextMessage();
                break;
            case BYTES:
                message = new CourierBytesMessage();
                break;
            case MAP:
                message = new CourierMapMessage();
                break;
            case STREAM:
                message = new CourierStreamMessage();
                break;
            case OBJECT:
                message = new CourierObjectMessage();
                break;
            default:
                message = new CourierMessage();
                break;
        }
        message.receive(record, deliveryCount, redelivered, policy);
        return message;
    }

    private void receive(MessageRecord record, int deliveryCount, boolean wasRedelivered,
            DeserializationPolicy policy) {
        messageId = null;
        messageIdPrefix = null;
        messageIdSource = record;
        timestamp = record.timestamp();
        correlationId = record.correlationId();
        correlationIdBytes = record.correlationIdBytes();
        destinationAddress = record.destination();
        replyToAddress = record.replyTo();
        deliveryMode = record.persistent() ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT;
        priority = record.priority();
        expiration = record.expiration();
        deliveryTime = record.deliveryTime();
        type = record.type();
        redelivered = wasRedelivered;
        properties.receive(record.properties(), deliveryCount);
        receiveBody(record.body(), policy);
    }

    /** Sets what {@link #acknowledge()} calls; null makes acknowledge() do nothing. */
    public void setAcknowledger(MessageAcknowledger acknowledger) {
        this.acknowledger = acknowledger;
    }

    // ---------------------------------------------------------------- body hooks

    /** The record body kind of this message class. */
    BodyType bodyType() {
        return BodyType.NONE;
    }

    /** The body in the record's Java type (see {@link BodyType}), never shared with later writes. */
    Object bodySnapshot() throws JMSException {
        return null;
    }

    /** Takes a received record's body, read-only; it must never be modified. */
    void receiveBody(Object recordBody, DeserializationPolicy policy) {
        // A plain Message has no body.
    }

    /** True when the body is empty in the sense of {@link #getBody(Class)}. */
    boolean hasNoBody() throws JMSException {
        return true;
    }

    /** The body as {@link #getBody(Class)} hands it out: a value the application may keep. */
    Object bodyValue() throws JMSException {
        return null;
    }

    /** Whether a body value (from {@link #bodyValue()}) may be handed out as {@code c}. */
    boolean bodyAssignable(Object value, Class<?> c) {
        return c.isInstance(value);
    }

    @Override
    public void clearBody() throws JMSException {
        // A plain Message has no body to clear.
    }

    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        if (hasNoBody()) {
            return null;
        }
        Object value = bodyValue();
        if (!bodyAssignable(value, c)) {
            throw new MessageFormatException("the body of this " + getClass().getSimpleName()
                    + " cannot be assigned to " + c.getName());
        }
        return c.cast(value);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public boolean isBodyAssignableTo(Class c) throws JMSException {
        if (hasNoBody()) {
            return true;
        }
        try {
            return bodyAssignable(bodyValue(), c);
        } catch (MessageFormatException undecodable) {
            return false;
        }
    }

    // ---------------------------------------------------------------- headers

    @Override
    public String getJMSMessageID() {
        if (messageId == null) {
            if (messageIdPrefix != null) {
                messageId = messageIdPrefix + messageIdNumber;
                messageIdPrefix = null;
            } else if (messageIdSource != null) {
                messageId = messageIdSource.messageId();
                messageIdSource = null;
            }
        }
        return messageId;
    }

    @Override
    public void setJMSMessageID(String id) {
        messageId = id;
        messageIdPrefix = null;
        messageIdSource = null;
    }

    /**
     * Gives the message the ID {@code prefix} followed by {@code number}, as a producer does when
     * sending. The string is built when first read, here or from the record, which saves the
     * sending thread the work when nobody reads it.
     */
    public void setGeneratedMessageId(String prefix, long number) {
        messageId = null;
        messageIdPrefix = prefix;
        messageIdNumber = number;
        messageIdSource = null;
    }

    @Override
    public long getJMSTimestamp() {
        return timestamp;
    }

    @Override
    public void setJMSTimestamp(long timestamp) {
        this.timestamp = timestamp;
    }

    /**
     * The correlation ID as bytes: a copy of the bytes set by {@link #setJMSCorrelationIDAsBytes},
     * else the UTF-8 encoding of the String set by {@link #setJMSCorrelationID}, else null.
     */
    @Override
    public byte[] getJMSCorrelationIDAsBytes() {
        if (correlationIdBytes != null) {
            return correlationIdBytes.clone();
        }
        return correlationId == null ? null : correlationId.getBytes(StandardCharsets.UTF_8);
    }

    /** Keeps a copy of the bytes; replaces a String correlation ID. */
    @Override
    public void setJMSCorrelationIDAsBytes(byte[] correlationID) {
        correlationIdBytes = correlationID == null ? null : correlationID.clone();
        correlationId = null;
    }

    /** Replaces a byte correlation ID. */
    @Override
    public void setJMSCorrelationID(String correlationID) {
        correlationId = correlationID;
        correlationIdBytes = null;
    }

    /** The String set, else the bytes set decoded as UTF-8, else null. */
    @Override
    public String getJMSCorrelationID() {
        if (correlationIdBytes != null) {
            return new String(correlationIdBytes, StandardCharsets.UTF_8);
        }
        return correlationId;
    }

    @Override
    public Destination getJMSReplyTo() {
        if (replyTo == null && replyToAddress != null) {
            replyTo = CourierDestination.of(replyToAddress);
        }
        return replyTo;
    }

    @Override
    public void setJMSReplyTo(Destination replyTo) {
        this.replyTo = replyTo;
        this.replyToAddress = null;
    }

    @Override
    public Destination getJMSDestination() {
        if (destination == null && destinationAddress != null) {
            destination = CourierDestination.of(destinationAddress);
        }
        return destination;
    }

    @Override
    public void setJMSDestination(Destination destination) {
        this.destination = destination;
        this.destinationAddress = null;
    }

    private Address destinationAddress() throws JMSException {
        return destination != null ? CourierDestination.from(destination).address() : destinationAddress;
    }

    private Address replyToAddress() throws JMSException {
        return replyTo != null ? CourierDestination.from(replyTo).address() : replyToAddress;
    }

    @Override
    public int getJMSDeliveryMode() {
        return deliveryMode;
    }

    @Override
    public void setJMSDeliveryMode(int deliveryMode) {
        this.deliveryMode = deliveryMode;
    }

    @Override
    public boolean getJMSRedelivered() {
        return redelivered;
    }

    @Override
    public void setJMSRedelivered(boolean redelivered) {
        this.redelivered = redelivered;
    }

    @Override
    public String getJMSType() {
        return type;
    }

    @Override
    public void setJMSType(String type) {
        this.type = type;
    }

    @Override
    public long getJMSExpiration() {
        return expiration;
    }

    @Override
    public void setJMSExpiration(long expiration) {
        this.expiration = expiration;
    }

    @Override
    public long getJMSDeliveryTime() {
        return deliveryTime;
    }

    @Override
    public void setJMSDeliveryTime(long deliveryTime) {
        this.deliveryTime = deliveryTime;
    }

    @Override
    public int getJMSPriority() {
        return priority;
    }

    @Override
    public void setJMSPriority(int priority) {
        this.priority = priority;
    }

    // ---------------------------------------------------------------- properties

    @Override
    public void clearProperties() {
        properties.clear();
    }

    @Override
    public boolean propertyExists(String name) {
        return properties.exists(name);
    }

    @Override
    public boolean getBooleanProperty(String name) throws JMSException {
        return TypedValues.toBoolean(properties.get(name));
    }

    @Override
    public byte getByteProperty(String name) throws JMSException {
        return TypedValues.toByte(properties.get(name));
    }

    @Override
    public short getShortProperty(String name) throws JMSException {
        return TypedValues.toShort(properties.get(name));
    }

    @Override
    public int getIntProperty(String name) throws JMSException {
        return TypedValues.toInt(properties.get(name));
    }

    @Override
    public long getLongProperty(String name) throws JMSException {
        return TypedValues.toLong(properties.get(name));
    }

    @Override
    public float getFloatProperty(String name) throws JMSException {
        return TypedValues.toFloat(properties.get(name));
    }

    @Override
    public double getDoubleProperty(String name) throws JMSException {
        return TypedValues.toDouble(properties.get(name));
    }

    @Override
    public String getStringProperty(String name) throws JMSException {
        return TypedValues.toText(properties.get(name));
    }

    @Override
    public Object getObjectProperty(String name) {
        return properties.get(name);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Enumeration getPropertyNames() {
        return properties.names();
    }

    @Override
    public void setBooleanProperty(String name, boolean value) throws JMSException {
        properties.set(name, value);
    }

    @Override
    public void setByteProperty(String name, byte value) throws JMSException {
        properties.set(name, value);
    }

    @Override
    public void setShortProperty(String name, short value) throws JMSException {
        properties.set(name, value);
    }

    @Override
    public void setIntProperty(String name, int value) throws JMSException {
        properties.set(name, value);
    }

    @Override
    public void setLongProperty(String name, long value) throws JMSException {
        properties.set(name, value);
    }

    @Override
    public void setFloatProperty(String name, float value) throws JMSException {
        properties.set(name, value);
    }

    @Override
    public void setDoubleProperty(String name, double value) throws JMSException {
        properties.set(name, value);
    }

    @Override
    public void setStringProperty(String name, String value) throws JMSException {
        properties.set(name, value);
    }

    /** Accepts the wrappers of boolean, byte, short, int, long, float and double, String, or null. */
    @Override
    public void setObjectProperty(String name, Object value) throws JMSException {
        properties.setObject(name, value);
    }

    // ---------------------------------------------------------------- acknowledgement

    /** Calls the acknowledger the session set, if any; does nothing otherwise. */
    @Override
    public void acknowledge() throws JMSException {
        MessageAcknowledger current = acknowledger;
        if (current != null) {
            current.acknowledge();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + getJMSMessageID() + " to "
                + (destination != null ? destination : destinationAddress) + "]";
    }
}
