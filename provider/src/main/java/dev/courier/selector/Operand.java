package dev.courier.selector;

/** A parsed sub-expression: its compiled node, its static type, and where its text starts. */
record Operand(Node node, StaticType type, int position) {
}
