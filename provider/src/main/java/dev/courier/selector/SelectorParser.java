package dev.courier.selector;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Recursive-descent parser that checks types as it goes and builds the evaluator tree directly.
 * Precedence, loosest first: OR, AND, NOT, then the predicates (comparison, BETWEEN, IN, LIKE,
 * IS NULL), then + -, then * /, then unary + -.
 *
 * <p>Type errors visible without a message are syntax errors here: arithmetic on strings or
 * booleans, ordering comparisons with a string or boolean, a non-string operand of LIKE or IN, a
 * non-numeric BETWEEN, a string or number where a condition is needed. Expressions involving
 * properties are checked again per message, where a wrong type makes the result false or unknown.
 */
final class SelectorParser {

    /**
     * Selectors come from clients, so nesting is bounded: a hostile selector must get a syntax
     * error, not overflow the stack of the broker thread that compiles or evaluates it.
     */
    private static final int MAX_NESTING = 200;
    private static final int MAX_TREE_DEPTH = 400;

    private final String text;
    private final List<Token> tokens;
    private int index;
    private int nesting;

    private SelectorParser(String text, List<Token> tokens) {
        this.text = text;
        this.tokens = tokens;
    }

    /** Parses and type-checks a non-blank selector into its root node. */
    static Node parse(String text) throws SelectorSyntaxException {
        SelectorParser parser = new SelectorParser(text, SelectorLexer.tokenize(text));
        Operand selector = parser.orExpression();
        Token end = parser.peek();
        if (end.type() != TokenType.END) {
            throw parser.unexpected(end, "an operator or the end of the selector");
        }
        parser.requireCondition(selector,
                "a selector must be a condition, not a " + selector.type().description() + " expression");
        return selector.node();
    }

    private Operand orExpression() throws SelectorSyntaxException {
        List<Operand> operands = new ArrayList<>();
        operands.add(andExpression());
        while (acceptToken(TokenType.OR)) {
            operands.add(andExpression());
        }
        if (operands.size() == 1) {
            return operands.get(0);
        }
        for (Operand operand : operands) {
            requireCondition(operand, "OR needs conditions on both sides");
        }
        return composite(new OrNode(nodes(operands)), StaticType.BOOLEAN, operands.get(0).position(), operands);
    }

    private Operand andExpression() throws SelectorSyntaxException {
        List<Operand> operands = new ArrayList<>();
        operands.add(notExpression());
        while (acceptToken(TokenType.AND)) {
            operands.add(notExpression());
        }
        if (operands.size() == 1) {
            return operands.get(0);
        }
        for (Operand operand : operands) {
            requireCondition(operand, "AND needs conditions on both sides");
        }
        return composite(new AndNode(nodes(operands)), StaticType.BOOLEAN, operands.get(0).position(), operands);
    }

    private Operand notExpression() throws SelectorSyntaxException {
        if (peek().type() == TokenType.NOT) {
            Token not = advance();
            enterNesting(not);
            Operand operand = notExpression();
            nesting--;
            requireCondition(operand, "NOT needs a condition");
            return composite(new NotNode(operand.node()), StaticType.BOOLEAN, not.position(), List.of(operand));
        }
        return predicate();
    }

    private Operand predicate() throws SelectorSyntaxException {
        Operand left = additive();
        Token next = peek();
        ComparisonOperator comparison = comparisonOperator(next.type());
        if (comparison != null) {
            advance();
            Operand right = additive();
            if (!comparison.isEquality()) {
                requireOrderable(left, comparison);
                requireOrderable(right, comparison);
            } else {
                requireLikeTypes(left, right, comparison);
            }
            return composite(ComparisonNode.of(left.node(), comparison, right.node()), StaticType.BOOLEAN,
                    left.position(), List.of(left, right));
        }
        boolean negated = false;
        if (next.type() == TokenType.NOT) {
            advance();
            negated = true;
            next = peek();
            if (next.type() != TokenType.BETWEEN && next.type() != TokenType.IN && next.type() != TokenType.LIKE) {
                throw unexpected(next, "BETWEEN, IN or LIKE after NOT");
            }
        }
        switch (next.type()) {
            case BETWEEN:
                advance();
                return between(left, negated);
            case IN:
                advance();
                return in(left, negated);
            case LIKE:
                advance();
                return like(left, negated);
            case IS:
                advance();
                return isNull(left);
            default:
                return left;
        }
    }

    private Operand between(Operand value, boolean negated) throws SelectorSyntaxException {
        requireNumeric(value, "BETWEEN needs a numeric value");
        Operand low = additive();
        requireNumeric(low, "BETWEEN needs numeric bounds");
        expect(TokenType.AND);
        Operand high = additive();
        requireNumeric(high, "BETWEEN needs numeric bounds");
        return composite(new BetweenNode(value.node(), low.node(), high.node(), negated), StaticType.BOOLEAN,
                value.position(), List.of(value, low, high));
    }

