package dev.courier.jms.message;

import jakarta.jms.MessageFormatException;

/**
 * The JMS value conversion rules shared by message properties (spec 3.5.4), {@code MapMessage}
 * and {@code StreamMessage} (spec 3.11.3): which stored types may be read as which Java type.
 *
 * <p>Reading a null (or absent) value behaves as the target type's {@code valueOf((String) null)}
 * does, which is what the spec prescribes: {@code false} for boolean, {@link NumberFormatException}
 * for the integral types, {@link NullPointerException} for float, double and char. A String that
 * does not parse raises {@link NumberFormatException}, as {@code valueOf} would. Every other
 * disallowed pair raises {@link MessageFormatException}.
 *
 * <p>Properties can never hold a {@code Character} or {@code byte[]} (their setters refuse them),
 * so one table serves all three uses. Stateless and thread-safe.
 */
final class TypedValues {

    private TypedValues() {
    }

    static boolean toBoolean(Object value) throws MessageFormatException {
        if (value instanceof Boolean) {
            return (Boolean) value;
        }
        if (value == null || value instanceof String) {
            return Boolean.valueOf((String) value);
        }
        throw invalid(value, "boolean");
    }

    static byte toByte(Object value) throws MessageFormatException {
        if (value instanceof Byte) {
            return (Byte) value;
        }
        if (value == null || value instanceof String) {
            return Byte.valueOf((String) value);
        }
        throw invalid(value, "byte");
    }

    static short toShort(Object value) throws MessageFormatException {
        if (value instanceof Short || value instanceof Byte) {
            return ((Number) value).shortValue();
        }
        if (value == null || value instanceof String) {
            return Short.valueOf((String) value);
        }
        throw invalid(value, "short");
    }

    static int toInt(Object value) throws MessageFormatException {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).intValue();
        }
        if (value == null || value instanceof String) {
            return Integer.valueOf((String) value);
        }
        throw invalid(value, "int");
    }

    static long toLong(Object value) throws MessageFormatException {
        if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value == null || value instanceof String) {
            return Long.valueOf((String) value);
        }
        throw invalid(value, "long");
    }

    static float toFloat(Object value) throws MessageFormatException {
        if (value instanceof Float) {
            return (Float) value;
        }
        if (value == null || value instanceof String) {
            return Float.valueOf((String) value);
        }
        throw invalid(value, "float");
    }

    static double toDouble(Object value) throws MessageFormatException {
        if (value instanceof Double || value instanceof Float) {
            return ((Number) value).doubleValue();
        }
        if (value == null || value instanceof String) {
            return Double.valueOf((String) value);
        }
        throw invalid(value, "double");
    }

    /** A char can only be read from a char; there is no {@code Character.valueOf(String)}. */
    static char toChar(Object value) throws MessageFormatException {
        if (value instanceof Character) {
            return (Character) value;
        }
        if (value == null) {
            throw new NullPointerException("the value is null and cannot be read as a char");
        }
        throw invalid(value, "char");
    }

    /** Every type but {@code byte[]} reads as its {@code toString()}; null stays null. */
    static String toText(Object value) throws MessageFormatException {
        if (value == null) {
            return null;
        }
        if (value instanceof byte[]) {
            throw invalid(value, "String");
        }
        return value.toString();
    }

    /** A byte array can only be read as a byte array; the result is a copy the caller owns. */
    static byte[] toBytes(Object value) throws MessageFormatException {
        if (value == null) {
            return null;
        }
        if (value instanceof byte[]) {
            return ((byte[]) value).clone();
        }
        throw invalid(value, "byte[]");
    }

    /** True for the types a property may hold: the primitive wrappers except Character, and String. */
    static boolean isPropertyType(Object value) {
        return value instanceof Boolean || value instanceof Byte || value instanceof Short
                || value instanceof Integer || value instanceof Long || value instanceof Float
                || value instanceof Double || value instanceof String;
    }

    /** True for the types a map or stream body (and {@code BytesMessage.writeObject}) accepts. */
    static boolean isBodyValueType(Object value) {
        return isPropertyType(value) || value instanceof Character || value instanceof byte[];
    }

    /** A body value as stored: byte arrays are copied so the caller keeps no handle on them. */
    static Object ownedBodyValue(Object value) throws MessageFormatException {
        if (value == null) {
            return null;
        }
        if (value instanceof byte[]) {
            return ((byte[]) value).clone();
        }
        if (!isBodyValueType(value)) {
            throw new MessageFormatException("only the primitive wrappers, String and byte[] are "
                    + "allowed, not " + value.getClass().getName());
        }
        return value;
    }

    /** The value as handed back to an application: a byte array is copied, all else is immutable. */
    static Object exposedValue(Object value) {
        return value instanceof byte[] ? ((byte[]) value).clone() : value;
    }

    private static MessageFormatException invalid(Object value, String target) {
        return new MessageFormatException("a " + value.getClass().getSimpleName()
                + " value cannot be read as " + target);
    }
}
