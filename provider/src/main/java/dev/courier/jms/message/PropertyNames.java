package dev.courier.jms.message;

/**
 * Validates message property names: the spec requires them to be valid selector identifiers,
 * which excludes the selector keywords, so that every property can be used in a selector.
 * Stateless and thread-safe.
 */
final class PropertyNames {

    /** Set by the provider on every delivery; never carried in a {@code MessageRecord}. */
    static final String DELIVERY_COUNT = "JMSXDeliveryCount";

    private static final String[] SELECTOR_KEYWORDS = {
        "NULL", "TRUE", "FALSE", "NOT", "AND", "OR", "BETWEEN", "LIKE", "IN", "IS", "ESCAPE"};

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
        // Compared in place: this runs on every setXxxProperty, so no upper-cased copy.
        for (String keyword : SELECTOR_KEYWORDS) {
            if (keyword.length() == name.length() && keyword.equalsIgnoreCase(name)) {
                throw new IllegalArgumentException("a selector keyword cannot be a property name: " + name);
            }
        }
    }
}
