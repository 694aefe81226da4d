package dev.courier.jms;

import jakarta.jms.JMSConsumer;
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

    @Override
    public Message receive() {
        return JmsRuntimeExceptions.call(consumer::receive);
    }

    @Override
    public Message receive(long timeout) {
        return JmsRuntimeExceptions.call(() -> consumer.receive(timeout));
    }

    @Override
    public Message receiveNoWait() {
        return JmsRuntimeExceptions.call(consumer::receiveNoWait);
    }

    @Override
    public void close() {
        JmsRuntimeExceptions.run(consumer::close);
    }

    @Override
    public <T> T receiveBody(Class<T> c) {
        return JmsRuntimeExceptions.call(() -> consumer.receiveBody(c, 0, false));
    }

    @Override
    public <T> T receiveBody(Class<T> c, long timeout) {
        return JmsRuntimeExceptions.call(() -> consumer.receiveBody(c, timeout, false));
    }

    @Override
    public <T> T receiveBodyNoWait(Class<T> c) {
        return JmsRuntimeExceptions.call(() -> consumer.receiveBody(c, 0, true));
    }
}
