package dev.courier.client;

import dev.courier.broker.BrokerException;
import dev.courier.broker.ErrorCode;
import dev.courier.protocol.WireError;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.TransactionRolledBackException;

/** Maps the broker's error codes to the JMS exceptions the specification names. */
final class BrokerErrors {

    private BrokerErrors() {
    }

    /** The JMS exception for a broker's FAILED answer over TCP. */
    static JMSException toJms(WireError error, String message) {
        return toJms(new BrokerException(errorCode(error), message));
    }

    static ErrorCode errorCode(WireError error) {
        return switch (error) {
            case ILLEGAL_STATE -> ErrorCode.ILLEGAL_STATE;
            case INVALID_DESTINATION -> ErrorCode.INVALID_DESTINATION;
            case INVALID_CLIENT_ID -> ErrorCode.INVALID_CLIENT_ID;
            case INVALID_SELECTOR -> ErrorCode.INVALID_SELECTOR;
            case SECURITY -> ErrorCode.SECURITY;
            case TRANSACTION_ROLLED_BACK -> ErrorCode.TRANSACTION_ROLLED_BACK;
            case CLOSED -> ErrorCode.CLOSED;
            default -> ErrorCode.GENERAL;
        };
    }

    static JMSException toJms(BrokerException e) {
        JMSException jms;
        switch (e.code()) {
            case ILLEGAL_STATE:
            case CLOSED:
                jms = new IllegalStateException(e.getMessage());
                break;
            case INVALID_DESTINATION:
                jms = new InvalidDestinationException(e.getMessage());
                break;
            case INVALID_CLIENT_ID:
                jms = new InvalidClientIDException(e.getMessage());
                break;
            case INVALID_SELECTOR:
                jms = new InvalidSelectorException(e.getMessage());
                break;
            case SECURITY:
                jms = new JMSSecurityException(e.getMessage());
                break;
            case TRANSACTION_ROLLED_BACK:
                jms = new TransactionRolledBackException(e.getMessage());
                break;
            default:
                jms = new JMSException(e.getMessage());
                break;
        }
        jms.setLinkedException(e);
        jms.initCause(e);
        return jms;
    }
}
