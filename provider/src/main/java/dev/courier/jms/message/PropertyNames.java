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
    /** ASCII characters a keyword starts with, in either case. */
    private static final boolean[] KEYWORD_INITIAL = new boolean[128];

    static {
        for (String keyword : SELECTOR_KEYWORDS) {
            KEYWORD_INITIAL[keyword.charAt(0)] = true;
            KEYWORD_INITIAL[Character.toLowerCase(keyword.charAt(0))] = true;
        }
    }

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
        // This runs on every setXxxProperty: most names are ruled out by their first character
        // (a non-ASCII one may still match case-insensitively, so it is compared), and the rest
        // are compared in place, with no upper-cased copy.
        char first = name.charAt(0);
        if (first < KEYWORD_INITIAL.length && !KEYWORD_INITIAL[first]) {
            return;
        }
        for (String keyword : SELECTOR_KEYWORDS) {
            if (keyword.length() == name.length() && keyword.equalsIgnoreCase(name)) {
                throw new IllegalArgumentException("a selector keyword cannot be a property name: " + name);
            }
        }
    }
}
