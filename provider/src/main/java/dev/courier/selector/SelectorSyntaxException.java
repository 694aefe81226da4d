package dev.courier.selector;

/**
 * A selector that cannot be compiled: a syntax error, an identifier a selector may not use, or a
 * type error that is visible without a message (for example {@code 'abc' + 1}). The message names
 * the selector, the problem and the 0-based character position where it was found.
 */
public final class SelectorSyntaxException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int position;

    SelectorSyntaxException(String expression, String problem, int position) {
        super("Invalid selector \"" + expression + "\": " + problem + " at position " + position);
        this.position = position;
    }

    /** The 0-based offset in the selector text where the problem was found. */
    public int position() {
        return position;
    }
}
