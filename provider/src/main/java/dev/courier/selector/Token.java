package dev.courier.selector;

/**
 * One token: its kind, where it starts, and its value (the identifier's name, a string literal's
 * content, a Long or Double for numbers). An exact number whose magnitude is exactly 2^63 has
 * {@code value} null and {@code minLongMagnitude} set: it is valid only directly after a unary
 * minus, as in Java.
 */
record Token(TokenType type, int position, Object value, boolean minLongMagnitude) {

    Token(TokenType type, int position, Object value) {
        this(type, position, value, false);
    }
}
