package dev.courier.server;

import dev.courier.broker.BrokerConfig;
import dev.courier.store.Durability;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the standalone broker runs with: built from defaults, then a {@code .properties} file
 * ({@code --config}), then command-line flags, each overriding the one before. Every key is
 * documented in README.md. Unknown keys are refused, so a typo fails at start instead of being
 * silently ignored. Immutable.
 */
public record BrokerSettings(String name, String host, int port, Path data, Durability durability,
                             BrokerConfig brokerConfig, TcpServerConfig serverConfig) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 61700;
    public static final String DEFAULT_DATA = "./courier-data";

    /** The keys a configuration file may hold. */
    public static final Set<String> KEYS = Set.of("name", "host", "port", "data", "durability",
            "maxDeliveryAttempts", "deadLetterQueue", "maxFrameSize", "handshakeTimeoutMillis", "workerThreads",
            "users", "anonymous", "maxQueueMemory");

    public static BrokerSettings defaults() {
        return new BrokerSettings("courier", DEFAULT_HOST, DEFAULT_PORT, Path.of(DEFAULT_DATA), Durability.FSYNC,
                BrokerConfig.defaults(), TcpServerConfig.defaults());
    }

    /** Reads a configuration file over these settings. */
    public BrokerSettings withFile(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        BrokerSettings settings = this;
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            settings = settings.with(key, properties.getProperty(key).trim(), "in " + file);
        }
        return settings;
    }

    /**
     * One setting by its key.
     *
     * @param where where the value came from, for the error message
     * @throws IllegalArgumentException for an unknown key or a bad value, naming both
     */
    public BrokerSettings with(String key, String value, String where) {
        try {
            return switch (key) {
                case "name" -> new BrokerSettings(nonEmpty(value), host, port, data, durability, brokerConfig, serverConfig);
                case "host" -> new BrokerSettings(name, nonEmpty(value), port, data, durability, brokerConfig, serverConfig);
                case "port" -> new BrokerSettings(name, host, port(value), data, durability, brokerConfig, serverConfig);
                case "data" -> new BrokerSettings(name, host, port, Path.of(nonEmpty(value)), durability, brokerConfig, serverConfig);
                case "durability" -> new BrokerSettings(name, host, port, data,
                        Durability.valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_')), brokerConfig, serverConfig);
                case "maxDeliveryAttempts" -> new BrokerSettings(name, host, port, data, durability,
                        brokerConfig.withMaxDeliveryAttempts(Integer.parseInt(value)), serverConfig);
                case "deadLetterQueue" -> new BrokerSettings(name, host, port, data, durability,
                        brokerConfig.withDeadLetterQueue(value), serverConfig);
                case "users" -> new BrokerSettings(name, host, port, data, durability,
                        brokerConfig.withUsers(users(value)), serverConfig);
                case "anonymous" -> new BrokerSettings(name, host, port, data, durability,
                        brokerConfig.withAnonymous(bool(value)), serverConfig);
                case "maxQueueMemory" -> new BrokerSettings(name, host, port, data, durability,
                        brokerConfig.withMaxQueueMemory(BrokerConfig.parseBytes(value)), serverConfig);
                case "maxFrameSize" -> new BrokerSettings(name, host, port, data, durability, brokerConfig,
                        serverConfig.withMaxFrameSize(Integer.parseInt(value)));
                case "handshakeTimeoutMillis" -> new BrokerSettings(name, host, port, data, durability, brokerConfig,
                        serverConfig.withHandshakeTimeoutMillis(Integer.parseInt(value)));
                case "workerThreads" -> new BrokerSettings(name, host, port, data, durability, brokerConfig,
                        serverConfig.withWorkerThreads(Integer.parseInt(value)));
                default -> throw new IllegalArgumentException("unknown setting; known: " + new TreeSet<>(KEYS));
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad setting " + key + "=" + value + " " + where + ": " + e.getMessage(), e);
        }
    }

    private static dev.courier.broker.UserStore users(String location) {
        try {
            return dev.courier.broker.UserStore.load(location);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static boolean bool(String value) {
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("must be true or false");
        }
        return Boolean.parseBoolean(value);
    }

    private static String nonEmpty(String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return value;
    }

    private static int port(String value) {
        int port = Integer.parseInt(value);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range 0..65535");
        }
        return port;
    }
}
