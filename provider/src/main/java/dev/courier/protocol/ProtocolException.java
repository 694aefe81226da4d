package dev.courier.protocol;

import java.io.IOException;

/**
 * The peer broke the protocol: a truncated, oversized or unknown frame, a bad handshake. The
 * connection cannot continue; {@link #error()} is what to tell the peer before closing.
 */
public final class ProtocolException extends IOException {

    private static final long serialVersionUID = 1L;

    private final WireError error;

    public ProtocolException(WireError error, String message) {
        super(message);
        this.error = error;
    }

    public ProtocolException(String message) {
        this(WireError.PROTOCOL, message);
    }

    public WireError error() {
        return error;
    }
}
