package dev.courier.jms;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;

/**
 * The type rules of {@code JMSConsumer.receiveBody}: the body of a text, bytes, map or object
 * message, assignable to the requested type. A message with no body, a {@code StreamMessage}
 * or a plain {@code Message} has no body to give, which the specification makes an error
 * rather than a null (null means "no message"). Stateless and thread-safe.
 */
final class ReceivedBody {

    private ReceivedBody() {
    }

    /**
     * @throws MessageFormatException if the message has no body, is a StreamMessage, its body is
     *         not assignable to {@code type} or an object body cannot be deserialized
     */
    static <T> T of(Message message, Class<T> type) throws JMSException {
        T body = message.getBody(type);
        if (body == null) {
            throw new MessageFormatException("receiveBody needs a message with a body; this "
                    + message.getClass().getSimpleName() + " has none");
        }
        return body;
    }
}
