package dev.courier.broker;

/**
 * Why the broker refused an operation. The client maps each code to the JMS exception the
 * specification names, so the broker itself stays free of the JMS object layer.
 */
public enum ErrorCode {
    /** A generic failure ({@code JMSException}). */
    GENERAL,
    /** The operation is not allowed in the current state ({@code IllegalStateException}). */
    ILLEGAL_STATE,
    /** Unknown or deleted destination, or one this connection may not use. */
    INVALID_DESTINATION,
    /** Client ID in use or not allowed ({@code InvalidClientIDException}). */
    INVALID_CLIENT_ID,
    /** Selector does not compile ({@code InvalidSelectorException}). */
    INVALID_SELECTOR,
    /** Authentication or authorization failed ({@code JMSSecurityException}). */
    SECURITY,
    /** A transaction could not commit and was rolled back ({@code TransactionRolledBackException}). */
    TRANSACTION_ROLLED_BACK,
    /** The broker or the connection is closed. */
    CLOSED
}
