package dev.courier.message;

/**
 * The five JMS body kinds plus the body-less {@code Message}.
 * The Java type of {@link MessageRecord#body()} for each kind is fixed:
 * {@code NONE}: null; {@code TEXT}: String or null; {@code BYTES}: byte[];
 * {@code MAP}: an unmodifiable {@code Map<String,Object>}; {@code STREAM}: an unmodifiable
 * {@code List<Object>}; {@code OBJECT}: the Java-serialized bytes, or null.
 * Map and stream values are the JMS primitive wrappers, String, or byte[] (never shared with a
 * mutable message).
 */
public enum BodyType {
    NONE, TEXT, BYTES, MAP, STREAM, OBJECT
}
