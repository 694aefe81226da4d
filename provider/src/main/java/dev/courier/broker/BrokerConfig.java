package dev.courier.broker;

/**
 * Settings of one broker instance. Immutable; build with {@link #defaults()} and the
 * {@code with...} methods.
 */
public final class BrokerConfig {

    private final int maxDeliveryAttempts;
    private final String deadLetterQueue;

    private BrokerConfig(int maxDeliveryAttempts, String deadLetterQueue) {
        if (maxDeliveryAttempts < 1) {
            throw new IllegalArgumentException("maxDeliveryAttempts must be at least 1: " + maxDeliveryAttempts);
        }
        if (deadLetterQueue == null || deadLetterQueue.isEmpty()) {
            throw new IllegalArgumentException("deadLetterQueue must be a queue name");
        }
        this.maxDeliveryAttempts = maxDeliveryAttempts;
        this.deadLetterQueue = deadLetterQueue;
    }

    /** Ten delivery attempts, dead letters to {@code DLQ}. */
    public static BrokerConfig defaults() {
        return new BrokerConfig(10, "DLQ");
    }

    /** How many times a message is delivered before it moves to the dead-letter queue. */
    public int maxDeliveryAttempts() {
        return maxDeliveryAttempts;
    }

    public String deadLetterQueue() {
        return deadLetterQueue;
    }

    public BrokerConfig withMaxDeliveryAttempts(int value) {
        return new BrokerConfig(value, deadLetterQueue);
    }

    public BrokerConfig withDeadLetterQueue(String value) {
        return new BrokerConfig(maxDeliveryAttempts, value);
    }
}
