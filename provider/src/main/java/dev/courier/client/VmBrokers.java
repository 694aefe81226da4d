package dev.courier.client;

import dev.courier.broker.Broker;
import dev.courier.broker.BrokerConfig;
import dev.courier.broker.BrokerException;
import dev.courier.broker.ErrorCode;
import dev.courier.broker.UserStore;
import dev.courier.store.Durability;
import dev.courier.store.H2MessageStore;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The embedded brokers of this JVM, by name. The first {@code vm://NAME} connection starts
 * NAME with the options of its URL; later ones join it (their broker options are ignored).
 * A broker lives until {@link #stop(String)}: messages sent with no consumer connected wait for
 * one, as they would on a standalone broker.
 *
 * <p>Broker options: {@code persistent} (default true: an H2 store in {@code data}, default
 * {@code ./courier-data/NAME}; false: memory only), {@code fsync} (default true; false survives
 * a crash of the process but not of the machine), {@code maxDeliveryAttempts},
 * {@code deadLetterQueue}, {@code users} (a user file, or {@code classpath:NAME}: credentials are
 * then checked), {@code anonymous} (default true: connecting without a user name is allowed),
 * {@code maxQueueMemory} (bytes per queue kept in memory, {@code k}/{@code m}/{@code g} suffixes;
 * default {@link BrokerConfig#defaultMaxQueueMemory()}).
 *
 * <p>Threading: starts and stops are serialized on the class, so two first connections never
 * open the same store twice.
 */
public final class VmBrokers {

    private static final Map<String, Broker> BROKERS = new HashMap<>();

    private VmBrokers() {
    }

    /** The running broker NAME, started with the URL's options if it is not running yet. */
    public static synchronized Broker obtain(ConnectionUrl url) throws BrokerException {
        Broker broker = BROKERS.get(url.name());
        if (broker == null || broker.isStopped()) {
            broker = start(url);
            BROKERS.put(url.name(), broker);
        }
        return broker;
    }

    /** The running broker NAME, or null. */
    public static synchronized Broker find(String name) {
        Broker broker = BROKERS.get(name);
        return broker == null || broker.isStopped() ? null : broker;
    }

    /** Stops broker NAME: its connections close, its store closes; in-memory messages are dropped. */
    public static void stop(String name) {
        Broker broker;
        synchronized (VmBrokers.class) {
            broker = BROKERS.remove(name);
        }
        if (broker != null) {
            broker.stop();
        }
    }

    private static Broker start(ConnectionUrl url) throws BrokerException {
        BrokerConfig config;
        try {
            config = configOf(url);
        } catch (IllegalArgumentException e) {
            throw new BrokerException(ErrorCode.GENERAL, e.getMessage());
        }
        if (!booleanOption(url, "persistent", true)) {
            return new Broker(url.name(), config);
        }
        Path directory = Path.of(url.option("data", Path.of("courier-data", url.name()).toString()));
        Durability durability = booleanOption(url, "fsync", true) ? Durability.FSYNC : Durability.NO_FSYNC;
        return Broker.open(url.name(), config, new H2MessageStore(directory, durability));
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
        if (url.option("users") != null) {
            try {
                config = config.withUsers(UserStore.load(url.option("users")));
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("option users=" + url.option("users") + ": " + e.getMessage(), e);
            }
        }
        if (url.option("maxQueueMemory") != null) {
            try {
                config = config.withMaxQueueMemory(BrokerConfig.parseBytes(url.option("maxQueueMemory")));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("option maxQueueMemory=" + url.option("maxQueueMemory") + ": "
                        + e.getMessage(), e);
            }
        }
        String anonymous = url.option("anonymous");
        if (anonymous != null) {
            if (!anonymous.equalsIgnoreCase("true") && !anonymous.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException("option anonymous=" + anonymous + " must be true or false");
            }
            config = config.withAnonymous(Boolean.parseBoolean(anonymous));
        }
        return config;
    }

    private static boolean booleanOption(ConnectionUrl url, String key, boolean defaultValue) throws BrokerException {
        String value = url.option(key);
        if (value == null) {
            return defaultValue;
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new BrokerException(ErrorCode.GENERAL, "option " + key + "=" + value + " in '" + url + "' must be true or false");
    }
}
