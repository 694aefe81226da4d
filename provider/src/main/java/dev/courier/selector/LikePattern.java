package dev.courier.selector;

import java.util.Arrays;

/**
 * A compiled LIKE pattern: {@code _} matches exactly one character (one Unicode code point),
 * {@code %} any sequence including the empty one and line breaks, and the optional escape
 * character makes the character after it literal. The common shapes ({@code 'abc'},
 * {@code 'abc%'}, {@code '%abc'}, {@code '%abc%'}) match with one String method call; anything
 * else runs a small wildcard matcher that backtracks only to the last {@code %}, so matching is
 * linear in practice and never builds strings or regular expressions per message.
 */
final class LikePattern {

    /** Marks {@code _} in {@link #elements}; code points are never negative. */
    private static final int ANY_ONE = -1;
    /** Marks {@code %} (runs of them collapsed) in {@link #elements}. */
    private static final int ANY_SEQUENCE = -2;

    private enum Shape { EXACT, PREFIX, SUFFIX, CONTAINS, ANYTHING, GENERAL }

    private final Shape shape;
    /** The literal text for the simple shapes. */
    private final String literal;
    /** Code points and wildcard marks, for {@link Shape#GENERAL}. */
    private final int[] elements;

    private LikePattern(Shape shape, String literal, int[] elements) {
        this.shape = shape;
        this.literal = literal;
        this.elements = elements;
    }

    /**
     * Compiles a pattern.
     *
     * @param pattern the pattern text, without quotes
     * @param escape the escape code point, or -1 for none
     * @throws IllegalArgumentException if the pattern ends with an unfollowed escape character
     */
    static LikePattern compile(String pattern, int escape) {
        int[] elements = new int[pattern.length()];
        int count = 0;
        int index = 0;
        while (index < pattern.length()) {
            int codePoint = pattern.codePointAt(index);
            index += Character.charCount(codePoint);
            if (codePoint == escape) {
                if (index >= pattern.length()) {
                    throw new IllegalArgumentException("the LIKE pattern ends with its escape character");
                }
                codePoint = pattern.codePointAt(index);
                index += Character.charCount(codePoint);
                elements[count++] = codePoint;
            } else if (codePoint == '%') {
                if (count == 0 || elements[count - 1] != ANY_SEQUENCE) {
                    elements[count++] = ANY_SEQUENCE;
                }
            } else if (codePoint == '_') {
                elements[count++] = ANY_ONE;
            } else {
                elements[count++] = codePoint;
            }
        }
        return classify(Arrays.copyOf(elements, count));
    }

    private static LikePattern classify(int[] elements) {
        int sequences = 0;
        for (int element : elements) {
            if (element == ANY_ONE) {
                return new LikePattern(Shape.GENERAL, null, elements);
            }
            if (element == ANY_SEQUENCE) {
                sequences++;
            }
        }
        int length = elements.length;
        boolean leading = length > 0 && elements[0] == ANY_SEQUENCE;
        boolean trailing = length > 0 && elements[length - 1] == ANY_SEQUENCE;
        if (sequences == 0) {
            return new LikePattern(Shape.EXACT, text(elements, 0, length), null);
        }
        if (sequences == 1 && length == 1) {
            return new LikePattern(Shape.ANYTHING, null, null);
        }
        if (sequences == 1 && trailing) {
            return new LikePattern(Shape.PREFIX, text(elements, 0, length - 1), null);
        }
        if (sequences == 1 && leading) {
            return new LikePattern(Shape.SUFFIX, text(elements, 1, length), null);
        }
        if (sequences == 2 && leading && trailing) {
            return new LikePattern(Shape.CONTAINS, text(elements, 1, length - 1), null);
        }
        return new LikePattern(Shape.GENERAL, null, elements);
    }

    private static String text(int[] codePoints, int from, int to) {
        return new String(codePoints, from, to - from);
    }

    boolean matches(String value) {
        switch (shape) {
            case EXACT:
                return value.equals(literal);
            case PREFIX:
                return value.startsWith(literal);
            case SUFFIX:
                return value.endsWith(literal);
            case CONTAINS:
                return value.contains(literal);
            case ANYTHING:
                return true;
            default:
                return matchesGeneral(value);
        }
    }

    /**
     * Classic wildcard matching: advance on literal and {@code _} matches; on a mismatch, go back
     * to the most recent {@code %} and let it absorb one more character. Earlier {@code %}s never
     * need revisiting, because a later one can absorb anything they could.
     */
    private boolean matchesGeneral(String value) {
        int element = 0;
        int position = 0;
        int sequenceElement = -1;
        int sequenceStart = 0;
        while (position < value.length()) {
            if (element < elements.length && elements[element] == ANY_SEQUENCE) {
                sequenceElement = element++;
                sequenceStart = position;
                continue;
            }
            int codePoint = value.codePointAt(position);
            if (element < elements.length
                    && (elements[element] == ANY_ONE || elements[element] == codePoint)) {
                element++;
                position += Character.charCount(codePoint);
                continue;
            }
            if (sequenceElement < 0) {
                return false;
            }
            element = sequenceElement + 1;
            sequenceStart += Character.charCount(value.codePointAt(sequenceStart));
            position = sequenceStart;
        }
        while (element < elements.length && elements[element] == ANY_SEQUENCE) {
            element++;
        }
        return element == elements.length;
    }
}
