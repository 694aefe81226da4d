package dev.courier.selector;

/** The kinds of token in a selector. Keywords are recognised case-insensitively. */
enum TokenType {
    IDENTIFIER("an identifier"),
    STRING("a string literal"),
    EXACT_NUMBER("a number"),
    APPROXIMATE_NUMBER("a number"),
    TRUE("TRUE"),
    FALSE("FALSE"),
    NULL("NULL"),
    NOT("NOT"),
    AND("AND"),
    OR("OR"),
    BETWEEN("BETWEEN"),
    LIKE("LIKE"),
    IN("IN"),
    IS("IS"),
    ESCAPE("ESCAPE"),
    EQUAL("'='"),
    NOT_EQUAL("'<>'"),
    LESS("'<'"),
    LESS_OR_EQUAL("'<='"),
    GREATER("'>'"),
    GREATER_OR_EQUAL("'>='"),
    PLUS("'+'"),
    MINUS("'-'"),
    TIMES("'*'"),
    DIVIDE("'/'"),
    LEFT_PAREN("'('"),
    RIGHT_PAREN("')'"),
    COMMA("','"),
    END("the end of the selector");

    private final String description;

    TokenType(String description) {
        this.description = description;
    }

    /** How an error message names this kind of token. */
    String description() {
        return description;
    }
}
