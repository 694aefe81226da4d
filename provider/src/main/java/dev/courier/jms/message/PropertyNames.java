package dev.courier.jms.message;

import java.util.Locale;
import java.util.Set;

/**
 * Validates message property names: the spec requires them to be valid selector identifiers,
 * which excludes the selector keywords, so that every property can be used in a selector.
 * Stateless and thread-safe.
 */
final class PropertyNames {

    /** Set by the provider on every delivery; never carried in a {@code MessageRecord}. */
    static final String DELIVERY_COUNT = "JMSXDeliveryCount";

    private static final Set<String> SELECTOR_KEYWORDS = Set.of(
            "NULL", "TRUE", "FALSE", "NOT", "AND", "OR", "BETWEEN", "LIKE", "IN", "IS", "ESCAPE");

    private PropertyNames() {
    }

    /**
     * @throws IllegalArgumentException when the name is null, empty, not a Java identifier, or a
     *         selector keyword
     */
    static void check(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a property name must not be null or empty");
        }
        if (!Character.isJavaIdentifierStart(name.charAt(0))) {
            throw new IllegalArgumentException("not a valid property name: '" + name + "'");
        }
        for (int i = 1; i < name.length(); i++) {
            if (!Character.isJavaIdentifierPart(name.charAt(i))) {
                throw new IllegalArgumentException("not a valid property name: '" + name + "'");
            }
        }
        if (name.length() <= 7 && SELECTOR_KEYWORDS.contains(name.toUpperCase(Locale.ROOT))) {
            throw new IllegalArgumentException("a selector keyword cannot be a property name: " + name);
        }
    }
}
