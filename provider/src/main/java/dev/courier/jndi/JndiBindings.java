package dev.courier.jndi;

import dev.courier.jms.CourierConnectionFactory;
import dev.courier.jms.CourierQueue;
import dev.courier.jms.CourierTopic;
import java.util.Collections;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import javax.naming.ConfigurationException;
import javax.naming.Context;

/**
 * Turns a JNDI environment into the objects Courier binds, following the keys of DESIGN.md:
 * <ul>
 *   <li>{@code java.naming.provider.url=URL}: the URL of the always-bound factories
 *       {@code ConnectionFactory}, {@code QueueConnectionFactory} and {@code TopicConnectionFactory}
 *       (default {@value CourierConnectionFactory#DEFAULT_URL});</li>
 *   <li>{@code connectionFactory.NAME=URL}: a further factory (or a replacement for one of the
 *       three above, so Artemis-style files that set {@code connectionFactory.ConnectionFactory}
 *       port unchanged);</li>
 *   <li>{@code queue.NAME=physicalName} and {@code topic.NAME=physicalName}: destinations.</li>
 * </ul>
 * Every other key is left to JNDI itself. Stateless; {@link #from} returns an unmodifiable map.
 */
final class JndiBindings {

    static final String CONNECTION_FACTORY_PREFIX = "connectionFactory.";
    static final String QUEUE_PREFIX = "queue.";
    static final String TOPIC_PREFIX = "topic.";
    /** Names always bound to the {@code java.naming.provider.url} factory. */
    static final String[] DEFAULT_FACTORY_NAMES = {
        "ConnectionFactory", "QueueConnectionFactory", "TopicConnectionFactory"};

    private JndiBindings() {
    }

    /**
     * The bindings an environment describes, by JNDI name.
     *
     * @throws ConfigurationException naming the key whose value is malformed, or the two keys
     *         that bind one name twice
     */
    static Map<String, Object> from(Hashtable<?, ?> environment) throws ConfigurationException {
        Map<String, Object> bindings = new LinkedHashMap<>();
        Map<String, String> boundBy = new LinkedHashMap<>();
        CourierConnectionFactory defaultFactory = defaultFactory(environment);
        for (String name : DEFAULT_FACTORY_NAMES) {
            bindings.put(name, defaultFactory);
        }
        // Sorted so that error messages and listings do not depend on Hashtable order.
        for (Map.Entry<String, Object> entry : sortedEntries(environment).entrySet()) {
            String key = entry.getKey();
            if (key.startsWith(CONNECTION_FACTORY_PREFIX)) {
                String name = nameOf(key, CONNECTION_FACTORY_PREFIX);
                bind(bindings, boundBy, key, name, connectionFactory(key, stringValue(key, entry.getValue())));
            } else if (key.startsWith(QUEUE_PREFIX)) {
                String name = nameOf(key, QUEUE_PREFIX);
                bind(bindings, boundBy, key, name, new CourierQueue(physicalName(key, entry.getValue())));
            } else if (key.startsWith(TOPIC_PREFIX)) {
                String name = nameOf(key, TOPIC_PREFIX);
                bind(bindings, boundBy, key, name, new CourierTopic(physicalName(key, entry.getValue())));
            }
        }
        return Collections.unmodifiableMap(bindings);
    }

    private static CourierConnectionFactory defaultFactory(Hashtable<?, ?> environment) throws ConfigurationException {
        Object url = environment.get(Context.PROVIDER_URL);
        if (url == null) {
            return new CourierConnectionFactory(CourierConnectionFactory.DEFAULT_URL);
        }
        return connectionFactory(Context.PROVIDER_URL, stringValue(Context.PROVIDER_URL, url));
    }

    private static Map<String, Object> sortedEntries(Hashtable<?, ?> environment) {
        Map<String, Object> sorted = new TreeMap<>();
        for (Map.Entry<?, ?> entry : environment.entrySet()) {
            if (entry.getKey() instanceof String) {
                sorted.put((String) entry.getKey(), entry.getValue());
            }
        }
        return sorted;
    }

    private static void bind(Map<String, Object> bindings, Map<String, String> boundBy, String key, String name,
            Object value) throws ConfigurationException {
        String earlierKey = boundBy.putIfAbsent(name, key);
        if (earlierKey != null) {
            throw configurationError(key, "binds '" + name + "', which " + earlierKey + " already binds");
        }
        if (!(value instanceof CourierConnectionFactory) && isDefaultFactoryName(name)) {
            throw configurationError(key, "binds '" + name + "', which is always a connection factory");
        }
        bindings.put(name, value);
    }

    private static boolean isDefaultFactoryName(String name) {
        for (String defaultName : DEFAULT_FACTORY_NAMES) {
            if (defaultName.equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static String nameOf(String key, String prefix) throws ConfigurationException {
        String name = key.substring(prefix.length()).trim();
        if (name.isEmpty()) {
            throw configurationError(key, "has no JNDI name after '" + prefix + "'");
        }
        if (ReadOnlyContext.isReservedName(name)) {
            throw configurationError(key, "uses '" + name + "', which is reserved for dynamic lookups");
        }
        return name;
    }

    private static CourierConnectionFactory connectionFactory(String key, String url) throws ConfigurationException {
        try {
            return new CourierConnectionFactory(url);
        } catch (IllegalArgumentException e) {
            throw configurationError(key, "is not a valid Courier URL: " + e.getMessage());
        }
    }

    private static String physicalName(String key, Object value) throws ConfigurationException {
        String name = stringValue(key, value).trim();
        if (name.isEmpty()) {
            throw configurationError(key, "needs a physical destination name");
        }
        return name;
    }

    private static String stringValue(String key, Object value) throws ConfigurationException {
        if (!(value instanceof String)) {
            throw configurationError(key, "must be a String, not " + value.getClass().getName());
        }
        return (String) value;
    }

    private static ConfigurationException configurationError(String key, String problem) {
        return new ConfigurationException("JNDI property " + key + " " + problem);
    }
}
