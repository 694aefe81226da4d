package dev.courier.selector;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Splits a selector into {@link Token}s. Identifiers follow Java's identifier rules; keywords are
 * case-insensitive; string literals use single quotes with {@code ''} for a quote; exact numbers
 * use Java's integer literal syntax (decimal, {@code 0x} hex, {@code 0b} binary, leading-zero
 * octal, optional {@code L}); approximate numbers use Java's floating-point literal syntax
 * ({@code 7.}, {@code .5}, {@code 6.2E12}, {@code 5d}, {@code 5f}). Underscores in numbers are not
 * accepted.
 */
final class SelectorLexer {

    private static final Map<String, TokenType> KEYWORDS = Map.ofEntries(
            Map.entry("TRUE", TokenType.TRUE), Map.entry("FALSE", TokenType.FALSE),
            Map.entry("NULL", TokenType.NULL), Map.entry("NOT", TokenType.NOT),
            Map.entry("AND", TokenType.AND), Map.entry("OR", TokenType.OR),
            Map.entry("BETWEEN", TokenType.BETWEEN), Map.entry("LIKE", TokenType.LIKE),
            Map.entry("IN", TokenType.IN), Map.entry("IS", TokenType.IS),
            Map.entry("ESCAPE", TokenType.ESCAPE));

    private static final BigInteger MIN_LONG_MAGNITUDE = BigInteger.ONE.shiftLeft(63);

    private final String text;
    private int position;

    private SelectorLexer(String text) {
        this.text = text;
    }

    /** All tokens of {@code text}, ending with an {@link TokenType#END} token. */
    static List<Token> tokenize(String text) throws SelectorSyntaxException {
        return new SelectorLexer(text).tokens();
    }

