package dev.courier.client;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed connection URL: {@code vm://NAME[?options]}, {@code tcp://HOST:PORT[?options]}, or
 * {@code failover:(tcp://H1:P1,tcp://H2:P2)[?options]} (also {@code failover:tcp://H:P[?options]})
 * for a connection that reconnects on its own. Unknown options are refused, so a typo fails
 * loudly instead of being silently ignored. Immutable.
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
    /** Options of the reconnect policy; {@code failover:} only (see {@link FailoverPolicy}). */
    public static final Set<String> FAILOVER_OPTIONS = Set.of(FailoverPolicy.INITIAL_DELAY, FailoverPolicy.MAX_DELAY,
            FailoverPolicy.MULTIPLIER, FailoverPolicy.MAX_ATTEMPTS, FailoverPolicy.STARTUP_MAX_ATTEMPTS);

    private static final String FAILOVER_PREFIX = "failover:";

    private final String text;
    private final String scheme;
    private final String name;
    private final String host;
    private final int port;
    private final Map<String, String> options;
    /** The brokers of a {@code failover:} URL, in the order they are tried; empty otherwise. */
    private final List<ConnectionUrl> members;

    private ConnectionUrl(String text, String scheme, String name, String host, int port, Map<String, String> options,
                          List<ConnectionUrl> members) {
        this.text = text;
        this.scheme = scheme;
        this.name = name;
        this.host = host;
        this.port = port;
        this.options = Collections.unmodifiableMap(options);
        this.members = List.copyOf(members);
    }

    /**
     * @throws IllegalArgumentException with a message that names the problem
     */
    public static ConnectionUrl parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("connection URL must not be empty");
        }
        String trimmed = text.trim();
        if (trimmed.startsWith(FAILOVER_PREFIX)) {
            return parseFailover(text, trimmed);
        }
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
                return new ConnectionUrl(trimmed, scheme, rest, null, 0, options, List.of());
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
                return new ConnectionUrl(trimmed, scheme, null, rest.substring(0, colon), port, options, List.of());
            default:
                throw new IllegalArgumentException("unknown scheme '" + scheme + "' in '" + text
                        + "': use vm://, tcp:// or failover:");
        }
    }

    /**
     * {@code failover:(URL,URL...)[?options]} or {@code failover:URL[?options]}. Each URL is a
     * {@code tcp://} one and may carry TCP options of its own (in the parenthesised form); the
     * outer options are the client's, the reconnect policy's, and TCP options every member
     * inherits unless it sets them itself.
     */
    private static ConnectionUrl parseFailover(String text, String trimmed) {
        String body = trimmed.substring(FAILOVER_PREFIX.length());
        List<String> memberTexts = new ArrayList<>();
        String query = "";
        if (body.startsWith("(")) {
            int close = body.indexOf(')');
            if (close < 0) {
                throw new IllegalArgumentException("failover URL '" + text + "' has no closing parenthesis");
            }
            for (String member : body.substring(1, close).split(",", -1)) {
                memberTexts.add(member.trim());
            }
            String after = body.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith("?")) {
                throw new IllegalArgumentException("failover URL '" + text + "' has '" + after
                        + "' after its broker list; options follow '?'");
            }
            query = after.isEmpty() ? "" : after.substring(1);
        } else {
            int q = body.indexOf('?');
            memberTexts.add(q < 0 ? body : body.substring(0, q));
            query = q < 0 ? "" : body.substring(q + 1);
        }
        Map<String, String> options = parseOptions(text, query);
        for (String key : options.keySet()) {
            if (!CLIENT_OPTIONS.contains(key) && !FAILOVER_OPTIONS.contains(key) && !TCP_OPTIONS.contains(key)) {
                Set<String> known = new TreeSet<>(union(FAILOVER_OPTIONS));
                known.addAll(TCP_OPTIONS);
                throw new IllegalArgumentException("unknown option '" + key + "' in '" + text + "'; known: " + known);
            }
        }
        List<ConnectionUrl> members = new ArrayList<>();
        for (String memberText : memberTexts) {
            members.add(failoverMember(text, memberText, options));
        }
        ConnectionUrl url = new ConnectionUrl(trimmed, "failover", null, null, 0, options, members);
        FailoverPolicy.of(url);
        return url;
    }

    private static ConnectionUrl failoverMember(String text, String memberText, Map<String, String> outer) {
        if (!memberText.startsWith("tcp://")) {
            throw new IllegalArgumentException("failover URL '" + text + "' lists '" + memberText
                    + "'; every broker must be a tcp://HOST:PORT URL");
        }
        ConnectionUrl member = parse(memberText);
        for (String key : member.options.keySet()) {
            if (!TCP_OPTIONS.contains(key)) {
                throw new IllegalArgumentException("option '" + key + "' of '" + memberText + "' in '" + text
                        + "' belongs after the broker list; a broker inside failover:(...) takes only " + TCP_OPTIONS);
            }
        }
        Map<String, String> merged = new LinkedHashMap<>();
        for (String key : TCP_OPTIONS) {
            String value = member.options.getOrDefault(key, outer.get(key));
            if (value != null) {
                merged.put(key, value);
            }
        }
        ConnectionUrl result = new ConnectionUrl(member.text, member.scheme, null, member.host, member.port, merged,
                List.of());
        // Checked now rather than at the first reconnect, which may come long after.
        result.intOption("heartbeat", TcpBrokerLink.DEFAULT_HEARTBEAT_MILLIS);
        return result;
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
                        + new TreeSet<>(union(vm ? VM_BROKER_OPTIONS : TCP_OPTIONS)));
            }
        }
    }

    private static Set<String> union(Set<String> schemeOptions) {
        Set<String> all = new HashSet<>(CLIENT_OPTIONS);
        all.addAll(schemeOptions);
        return all;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    public boolean isVm() {
        return "vm".equals(scheme);
    }

    /** True for a {@code failover:} URL: a connection that reconnects on its own to one of {@link #members}. */
    public boolean isFailover() {
        return "failover".equals(scheme);
    }

    /** The {@code tcp://} URLs of a {@code failover:} URL, in the order they are tried; empty for others. */
    public List<ConnectionUrl> members() {
        return members;
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

    /** A decimal option, or the default when absent. */
    public double doubleOption(String key, double defaultValue) {
        String value = options.get(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Double.parseDouble(value.trim());
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
