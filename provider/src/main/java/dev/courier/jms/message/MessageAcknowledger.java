package dev.courier.jms.message;

import jakarta.jms.JMSException;

/**
 * What {@code Message.acknowledge()} calls on a received message: the session's acknowledgement
 * of the messages it has delivered (how much that covers is the session's business).
 * Implementations decide their own thread-safety; a message calls it from the application's thread.
 */
@FunctionalInterface
public interface MessageAcknowledger {

    /** Acknowledges on behalf of the message's session. */
    void acknowledge() throws JMSException;
}
