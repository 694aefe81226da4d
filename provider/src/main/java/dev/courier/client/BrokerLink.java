package dev.courier.client;

import dev.courier.broker.ConsumerSpec;
import dev.courier.message.Address;
import dev.courier.message.MessageRecord;
import jakarta.jms.JMSException;
import java.util.List;
import java.util.function.Consumer;

/**
 * The client end of one connection to a broker: commands out, deliveries in. The JMS objects
 * talk only to this interface; the in-VM link calls the broker directly and the TCP link
 * turns each call into frames, so every behaviour test can run over both.
 *
 * <p>Implementations are thread-safe. Every failure surfaces as the {@link JMSException}
 * subclass the specification names for it.
 */
public interface BrokerLink {

    void setClientId(String clientId) throws JMSException;

    /** Sends one message outside a transaction; returns when the broker has accepted it. */
    void send(MessageRecord record) throws JMSException;

    /** Commits a transacted session's sends and acknowledgements atomically. */
    void commit(List<MessageRecord> sends, long[] acknowledgements) throws JMSException;

    void openConsumer(long consumerId, ConsumerSpec spec, DeliveryListener listener) throws JMSException;

    void closeConsumer(long consumerId) throws JMSException;

    /** Lets the broker push {@code credit} more messages to the consumer. */
    void addCredit(long consumerId, int credit) throws JMSException;

    /**
     * Returns the credit of messages the application has consumed, the steady top-up of a
     * consumer's window. Unlike {@link #addCredit} it need not wait for the messages the credit
     * lets through: nothing depends on where they are when it returns, and a consumer that
     * waited would stop taking the messages already buffered while the new ones travel.
     */
    default void topUpCredit(long consumerId, int credit) throws JMSException {
        addCredit(consumerId, credit);
    }

    /** Takes back whatever credit the consumer has left (a pull receive that gave up). */
    void revokeCredit(long consumerId) throws JMSException;

    /**
     * The automatic acknowledgement of one consumed message (AUTO_ACKNOWLEDGE, DUPS_OK): need not
     * wait for the broker. If the broker fails first, the message comes again marked redelivered,
     * which these modes allow after a failure.
     */
    void acknowledge(long deliveryId) throws JMSException;

    /**
     * The automatic acknowledgements of several consumed messages at once (a listener pass's), as
     * {@link #acknowledge(long)} does each: the broker settles them together, taking each queue's
     * lock once rather than once per message. Reads the first {@code count} ids before it
     * returns; the caller may then reuse the array.
     */
    void acknowledgeConsumed(long[] deliveryIds, int count) throws JMSException;

    /**
     * An application's {@code acknowledge()} (CLIENT_ACKNOWLEDGE): returns once the broker has
     * settled the messages durably, so they do not come back after a broker crash.
     */
    void acknowledge(long[] deliveryIds) throws JMSException;

    /**
     * Returns deliveries to the broker.
     *
     * @param delivered whether the application saw them (they count as an attempt and come back
     *                  marked redelivered) or they were only prefetched
     */
    void release(long[] deliveryIds, boolean delivered) throws JMSException;

    List<MessageRecord> browse(Address queue, String selector) throws JMSException;

    Address createTemporary(Address.Kind kind) throws JMSException;

    void deleteTemporary(Address address) throws JMSException;

    void unsubscribe(String subscriptionName) throws JMSException;

    /**
     * Registers who to tell when the link fails on its own (the broker went away), as opposed to
     * being closed. Called at most once per link, on a link thread. The in-VM link never fails;
     * a reconnecting link fails only when it gives up reconnecting.
     */
    default void setFailureListener(Consumer<JMSException> listener) {
    }

    /**
     * The owner is closing: calls that would wait for a lost broker connection to come back
     * fail at once instead. Only a reconnecting link waits for that.
     */
    default void closing() {
    }

    /**
     * The connection is closing: sends the broker holds back for room (flow control) fail now,
     * so that closing sessions, which wait for their asynchronous sends, do not wait for room.
     */
    default void stopWaiting() {
    }

    /** Closes the link; unsettled deliveries return to the broker. Idempotent. */
    void close();
}
