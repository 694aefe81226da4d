package dev.courier.selector;

import java.util.Set;

/**
 * What a hash index needs to route messages to a selector of the form {@code prop = literal},
 * {@code literal = prop} or {@code prop IN ('a', 'b')} on an application property without
 * evaluating it: the property name and the literal values, normalized by {@link #normalize}.
 * A message whose {@code normalize(property(name))} is in {@link #values()} matches the selector,
 * and no other message does. Immutable.
 */
public final class IndexKey {

    /** Doubles beyond 2^53 in magnitude stand for several longs, so they cannot key an index exactly. */
    private static final double EXACT_DOUBLE_LIMIT = 9007199254740992.0;

    private final String property;
    private final Set<Object> values;

    IndexKey(String property, Set<Object> values) {
        this.property = property;
        this.values = Set.copyOf(values);
    }

    /** The application property the selector tests. */
    public String property() {
        return property;
    }

    /** The normalized literals a matching message's property equals; unmodifiable. */
    public Set<Object> values() {
        return values;
    }

    /**
     * Normalizes a property value (or a selector literal) so that values the selector considers
     * equal are {@code equals}: integral numbers, including Float and Double with an exact integral
     * value, become Long; other Float and Double values become Double; String and Boolean are
     * returned as they are, and so is null.
     */
    public static Object normalize(Object propertyValue) {
        if (NumericValues.isExact(propertyValue)) {
            return NumericValues.longValue(propertyValue);
        }
        if (NumericValues.isApproximate(propertyValue)) {
            double value = NumericValues.doubleValue(propertyValue);
            long integral = (long) value;
            // The range check keeps values past Long's range (which the cast clamps) as Double.
            if (integral == value && value > -0x1p63 && value < 0x1p63) {
                return integral;
            }
            return value;
        }
        return propertyValue;
    }

    /**
     * True when the literal keys an index without changing which messages match: numbers
     * between -2^53 and 2^53 only, since a bigger long and the double nearest to it compare equal
     * under numeric promotion while normalizing to different keys.
     */
    static boolean isIndexable(Object literal) {
        if (NumericValues.isNumeric(literal)) {
            double magnitude = Math.abs(NumericValues.doubleValue(literal));
            return magnitude <= EXACT_DOUBLE_LIMIT
                    && (!NumericValues.isExact(literal) || Math.abs(NumericValues.longValue(literal)) <= (1L << 53));
        }
        return literal instanceof String || literal instanceof Boolean;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IndexKey
                && ((IndexKey) other).property.equals(property)
                && ((IndexKey) other).values.equals(values);
    }

    @Override
    public int hashCode() {
        return property.hashCode() * 31 + values.hashCode();
    }

    @Override
    public String toString() {
        return "IndexKey[" + property + " in " + values + "]";
    }
}
