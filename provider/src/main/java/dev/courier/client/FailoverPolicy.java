package dev.courier.client;

/**
 * How a {@code failover:} connection reconnects: attempts go to the URL's brokers in order,
 * round-robin, the first one at once and each later one after a delay that starts at
 * {@code initialReconnectDelay} and grows by {@code backoffMultiplier} up to
 * {@code maxReconnectDelay}. Nothing is randomized. Immutable.
 *
 * @param initialDelayMillis    delay before the second attempt
 * @param maxDelayMillis        the longest delay between two attempts
 * @param multiplier            growth of the delay after each failed attempt (at least 1)
 * @param maxAttempts           attempts after a connection was lost before giving up; -1 for ever
 * @param startupMaxAttempts    attempts to make the first connection after the first one failed; -1 for ever
 */
public record FailoverPolicy(long initialDelayMillis, long maxDelayMillis, double multiplier, int maxAttempts,
                             int startupMaxAttempts) {

    static final String INITIAL_DELAY = "initialReconnectDelay";
    static final String MAX_DELAY = "maxReconnectDelay";
    static final String MULTIPLIER = "backoffMultiplier";
    static final String MAX_ATTEMPTS = "maxReconnectAttempts";
    static final String STARTUP_MAX_ATTEMPTS = "startupMaxReconnectAttempts";

    /**
     * Reads the policy from a {@code failover:} URL's options.
     *
     * @throws IllegalArgumentException naming the option whose value is out of range
     */
    public static FailoverPolicy of(ConnectionUrl url) {
        int initial = url.intOption(INITIAL_DELAY, 100);
        int max = url.intOption(MAX_DELAY, 5_000);
        double multiplier = url.doubleOption(MULTIPLIER, 2.0);
        int attempts = url.intOption(MAX_ATTEMPTS, -1);
        int startup = url.intOption(STARTUP_MAX_ATTEMPTS, -1);
        if (initial < 0 || max < initial) {
            throw new IllegalArgumentException(INITIAL_DELAY + " must be at least 0 and at most " + MAX_DELAY
                    + " in '" + url + "'");
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException(MULTIPLIER + " must be a number of at least 1 in '" + url + "'");
        }
        if (attempts < -1 || startup < -1) {
            throw new IllegalArgumentException(MAX_ATTEMPTS + " and " + STARTUP_MAX_ATTEMPTS
                    + " must be -1 (for ever) or a count in '" + url + "'");
        }
        return new FailoverPolicy(initial, max, multiplier, attempts, startup);
    }

    /** The delay after {@code failed} failed attempts (the first attempt, after none, has none). */
    long delayMillis(int failed) {
        if (failed <= 0) {
            return 0;
        }
        double delay = initialDelayMillis;
        for (int i = 1; i < failed && delay < maxDelayMillis; i++) {
            delay *= multiplier;
        }
        return (long) Math.min(delay, maxDelayMillis);
    }

    /**
     * Whether another attempt is allowed after {@code failed} failed ones. The first connection
     * is always tried once; its limit counts the retries after that.
     */
    boolean mayTry(int failed, boolean startup) {
        if (startup) {
            return failed == 0 || startupMaxAttempts < 0 || failed <= startupMaxAttempts;
        }
        return maxAttempts < 0 || failed < maxAttempts;
    }
}
