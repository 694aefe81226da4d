package dev.courier.jms;

import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

/**
 * The simplified API's consumer: a {@link CourierMessageConsumer} whose checked exceptions
 * surface as the matching runtime ones (see {@link JmsRuntimeExceptions}).
 *
 * <p>Threading: as the classic consumer it wraps; {@link #close} may come from any thread.
 */
final class CourierJMSConsumer implements JMSConsumer {

    private final CourierMessageConsumer consumer;

    CourierJMSConsumer(CourierMessageConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public String getMessageSelector() {
        return JmsRuntimeExceptions.call(consumer::getMessageSelector);
    }

    @Override
    public MessageListener getMessageListener() {
        return JmsRuntimeExceptions.call(consumer::getMessageListener);
    }

    @Override
    public void setMessageListener(MessageListener listener) {
        JmsRuntimeExceptions.run(() -> consumer.setMessageListener(listener));
    }

    // Receives are the hot path: plain try/catch, no lambda per call.

    @Override
    public Message receive() {
        try {
            return consumer.receive();
        } catch (JMSException e) {
            throw JmsRuntimeExceptions.of(e);
        }
    }

    @Override
    public Message receive(long timeout) {
        try {
            return consumer.receive(timeout);
        } catch (JMSException e) {
            throw JmsRuntimeExceptions.of(e);
        }
    }

    @Override
    public Message receiveNoWait() {
        try {
            return consumer.receiveNoWait();
        } catch (JMSException e) {
            throw JmsRuntimeExceptions.of(e);
        }
    }

    @Override
    public void close() {
        JmsRuntimeExceptions.run(consumer::close);
    }

    @Override
    public <T> T receiveBody(Class<T> c) {
        return receiveBody(c, 0, false);
    }

    @Override
    public <T> T receiveBody(Class<T> c, long timeout) {
        return receiveBody(c, timeout, false);
    }

    @Override
    public <T> T receiveBodyNoWait(Class<T> c) {
        return receiveBody(c, 0, true);
    }

    private <T> T receiveBody(Class<T> c, long timeout, boolean noWait) {
        try {
            return consumer.receiveBody(c, timeout, noWait);
        } catch (JMSException e) {
            throw JmsRuntimeExceptions.of(e);
        }
    }
}
