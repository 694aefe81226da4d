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
    private final long maxQueueMemory;

    /**
     * The default bound per queue: a sixteenth of the heap. A few backlogged queues then still
     * leave most of the heap to everything else (connections, buffers, H2's cache), and one queue
     * gets enough to keep its consumers busy between page-ins. Paging and flow control bound each
     * queue, not their sum: with many backlogged queues, set {@code maxQueueMemory} lower.
     */
    public static long defaultMaxQueueMemory() {
        return Runtime.getRuntime().maxMemory() / 16;
    }

    private BrokerConfig(int maxDeliveryAttempts, String deadLetterQueue, UserStore users, boolean anonymous,
                         long maxQueueMemory) {
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
        if (maxQueueMemory < 1) {
            throw new IllegalArgumentException("maxQueueMemory must be at least 1 byte: " + maxQueueMemory);
        }
        this.maxQueueMemory = maxQueueMemory;
    }

    /**
     * Ten delivery attempts, dead letters to {@code DLQ}, no user store, anonymous access allowed,
     * {@link #defaultMaxQueueMemory()} per queue.
     */
    public static BrokerConfig defaults() {
        return new BrokerConfig(10, "DLQ", null, true, defaultMaxQueueMemory());
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

    /**
     * Bytes of messages (estimated from their encoded size) a queue or topic subscription keeps in
     * memory, waiting or delivered and unacknowledged. Beyond it, persistent messages are paged
     * (left in the store only) and senders of other messages wait.
     */
    public long maxQueueMemory() {
        return maxQueueMemory;
    }

    public BrokerConfig withMaxDeliveryAttempts(int value) {
        return new BrokerConfig(value, deadLetterQueue, users, anonymous, maxQueueMemory);
    }

    public BrokerConfig withDeadLetterQueue(String value) {
        return new BrokerConfig(maxDeliveryAttempts, value, users, anonymous, maxQueueMemory);
    }

    public BrokerConfig withUsers(UserStore value) {
        return new BrokerConfig(maxDeliveryAttempts, deadLetterQueue, value, anonymous, maxQueueMemory);
    }

    public BrokerConfig withAnonymous(boolean value) {
        return new BrokerConfig(maxDeliveryAttempts, deadLetterQueue, users, value, maxQueueMemory);
    }

    public BrokerConfig withMaxQueueMemory(long bytes) {
        return new BrokerConfig(maxDeliveryAttempts, deadLetterQueue, users, anonymous, bytes);
    }

    /**
     * Parses a byte count: digits, optionally followed by {@code k}, {@code m} or {@code g}
     * (KiB, MiB, GiB; either case), as in {@code 512k} or {@code 64m}.
     *
     * @throws IllegalArgumentException for anything else, or a count that is not positive
     */
    public static long parseBytes(String text) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("a byte count is required, such as 64m");
        }
        long unit = switch (Character.toLowerCase(t.charAt(t.length() - 1))) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
        };
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
        long value;
        try {
            value = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a byte count (digits with an optional k, m or g): " + text);
        }
        if (value < 1 || value > Long.MAX_VALUE / unit) {
            throw new IllegalArgumentException("byte count out of range: " + text);
        }
        return value * unit;
    }
}
