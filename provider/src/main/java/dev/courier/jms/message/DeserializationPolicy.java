package dev.courier.jms.message;

import java.util.ArrayList;
import java.util.List;

/**
 * Which classes {@code ObjectMessage.getObject()} may deserialize. Deserializing arbitrary
 * classes from a message lets whoever can send a message run code in the receiver, so only
 * listed packages are resolved.
 *
 * <p>Each list entry is a package or class name and covers that package's classes and those
 * of its sub-packages ({@code java.util} covers {@code java.util.concurrent.ConcurrentHashMap});
 * {@code *} on the allow-list allows everything. The deny-list wins over the allow-list.
 * Sub-packages are included because common value types span them (a {@code ZonedDateTime}
 * needs {@code java.time.zone}). Arrays are judged by their element type; primitive types and
 * arrays of them are always allowed.
 *
 * <p>Always allowed: {@code java.lang, java.util, java.time, java.math}. Always denied, because
 * their classes can call arbitrary methods during deserialization (dynamic proxies, serialized
 * lambdas): {@code java.lang.invoke, java.lang.reflect}.
 * Users add entries with the system properties {@value #ALLOW_PROPERTY} and
 * {@value #DENY_PROPERTY} (comma-separated), or per connection through {@link #of}.
 *
 * <p>Immutable and thread-safe.
 */
public final class DeserializationPolicy {

    /** System property naming further allowed packages or classes, comma-separated, or {@code *}. */
    public static final String ALLOW_PROPERTY = "courier.deserialization.allowList";
    /** System property naming denied packages or classes, comma-separated; wins over the allow-list. */
    public static final String DENY_PROPERTY = "courier.deserialization.denyList";

    static final String BUILT_IN_ALLOW = "java.lang,java.util,java.time,java.math";
    static final String BUILT_IN_DENY = "java.lang.invoke,java.lang.reflect";

    private final List<String> allowed;
    private final List<String> denied;
    private final boolean allowAll;

    private DeserializationPolicy(String extraAllow, String extraDeny) {
        this.allowed = parse(BUILT_IN_ALLOW + "," + (extraAllow == null ? "" : extraAllow));
        this.denied = parse(BUILT_IN_DENY + "," + (extraDeny == null ? "" : extraDeny));
        this.allowAll = allowed.contains("*");
    }

    /** The built-in lists plus those of the system properties, read now. */
    public static DeserializationPolicy defaults() {
        return new DeserializationPolicy(System.getProperty(ALLOW_PROPERTY),
                System.getProperty(DENY_PROPERTY));
    }

    /**
     * The built-in lists plus the given ones (for example from a connection URL option); system
     * properties are not consulted. Either argument may be null or empty.
     */
    public static DeserializationPolicy of(String allowList, String denyList) {
        return new DeserializationPolicy(allowList, denyList);
    }

    /**
     * Whether a class may be deserialized; takes a binary name ({@code java.util.ArrayList}) or an
     * array descriptor ({@code [Ljava.lang.String;}, {@code [I}).
     */
    public boolean allows(String className) {
        String name = elementTypeName(className);
        if (name == null) {
            return true;
        }
        if (matchesAny(denied, name)) {
            return false;
        }
        return allowAll || matchesAny(allowed, name);
    }

    /** The message for a refused class: names it and says how to allow it. */
    static String refusal(String className) {
        return "ObjectMessage body class " + className + " is not allowed to be deserialized; "
                + "add its package to the system property " + ALLOW_PROPERTY
                + " (comma-separated, or * for all) or to the connection's allow-list, "
                + "and make sure it is not on " + DENY_PROPERTY;
    }

    /** The element class name of an array descriptor, the name itself otherwise; null for primitives. */
    private static String elementTypeName(String className) {
        int dims = 0;
        while (dims < className.length() && className.charAt(dims) == '[') {
            dims++;
        }
        if (dims == 0) {
            return className;
        }
        if (className.charAt(dims) == 'L' && className.endsWith(";")) {
            return className.substring(dims + 1, className.length() - 1);
        }
        return null;
    }

    private static boolean matchesAny(List<String> entries, String className) {
        for (String entry : entries) {
            if (className.equals(entry) || (className.startsWith(entry)
                    && className.length() > entry.length()
                    && className.charAt(entry.length()) == '.')) {
                return true;
            }
        }
        return false;
    }

    private static List<String> parse(String list) {
        List<String> entries = new ArrayList<>();
        for (String part : list.split(",")) {
            String entry = part.trim();
            if (entry.endsWith(".*")) {
                entry = entry.substring(0, entry.length() - 2);
            }
            if (!entry.isEmpty()) {
                entries.add(entry);
            }
        }
        return List.copyOf(entries);
    }

    @Override
    public String toString() {
        return "DeserializationPolicy[allow=" + (allowAll ? "*" : String.join(",", allowed))
                + ", deny=" + String.join(",", denied) + "]";
    }
}
