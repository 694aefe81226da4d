package dev.courier.client;

import dev.courier.broker.Broker;
import dev.courier.broker.BrokerConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded brokers of this JVM, by name. The first {@code vm://NAME} connection starts
 * NAME with the options of its URL; later ones join it (their broker options are ignored).
 * A broker lives until {@link #stop(String)}: messages sent with no consumer connected wait for
 * one, as they would on a standalone broker.
 */
public final class VmBrokers {

    private static final Map<String, Broker> BROKERS = new ConcurrentHashMap<>();

    private VmBrokers() {
    }

    /** The running broker NAME, started with the URL's options if it is not running yet. */
    public static Broker obtain(ConnectionUrl url) {
        return BROKERS.compute(url.name(), (name, existing) ->
                existing != null && !existing.isStopped() ? existing : new Broker(name, configOf(url)));
    }

    /** The running broker NAME, or null. */
    public static Broker find(String name) {
        Broker broker = BROKERS.get(name);
        return broker == null || broker.isStopped() ? null : broker;
    }

    /** Stops broker NAME: its connections close and its in-memory messages are dropped. */
    public static void stop(String name) {
        Broker broker = BROKERS.remove(name);
        if (broker != null) {
            broker.stop();
        }
    }

    /** The broker settings a {@code vm://} URL carries ({@link ConnectionUrl#VM_BROKER_OPTIONS}). */
    public static BrokerConfig configOf(ConnectionUrl url) {
        BrokerConfig config = BrokerConfig.defaults();
        if (url.option("maxDeliveryAttempts") != null) {
            config = config.withMaxDeliveryAttempts(url.intOption("maxDeliveryAttempts", config.maxDeliveryAttempts()));
        }
        if (url.option("deadLetterQueue") != null) {
            config = config.withDeadLetterQueue(url.option("deadLetterQueue"));
        }
        return config;
    }
}
