package dev.courier.client;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A parsed connection URL: {@code vm://NAME[?options]} or {@code tcp://HOST:PORT[?options]}.
 * Unknown options are refused, so a typo fails loudly instead of being silently ignored.
 * Immutable.
 */
public final class ConnectionUrl {

    /** Options the JMS client itself reads, for either scheme. */
    public static final Set<String> CLIENT_OPTIONS = Set.of(
            "clientID", "consumerWindow", "deserializationAllowList", "deserializationDenyList");
    /** Options of the TCP link; {@code tcp://} only. */
    public static final Set<String> TCP_OPTIONS = Set.of("heartbeat");
    /** Options that configure an embedded broker; {@code vm://} only. */
    public static final Set<String> VM_BROKER_OPTIONS = Set.of(
            "data", "persistent", "fsync", "maxDeliveryAttempts", "deadLetterQueue", "users", "anonymous",
            "maxQueueMemory");

    private final String text;
    private final String scheme;
    private final String name;
    private final String host;
    private final int port;
    private final Map<String, String> options;

    private ConnectionUrl(String text, String scheme, String name, String host, int port, Map<String, String> options) {
        this.text = text;
        this.scheme = scheme;
        this.name = name;
        this.host = host;
        this.port = port;
        this.options = Collections.unmodifiableMap(options);
    }

    /**
     * @throws IllegalArgumentException with a message that names the problem
     */
    public static ConnectionUrl parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("connection URL must not be empty");
        }
        String trimmed = text.trim();
        int schemeEnd = trimmed.indexOf("://");
        if (schemeEnd < 0) {
            throw new IllegalArgumentException("connection URL '" + text + "' must start with vm:// or tcp://");
        }
        String scheme = trimmed.substring(0, schemeEnd);
        String rest = trimmed.substring(schemeEnd + 3);
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        Map<String, String> options = parseOptions(text, query);
        switch (scheme) {
            case "vm":
                if (rest.isEmpty() || rest.contains("/") || rest.contains(":")) {
                    throw new IllegalArgumentException("vm URL '" + text + "' needs a broker name: vm://NAME");
                }
                checkOptions(text, options, true);
                return new ConnectionUrl(trimmed, scheme, rest, null, 0, options);
            case "tcp":
                int colon = rest.lastIndexOf(':');
                if (colon <= 0 || colon == rest.length() - 1) {
                    throw new IllegalArgumentException("tcp URL '" + text + "' needs host and port: tcp://HOST:PORT");
                }
                int port;
                try {
                    port = Integer.parseInt(rest.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("tcp URL '" + text + "' has a port that is not a number");
                }
                if (port <= 0 || port > 65535) {
                    throw new IllegalArgumentException("tcp URL '" + text + "' has a port out of range");
                }
                checkOptions(text, options, false);
                return new ConnectionUrl(trimmed, scheme, null, rest.substring(0, colon), port, options);
            default:
                throw new IllegalArgumentException("unknown scheme '" + scheme + "' in '" + text + "': use vm:// or tcp://");
        }
    }

    private static Map<String, String> parseOptions(String text, String query) {
        Map<String, String> options = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return options;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("option '" + pair + "' in '" + text + "' is not key=value");
            }
            options.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
        return options;
    }

    private static void checkOptions(String text, Map<String, String> options, boolean vm) {
        for (String key : options.keySet()) {
            if (!CLIENT_OPTIONS.contains(key) && !(vm ? VM_BROKER_OPTIONS : TCP_OPTIONS).contains(key)) {
                throw new IllegalArgumentException("unknown option '" + key + "' in '" + text + "'; known: "
                        + new java.util.TreeSet<>(union(vm ? VM_BROKER_OPTIONS : TCP_OPTIONS)));
            }
        }
    }

    private static Set<String> union(Set<String> schemeOptions) {
        java.util.Set<String> all = new java.util.HashSet<>(CLIENT_OPTIONS);
        all.addAll(schemeOptions);
        return all;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    public boolean isVm() {
        return "vm".equals(scheme);
    }

    public String scheme() {
        return scheme;
    }

    /** The broker name of a {@code vm://} URL. */
    public String name() {
        return name;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String option(String key) {
        return options.get(key);
    }

    public String option(String key, String defaultValue) {
        return options.getOrDefault(key, defaultValue);
    }

    /** An integer option, or the default when absent. */
    public int intOption(String key, int defaultValue) {
        String value = options.get(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + key + "=" + value + " in '" + text + "' is not a number");
        }
    }

    public Map<String, String> options() {
        return options;
    }

    @Override
    public String toString() {
        return text;
    }
}
