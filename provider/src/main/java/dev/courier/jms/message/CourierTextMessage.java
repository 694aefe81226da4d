package dev.courier.jms.message;

import dev.courier.message.BodyType;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.TextMessage;

/**
 * Courier's {@link TextMessage}: a String body, possibly null.
 * Not thread-safe, like every message.
 */
public final class CourierTextMessage extends CourierMessage implements TextMessage {

    private String text;
    private boolean bodyReadOnly;

    /** An empty, writable text message. */
    public CourierTextMessage() {
    }

    @Override
    public void setText(String text) throws MessageNotWriteableException {
        if (bodyReadOnly) {
            throw new MessageNotWriteableException("the body of a received message is read-only; "
                    + "call clearBody() first");
        }
        this.text = text;
    }

    @Override
    public String getText() {
        return text;
    }

    @Override
    public void clearBody() {
        text = null;
        bodyReadOnly = false;
    }

    @Override
    BodyType bodyType() {
        return BodyType.TEXT;
    }

    @Override
    Object bodySnapshot() {
        return text;
    }

    @Override
    void receiveBody(Object recordBody, DeserializationPolicy policy) {
        text = (String) recordBody;
        bodyReadOnly = true;
    }

    @Override
    boolean hasNoBody() {
        return text == null;
    }

    @Override
    Object bodyValue() {
        return text;
    }
}