    private List<Token> tokens() throws SelectorSyntaxException {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            skipWhitespace();
            if (position >= text.length()) {
                tokens.add(new Token(TokenType.END, position, null));
                return tokens;
            }
            tokens.add(next());
        }
    }

    private void skipWhitespace() {
        while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
            position++;
        }
    }

    private Token next() throws SelectorSyntaxException {
        int start = position;
        char c = text.charAt(position);
        if (c == '\'') {
            return string();
        }
        if (isDigit(c) || (c == '.' && position + 1 < text.length() && isDigit(text.charAt(position + 1)))) {
            return number();
        }
        int codePoint = text.codePointAt(position);
        if (Character.isJavaIdentifierStart(codePoint)) {
            return identifierOrKeyword();
        }
        position++;
        switch (c) {
            case '=':
                return new Token(TokenType.EQUAL, start, null);
            case '<':
                if (accept('>')) {
                    return new Token(TokenType.NOT_EQUAL, start, null);
                }
                if (accept('=')) {
                    return new Token(TokenType.LESS_OR_EQUAL, start, null);
                }
                return new Token(TokenType.LESS, start, null);
            case '>':
                if (accept('=')) {
                    return new Token(TokenType.GREATER_OR_EQUAL, start, null);
                }
                return new Token(TokenType.GREATER, start, null);
            case '+':
                return new Token(TokenType.PLUS, start, null);
            case '-':
                return new Token(TokenType.MINUS, start, null);
            case '*':
                return new Token(TokenType.TIMES, start, null);
            case '/':
                return new Token(TokenType.DIVIDE, start, null);
            case '(':
                return new Token(TokenType.LEFT_PAREN, start, null);
            case ')':
                return new Token(TokenType.RIGHT_PAREN, start, null);
            case ',':
                return new Token(TokenType.COMMA, start, null);
            default:
                throw error("unexpected character '" + new String(Character.toChars(codePoint)) + "'", start);
        }
    }

    private boolean accept(char expected) {
        if (position < text.length() && text.charAt(position) == expected) {
            position++;
            return true;
        }
        return false;
    }

    private Token string() throws SelectorSyntaxException {
        int start = position;
        position++;
        StringBuilder content = new StringBuilder();
        while (position < text.length()) {
            char c = text.charAt(position++);
            if (c == '\'') {
                if (!accept('\'')) {
                    return new Token(TokenType.STRING, start, content.toString());
                }
            }
            content.append(c);
        }
        throw error("unterminated string literal", start);
    }

    private Token identifierOrKeyword() {
        int start = position;
        position += Character.charCount(text.codePointAt(position));
        while (position < text.length() && Character.isJavaIdentifierPart(text.codePointAt(position))) {
            position += Character.charCount(text.codePointAt(position));
        }
        String name = text.substring(start, position);
        TokenType keyword = KEYWORDS.get(name.toUpperCase(Locale.ROOT));
        if (keyword != null) {
            return new Token(keyword, start, null);
        }
        return new Token(TokenType.IDENTIFIER, start, name);
    }

    private Token number() throws SelectorSyntaxException {
        int start = position;
        if (text.startsWith("0x", position) || text.startsWith("0X", position)) {
            return radixInteger(start, 2, 16);
        }
        if (text.startsWith("0b", position) || text.startsWith("0B", position)) {
            return radixInteger(start, 2, 2);
        }
        skipDigits();
        boolean approximate = false;
        if (position < text.length() && text.charAt(position) == '.') {
            approximate = true;
            position++;
            skipDigits();
        }
        if (position < text.length() && (text.charAt(position) == 'e' || text.charAt(position) == 'E')) {
            approximate = true;
            position++;
            if (position < text.length() && (text.charAt(position) == '+' || text.charAt(position) == '-')) {
                position++;
            }
            int exponentStart = position;
            skipDigits();
            if (position == exponentStart) {
                throw error("malformed number: the exponent has no digits", start);
            }
        }
        char suffix = position < text.length() ? Character.toLowerCase(text.charAt(position)) : 0;
        if (suffix == 'f' || suffix == 'd') {
            position++;
            return approximateNumber(start, suffix == 'f');
        }
        if (approximate) {
            return approximateNumber(start, false);
        }
        String digits = text.substring(start, position);
        if (suffix == 'l') {
            position++;
        }
        checkNumberEnd(start);
        if (digits.length() > 1 && digits.charAt(0) == '0') {
            return integer(start, digits.substring(1), 8);
        }
        return integer(start, digits, 10);
    }

    private Token radixInteger(int start, int prefixLength, int radix) throws SelectorSyntaxException {
        position += prefixLength;
        int digitsStart = position;
        while (position < text.length() && Character.digit(text.charAt(position), radix) >= 0) {
            position++;
        }
        String digits = text.substring(digitsStart, position);
        if (digits.isEmpty()) {
            throw error("malformed number: no digits after the radix prefix", start);
        }
        if (position < text.length() && Character.toLowerCase(text.charAt(position)) == 'l') {
            position++;
        }
        checkNumberEnd(start);
        BigInteger value = new BigInteger(digits, radix);
        // As in Java, hex, octal and binary literals may use all 64 bits (0xFFFFFFFFFFFFFFFF is -1).
        if (value.bitLength() > 64) {
            throw error("integer literal out of range", start);
        }
        return new Token(TokenType.EXACT_NUMBER, start, value.longValue());
    }

    private Token integer(int start, String digits, int radix) throws SelectorSyntaxException {
        for (int i = 0; i < digits.length(); i++) {
            if (Character.digit(digits.charAt(i), radix) < 0) {
                throw error("malformed number: '" + digits.charAt(i) + "' is not an octal digit", start);
            }
        }
        BigInteger value = new BigInteger(digits, radix);
        if (radix != 10 && value.bitLength() <= 64) {
            return new Token(TokenType.EXACT_NUMBER, start, value.longValue());
        }
        if (value.equals(MIN_LONG_MAGNITUDE)) {
            return new Token(TokenType.EXACT_NUMBER, start, null, true);
        }
        if (value.bitLength() > 63) {
            throw error("integer literal out of range", start);
        }
        return new Token(TokenType.EXACT_NUMBER, start, value.longValue());
    }

    private Token approximateNumber(int start, boolean isFloat) throws SelectorSyntaxException {
        checkNumberEnd(start);
        String literal = text.substring(start, position);
        // A float literal means the float value, so it equals a Float property holding the same literal.
        double value = isFloat ? Float.parseFloat(literal) : Double.parseDouble(literal);
        if (Double.isInfinite(value)) {
            throw error("floating-point literal out of range", start);
        }
        return new Token(TokenType.APPROXIMATE_NUMBER, start, value);
    }

    private void checkNumberEnd(int start) throws SelectorSyntaxException {
        if (position < text.length()
                && (Character.isJavaIdentifierPart(text.codePointAt(position)) || text.charAt(position) == '.')) {
            throw error("malformed number", start);
        }
    }

    private void skipDigits() {
        while (position < text.length() && isDigit(text.charAt(position))) {
            position++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private SelectorSyntaxException error(String problem, int at) {
        return new SelectorSyntaxException(text, problem, at);
    }
}
