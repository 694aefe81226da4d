package dev.courier.selector;

/**
 * What the compiler knows about an expression's type before any message is seen. Properties are
 * {@link #ANY}: their type is only known per message, so type rules on them apply at run time.
 */
enum StaticType {
    BOOLEAN("boolean"),
    NUMERIC("numeric"),
    STRING("string"),
    ANY("property");

    private final String description;

    StaticType(String description) {
        this.description = description;
    }

    boolean canBeNumeric() {
        return this == NUMERIC || this == ANY;
    }

    boolean canBeString() {
        return this == STRING || this == ANY;
    }

    boolean canBeBoolean() {
        return this == BOOLEAN || this == ANY;
    }

    String description() {
        return description;
    }
}
