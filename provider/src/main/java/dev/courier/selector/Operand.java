package dev.courier.selector;

/**
 * A parsed sub-expression: its compiled node, its static type, where its text starts, and the
 * depth of its node tree (evaluation recurses that deep, so the parser bounds it).
 */
record Operand(Node node, StaticType type, int position, int depth) {

    /** A leaf: a literal or an identifier. */
    Operand(Node node, StaticType type, int position) {
        this(node, type, position, 1);
    }

    /** The same expression with its text starting elsewhere (at an opening parenthesis or a sign). */
    Operand at(int newPosition) {
        return new Operand(node, type, newPosition, depth);
    }
}
