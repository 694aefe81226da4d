package dev.courier.client;

import dev.courier.broker.BrokerConnection;
import dev.courier.broker.BrokerException;
import dev.courier.broker.ConsumerSpec;
import dev.courier.message.Address;
import dev.courier.message.MessageRecord;
import jakarta.jms.JMSException;
import java.util.List;

/**
 * A link to a broker in this JVM: each call goes straight to the {@link BrokerConnection}, with
 * no copy and no serialization (records are immutable), and deliveries arrive on the thread that
 * dispatched them.
 */
final class VmBrokerLink implements BrokerLink {

    private final BrokerConnection connection;

    VmBrokerLink(BrokerConnection connection) {
        this.connection = connection;
    }

    @Override
    public void setClientId(String clientId) throws JMSException {
        try {
            connection.setClientId(clientId);
        } catch (BrokerException e) {
            throw BrokerErrors.toJms(e);
        }
    }

    @Override
    public void send(MessageRecord record) throws JMSException {
        try {
            connection.send(record);
        } catch (BrokerException e) {
            throw BrokerErrors.toJms(e);
        }
    }

    @Override
    public void commit(List<MessageRecord> sends, long[] acknowledgements) throws JMSException {
        try {
            connection.commit(sends, acknowledgements);
        } catch (BrokerException e) {
            throw BrokerErrors.toJms(e);
        }
    }

    @Override
    public void openConsumer(long consumerId, ConsumerSpec spec, DeliveryListener listener) throws JMSException {
        try {
            connection.openConsumer(consumerId, spec, listener::onDelivery);
        } catch (BrokerException e) {
            throw BrokerErrors.toJms(e);
        }
    }

    @Override
    public void closeConsumer(long consumerId) {
        connection.closeConsumer(consumerId);
    }

    @Override
    public void addCredit(long consumerId, int credit) {
        connection.addCredit(consumerId, credit);
    }

    @Override
    public void revokeCredit(long consumerId) {
        connection.revokeCredit(consumerId);
    }

    @Override
    public void acknowledge(long deliveryId) {
        connection.acknowledge(deliveryId);
    }

    @Override
    public void acknowledgeConsumed(long[] deliveryIds, int count) {
        connection.acknowledgeConsumed(deliveryIds, count);
    }

    @Override
    public void acknowledge(long[] deliveryIds) {
        connection.acknowledge(deliveryIds);
    }

    @Override
    public void release(long[] deliveryIds, boolean delivered) {
        connection.release(deliveryIds, delivered);
    }

    @Override
    public List<MessageRecord> browse(Address queue, String selector) throws JMSException {
        try {
            return connection.browse(queue, selector);
        } catch (BrokerException e) {
            throw BrokerErrors.toJms(e);
        }
    }

    @Override
    public Address createTemporary(Address.Kind kind) throws JMSException {
        try {
            return connection.createTemporary(kind);
        } catch (BrokerException e) {
            throw BrokerErrors.toJms(e);
        }
    }

    @Override
    public void deleteTemporary(Address address) throws JMSException {
        try {
            connection.deleteTemporary(address);
        } catch (BrokerException e) {
            throw BrokerErrors.toJms(e);
        }
    }

    @Override
    public void unsubscribe(String subscriptionName) throws JMSException {
        try {
            connection.unsubscribe(subscriptionName);
        } catch (BrokerException e) {
            throw BrokerErrors.toJms(e);
        }
    }

    @Override
    public void stopWaiting() {
        connection.stopWaiting();
    }

    @Override
    public void close() {
        connection.close();
    }
}
