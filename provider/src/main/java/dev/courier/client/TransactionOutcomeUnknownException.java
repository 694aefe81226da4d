package dev.courier.client;

import jakarta.jms.JMSException;

/**
 * A commit reached the broker, but the connection was lost before its answer: the broker applied
 * the whole transaction or none of it, and which one cannot be known. Thrown by {@code commit}
 * on a {@code failover:} connection; the session's transaction is rolled back locally, so the
 * messages it received come again (marked redelivered) unless the commit took effect.
 */
public final class TransactionOutcomeUnknownException extends JMSException {

    private static final long serialVersionUID = 1L;

    public TransactionOutcomeUnknownException(String reason) {
        super(reason, "COMMIT_OUTCOME_UNKNOWN");
    }
}
