package dev.courier.broker;

/**
 * Settings of one broker instance. Immutable; build with {@link #defaults()} and the
 * {@code with...} methods.
 */
public final class BrokerConfig {

    private final int maxDeliveryAttempts;
    private final String deadLetterQueue;
    private final UserStore users;
    private final boolean anonymous;

    private BrokerConfig(int maxDeliveryAttempts, String deadLetterQueue, UserStore users, boolean anonymous) {
        if (maxDeliveryAttempts < 1) {
            throw new IllegalArgumentException("maxDeliveryAttempts must be at least 1: " + maxDeliveryAttempts);
        }
        if (deadLetterQueue == null || deadLetterQueue.isEmpty()) {
            throw new IllegalArgumentException("deadLetterQueue must be a queue name");
        }
        this.maxDeliveryAttempts = maxDeliveryAttempts;
        this.deadLetterQueue = deadLetterQueue;
        this.users = users;
        this.anonymous = anonymous;
    }

    /** Ten delivery attempts, dead letters to {@code DLQ}, no user store, anonymous access allowed. */
    public static BrokerConfig defaults() {
        return new BrokerConfig(10, "DLQ", null, true);
    }

    /** How many times a message is delivered before it moves to the dead-letter queue. */
    public int maxDeliveryAttempts() {
        return maxDeliveryAttempts;
    }

    public String deadLetterQueue() {
        return deadLetterQueue;
    }

    /** The users whose credentials are checked, or null when credentials are not checked. */
    public UserStore users() {
        return users;
    }

    /** Whether a client may connect without a user name. */
    public boolean anonymous() {
        return anonymous;
    }

    public BrokerConfig withMaxDeliveryAttempts(int value) {
        return new BrokerConfig(value, deadLetterQueue, users, anonymous);
    }

    public BrokerConfig withDeadLetterQueue(String value) {
        return new BrokerConfig(maxDeliveryAttempts, value, users, anonymous);
    }

    public BrokerConfig withUsers(UserStore value) {
        return new BrokerConfig(maxDeliveryAttempts, deadLetterQueue, value, anonymous);
    }

    public BrokerConfig withAnonymous(boolean value) {
        return new BrokerConfig(maxDeliveryAttempts, deadLetterQueue, users, value);
    }
}