    private Operand in(Operand value, boolean negated) throws SelectorSyntaxException {
        requireString(value, "IN needs a string value");
        expect(TokenType.LEFT_PAREN);
        Set<String> candidates = new LinkedHashSet<>();
        do {
            candidates.add(stringLiteral("IN lists only string literals"));
        } while (acceptToken(TokenType.COMMA));
        expect(TokenType.RIGHT_PAREN);
        return composite(new InNode(value.node(), candidates, negated), StaticType.BOOLEAN, value.position(),
                List.of(value));
    }

    private Operand like(Operand value, boolean negated) throws SelectorSyntaxException {
        requireString(value, "LIKE needs a string value");
        int patternPosition = peek().position();
        String pattern = stringLiteral("LIKE needs a string literal pattern");
        int escape = -1;
        if (acceptToken(TokenType.ESCAPE)) {
            int escapePosition = peek().position();
            String escapeText = stringLiteral("ESCAPE needs a one-character string literal");
            if (escapeText.codePointCount(0, escapeText.length()) != 1) {
                throw error("ESCAPE needs exactly one character", escapePosition);
            }
            escape = escapeText.codePointAt(0);
        }
        LikePattern compiled;
        try {
            compiled = LikePattern.compile(pattern, escape);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage(), patternPosition);
        }
        return composite(new LikeNode(value.node(), compiled, negated), StaticType.BOOLEAN, value.position(),
                List.of(value));
    }

    private Operand isNull(Operand value) throws SelectorSyntaxException {
        boolean negated = acceptToken(TokenType.NOT);
        expect(TokenType.NULL);
        return composite(new IsNullNode(value.node(), negated), StaticType.BOOLEAN, value.position(),
                List.of(value));
    }

    private Operand additive() throws SelectorSyntaxException {
        Operand left = multiplicative();
        while (peek().type() == TokenType.PLUS || peek().type() == TokenType.MINUS) {
            ArithmeticOperator operator = advance().type() == TokenType.PLUS
                    ? ArithmeticOperator.ADD : ArithmeticOperator.SUBTRACT;
            left = arithmetic(left, operator, multiplicative());
        }
        return left;
    }

    private Operand multiplicative() throws SelectorSyntaxException {
        Operand left = unary();
        while (peek().type() == TokenType.TIMES || peek().type() == TokenType.DIVIDE) {
            ArithmeticOperator operator = advance().type() == TokenType.TIMES
                    ? ArithmeticOperator.MULTIPLY : ArithmeticOperator.DIVIDE;
            left = arithmetic(left, operator, unary());
        }
        return left;
    }

    private Operand arithmetic(Operand left, ArithmeticOperator operator, Operand right)
            throws SelectorSyntaxException {
        String problem = "'" + operator.symbol() + "' needs numeric operands";
        requireNumeric(left, problem);
        requireNumeric(right, problem);
        return composite(new ArithmeticNode(left.node(), operator, right.node()), StaticType.NUMERIC,
                left.position(), List.of(left, right));
    }

    private Operand unary() throws SelectorSyntaxException {
        Token sign = peek();
        if (sign.type() != TokenType.MINUS && sign.type() != TokenType.PLUS) {
            return primary();
        }
        advance();
        boolean negate = sign.type() == TokenType.MINUS;
        Token next = peek();
        if (negate && next.type() == TokenType.EXACT_NUMBER && next.minLongMagnitude()) {
            advance();
            return new Operand(new LiteralNode(Long.MIN_VALUE), StaticType.NUMERIC, sign.position());
        }
        enterNesting(sign);
        Operand operand = unary();
        nesting--;
        requireNumeric(operand, "unary '" + (negate ? "-" : "+") + "' needs a numeric operand");
        if (operand.node() instanceof LiteralNode) {
            Object literal = ((LiteralNode) operand.node()).literal();
            Object signed = !negate ? literal
                    : literal instanceof Long ? (Object) (-(Long) literal) : (Object) (-(Double) literal);
            return new Operand(new LiteralNode(signed), StaticType.NUMERIC, sign.position());
        }
        return composite(new SignNode(operand.node(), negate), StaticType.NUMERIC, sign.position(), List.of(operand));
    }

    private Operand primary() throws SelectorSyntaxException {
        Token token = advance();
        switch (token.type()) {
            case STRING:
                return new Operand(new LiteralNode(token.value()), StaticType.STRING, token.position());
            case EXACT_NUMBER:
                if (token.minLongMagnitude()) {
                    throw error("integer literal out of range", token.position());
                }
                return new Operand(new LiteralNode(token.value()), StaticType.NUMERIC, token.position());
            case APPROXIMATE_NUMBER:
                return new Operand(new LiteralNode(token.value()), StaticType.NUMERIC, token.position());
            case TRUE:
                return new Operand(new LiteralNode(Boolean.TRUE), StaticType.BOOLEAN, token.position());
            case FALSE:
                return new Operand(new LiteralNode(Boolean.FALSE), StaticType.BOOLEAN, token.position());
            case IDENTIFIER:
                return identifier(token);
            case LEFT_PAREN:
                enterNesting(token);
                Operand inner = orExpression();
                nesting--;
                expect(TokenType.RIGHT_PAREN);
                return inner.at(token.position());
            case NULL:
                throw error("NULL may only be used in IS NULL or IS NOT NULL", token.position());
            default:
                throw unexpected(token, "an expression");
        }
    }

    private Operand identifier(Token token) throws SelectorSyntaxException {
        String name = (String) token.value();
        if (name.startsWith("JMS") && !name.startsWith("JMSX") && !name.startsWith("JMS_")) {
            HeaderField field = HeaderField.forIdentifier(name);
            if (field == null) {
                throw error("'" + name + "' cannot be used in a selector (only JMSDeliveryMode, JMSPriority, "
                        + "JMSMessageID, JMSTimestamp, JMSCorrelationID, JMSType and JMSX/JMS_ properties)",
                        token.position());
            }
            return new Operand(new HeaderNode(field), field.type(), token.position());
        }
        return new Operand(new PropertyNode(name), StaticType.ANY, token.position());
    }

    private String stringLiteral(String problem) throws SelectorSyntaxException {
        Token token = peek();
        if (token.type() != TokenType.STRING) {
            throw error(problem + ", found " + describe(token), token.position());
        }
        advance();
        return (String) token.value();
    }

    private static ComparisonOperator comparisonOperator(TokenType type) {
        switch (type) {
            case EQUAL:
                return ComparisonOperator.EQUAL;
            case NOT_EQUAL:
                return ComparisonOperator.NOT_EQUAL;
            case LESS:
                return ComparisonOperator.LESS;
            case LESS_OR_EQUAL:
                return ComparisonOperator.LESS_OR_EQUAL;
            case GREATER:
                return ComparisonOperator.GREATER;
            case GREATER_OR_EQUAL:
                return ComparisonOperator.GREATER_OR_EQUAL;
            default:
                return null;
        }
    }

    private static Node[] nodes(List<Operand> operands) {
        Node[] nodes = new Node[operands.size()];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = operands.get(i).node();
        }
        return nodes;
    }

    /** An operand over {@code children}, refused when its tree would be too deep to evaluate safely. */
    private Operand composite(Node node, StaticType type, int position, List<Operand> children)
            throws SelectorSyntaxException {
        int depth = 0;
        for (Operand child : children) {
            depth = Math.max(depth, child.depth());
        }
        if (depth + 1 > MAX_TREE_DEPTH) {
            throw error("the selector nests more than " + MAX_TREE_DEPTH + " operations deep", position);
        }
        return new Operand(node, type, position, depth + 1);
    }

    /** Bounds the parser's own recursion (parentheses, NOT and signs), which a selector controls. */
    private void enterNesting(Token token) throws SelectorSyntaxException {
        if (++nesting > MAX_NESTING) {
            throw error("the selector nests more than " + MAX_NESTING + " levels deep", token.position());
        }
    }

    private void requireCondition(Operand operand, String problem) throws SelectorSyntaxException {
        if (!operand.type().canBeBoolean()) {
            throw error(problem, operand.position());
        }
    }

    private void requireNumeric(Operand operand, String problem) throws SelectorSyntaxException {
        if (!operand.type().canBeNumeric()) {
            throw error(problem + ", found a " + operand.type().description() + " expression", operand.position());
        }
    }

    private void requireString(Operand operand, String problem) throws SelectorSyntaxException {
        if (!operand.type().canBeString()) {
            throw error(problem + ", found a " + operand.type().description() + " expression", operand.position());
        }
    }

    /** "Only like type values can be compared" (3.8.1.1): a mismatch visible without a message is an error. */
    private void requireLikeTypes(Operand left, Operand right, ComparisonOperator comparison)
            throws SelectorSyntaxException {
        StaticType a = left.type();
        StaticType b = right.type();
        if (a != StaticType.ANY && b != StaticType.ANY && a != b) {
            throw error("'" + comparison.symbol() + "' compares values of one type, found a " + a.description()
                    + " and a " + b.description() + " expression", right.position());
        }
    }

    private void requireOrderable(Operand operand, ComparisonOperator comparison) throws SelectorSyntaxException {
        if (!operand.type().canBeNumeric()) {
            throw error("'" + comparison.symbol() + "' compares only numbers, found a "
                    + operand.type().description() + " expression", operand.position());
        }
    }

    private Token peek() {
        return tokens.get(index);
    }

    private Token advance() {
        Token token = tokens.get(index);
        if (token.type() != TokenType.END) {
            index++;
        }
        return token;
    }

    private boolean acceptToken(TokenType type) {
        if (peek().type() == type) {
            advance();
            return true;
        }
        return false;
    }

    private void expect(TokenType type) throws SelectorSyntaxException {
        Token token = peek();
        if (token.type() != type) {
            throw unexpected(token, type.description());
        }
        advance();
    }

    private SelectorSyntaxException unexpected(Token token, String expected) {
        return error("expected " + expected + " but found " + describe(token), token.position());
    }

    private String describe(Token token) {
        switch (token.type()) {
            case IDENTIFIER:
                return "identifier '" + token.value() + "'";
            case STRING:
                return "string literal";
            default:
                return token.type().description();
        }
    }

    private SelectorSyntaxException error(String problem, int position) {
        return new SelectorSyntaxException(text, problem, position);
    }
}
