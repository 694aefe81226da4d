package dev.courier.client;

import jakarta.jms.JMSException;

/**
 * A request was never written because the link had already failed: the broker cannot have
 * acted on it, so a reconnecting link may safely send it again on its next connection.
 */
final class NotSentException extends JMSException {

    private static final long serialVersionUID = 1L;

    NotSentException(String reason) {
        super(reason);
    }
}
