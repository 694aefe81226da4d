package dev.courier.selector;

/**
 * Recognises the numeric property types a message may carry and reads them as primitives, so
 * numeric comparison needs no allocation. Exact types are {@code Byte, Short, Integer, Long};
 * approximate types are {@code Float, Double}. Anything else (including other {@link Number}
 * subclasses, which a message never carries) is not numeric.
 */
final class NumericValues {

    private NumericValues() {
    }

    static boolean isExact(Object value) {
        return value instanceof Long || value instanceof Integer
                || value instanceof Short || value instanceof Byte;
    }

    static boolean isApproximate(Object value) {
        return value instanceof Double || value instanceof Float;
    }

    static boolean isNumeric(Object value) {
        return isExact(value) || isApproximate(value);
    }

    /** The value of a numeric object, widened to long (callers check {@link #isExact} first). */
    static long longValue(Object value) {
        return ((Number) value).longValue();
    }

    /** The value of a numeric object, widened to double as Java's numeric promotion does. */
    static double doubleValue(Object value) {
        return ((Number) value).doubleValue();
    }
}
