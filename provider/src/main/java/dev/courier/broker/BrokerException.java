package dev.courier.broker;

/** An operation the broker refused, with the {@link ErrorCode} that says why. */
public final class BrokerException extends Exception {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public BrokerException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
