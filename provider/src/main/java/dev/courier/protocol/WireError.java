package dev.courier.protocol;

/**
 * Why a request or a whole connection failed, as a stable number on the wire. The first codes
 * mirror the broker's own error codes (the server maps them one to one); the rest are about the
 * link itself. A code this version does not know decodes as {@link #GENERAL}, so a newer peer
 * never breaks an older one.
 */
public enum WireError {
    GENERAL(0),
    ILLEGAL_STATE(1),
    INVALID_DESTINATION(2),
    INVALID_CLIENT_ID(3),
    INVALID_SELECTOR(4),
    SECURITY(5),
    TRANSACTION_ROLLED_BACK(6),
    CLOSED(7),
    /** The peer sent something this protocol does not allow: a malformed or unexpected frame. */
    PROTOCOL(8),
    /** The handshake named a protocol version this peer does not speak. */
    UNSUPPORTED_VERSION(9),
    /** A frame's declared length is above the negotiated maximum. */
    FRAME_TOO_LARGE(10),
    /** The peer sent nothing for too long: no handshake, or no heartbeat. */
    TIMEOUT(11),
    /** The broker is shutting down. */
    SHUTDOWN(12);

    private static final WireError[] BY_CODE = new WireError[13];

    static {
        for (WireError e : values()) {
            BY_CODE[e.code] = e;
        }
    }

    private final int code;

    WireError(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static WireError of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : GENERAL;
    }
}
