package dev.courier.broker;

/** Knows which queue holds dead letters; implemented by the {@link Broker}. */
interface DeadLetterRouter {

    boolean isDeadLetterQueue(String queueName);
}
