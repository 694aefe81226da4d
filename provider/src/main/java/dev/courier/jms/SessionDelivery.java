package dev.courier.jms;

import dev.courier.client.BrokerLink;
import dev.courier.jms.message.CourierMessage;
import dev.courier.jms.message.DeserializationPolicy;
import dev.courier.jms.message.MessageAcknowledger;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageListener;
import jakarta.jms.Session;

/**
 * How a session hands its consumers' deliveries to the application, and settles each one by the
 * session's acknowledgement mode: AUTO_ACKNOWLEDGE and DUPS_OK_ACKNOWLEDGE acknowledge a message
 * as {@code receive} or the listener returns; CLIENT_ACKNOWLEDGE and transacted sessions record it
 * as unsettled in the session's {@link SessionWork}, for acknowledge, commit, rollback or recover.
 *
 * <p>Threading: called on the thread consuming for the session (the application's, or the
 * session's listener pass); holds no state of its own beyond what it is given.
 */
final class SessionDelivery {

    /** Logs under the session's name, where listener failures were always reported. */
    private static final System.Logger LOG = System.getLogger(CourierSession.class.getName());

    private final int mode;
    private final BrokerLink link;
    private final SessionWork work;
    private final DeserializationPolicy deserialization;
    /** Set on every CLIENT_ACKNOWLEDGE message: its {@code acknowledge()} settles the session's deliveries. */
    private final MessageAcknowledger acknowledger;

    SessionDelivery(int mode, BrokerLink link, SessionWork work, DeserializationPolicy deserialization,
                    MessageAcknowledger acknowledger) {
        this.mode = mode;
        this.link = link;
        this.work = work;
        this.deserialization = deserialization;
        this.acknowledger = acknowledger;
    }

    /** Hands a message to {@code receive}: auto modes acknowledge it as receive returns. */
    Message toReceiver(CourierMessageConsumer consumer, PendingDelivery delivery) throws JMSException {
        CourierMessage message = toMessage(delivery);
        if (autoAcknowledges()) {
            link.acknowledge(delivery.deliveryId());
        } else {
            work.delivered(consumer, delivery.deliveryId());
        }
        consumer.consumed();
        return message;
    }

    /**
     * Hands the body of a message to {@code receiveBody}. If the body cannot be had as
     * {@code type}, an auto-acknowledging session behaves as if the call had not happened (the
     * message stays first in line, not redelivered); the other modes count it as delivered.
     */
    <T> T bodyToReceiver(CourierMessageConsumer consumer, PendingDelivery delivery, Class<T> type)
            throws JMSException {
        if (!autoAcknowledges()) {
            return ReceivedBody.of(toReceiver(consumer, delivery), type);
        }
        T body;
        try {
            body = ReceivedBody.of(toMessage(delivery), type);
        } catch (MessageFormatException e) {
            if (!consumer.putBack(delivery)) {
                link.release(new long[] {delivery.deliveryId()}, false);
            }
            throw e;
        }
        link.acknowledge(delivery.deliveryId());
        consumer.consumed();
        return body;
    }

    /** An expired message the consumer dropped: settled without the application seeing it. */
    void discardExpired(CourierMessageConsumer consumer, PendingDelivery delivery) throws JMSException {
        link.acknowledge(delivery.deliveryId());
        consumer.consumed();
    }

    /**
     * Calls the listener with the message. In the auto modes it is acknowledged when the listener
     * returns (gathered in the pass's {@code acknowledgements}), and released for redelivery when
     * it throws; the session goes on delivering.
     */
    void toListener(CourierMessageConsumer consumer, MessageListener listener, PendingDelivery delivery,
                    PassAcknowledgements acknowledgements) throws JMSException {
        CourierMessage message = toMessage(delivery);
        boolean auto = autoAcknowledges();
        // Unsettled while onMessage runs, in every mode, so a recover() from the listener gives it back.
        work.delivered(consumer, delivery.deliveryId());
        try {
            listener.onMessage(message);
        } catch (RuntimeException | Error e) {
            // Whatever a listener throws, its session must go on delivering.
            LOG.log(System.Logger.Level.WARNING, "message listener threw; the message will be redelivered", e);
            if (auto && work.settle(delivery.deliveryId())) {
                consumer.consumed();
                link.release(new long[] {delivery.deliveryId()}, true);
                consumer.redelivering(1);
                return;
            }
        }
        if (auto && work.settle(delivery.deliveryId())) {
            acknowledgements.add(delivery.deliveryId(), link);
        }
        consumer.consumed();
    }

    private boolean autoAcknowledges() {
        return mode == Session.AUTO_ACKNOWLEDGE || mode == Session.DUPS_OK_ACKNOWLEDGE;
    }

    private CourierMessage toMessage(PendingDelivery delivery) {
        CourierMessage message = CourierMessage.fromRecord(delivery.record(), delivery.deliveryCount(),
                delivery.deliveryCount() > 1, deserialization);
        if (mode == Session.CLIENT_ACKNOWLEDGE) {
            message.setAcknowledger(acknowledger);
        }
        return message;
    }
}
