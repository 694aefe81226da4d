package dev.courier.jms.message;

import dev.courier.message.BodyType;
import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.ObjectMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * Courier's {@link ObjectMessage}. The body is kept only in serialized form:
 * {@link #setObject} serializes at once, so later changes to the object do not reach the
 * message, and {@link #getObject} deserializes a fresh copy on every call, resolving only the
 * classes its {@link DeserializationPolicy} allows.
 *
 * <p>Not thread-safe, like every message.
 */
public final class CourierObjectMessage extends CourierMessage implements ObjectMessage {

    /** Serialized body, or null for no object; never modified once assigned, so it may be shared. */
    private byte[] serialized;
    private boolean bodyReadOnly;
    /** Null means {@link DeserializationPolicy#defaults()} as they are when the body is read. */
    private DeserializationPolicy policy;

    /** An empty, writable object message. */
    public CourierObjectMessage() {
    }

    /** Serializes the object now; null clears the body. */
    @Override
    public void setObject(Serializable object) throws JMSException {
        if (bodyReadOnly) {
            throw new MessageNotWriteableException("the body of a received message is read-only; "
                    + "call clearBody() first");
        }
        serialized = object == null ? null : serialize(object);
    }

    /**
     * A new copy of the object on every call, or null.
     *
     * @throws MessageFormatException when the class is not allowed by the policy (the message
     *         names the class and the property that allows it) or cannot be deserialized
     */
    @Override
    public Serializable getObject() throws JMSException {
        if (serialized == null) {
            return null;
        }
        DeserializationPolicy effective = policy != null ? policy : DeserializationPolicy.defaults();
        try (ObjectInputStream in = new PolicyObjectInputStream(
                new ByteArrayInputStream(serialized), effective)) {
            return (Serializable) in.readObject();
        } catch (InvalidClassException refused) {
            throw formatException(refused.getMessage(), refused);
        } catch (IOException | ClassNotFoundException | ClassCastException failed) {
            throw formatException("cannot deserialize the ObjectMessage body: " + failed, failed);
        }
    }

    @Override
    public void clearBody() {
        serialized = null;
        bodyReadOnly = false;
    }

    @Override
    BodyType bodyType() {
        return BodyType.OBJECT;
    }

    @Override
    Object bodySnapshot() {
        return serialized;
    }

    @Override
    void receiveBody(Object recordBody, DeserializationPolicy deserializationPolicy) {
        serialized = (byte[]) recordBody;
        policy = deserializationPolicy;
        bodyReadOnly = true;
    }

    @Override
    boolean hasNoBody() {
        return serialized == null;
    }

    @Override
    Object bodyValue() throws JMSException {
        return getObject();
    }

    /** Java-serializes an object; used here and for foreign ObjectMessages. */
    static byte[] serialize(Serializable object) throws MessageFormatException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        } catch (IOException failed) {
            throw formatException("cannot serialize " + object.getClass().getName() + ": " + failed,
                    failed);
        }
        return bytes.toByteArray();
    }

    private static MessageFormatException formatException(String reason, Exception cause) {
        MessageFormatException e = new MessageFormatException(reason);
        e.setLinkedException(cause);
        e.initCause(cause);
        return e;
    }
}
