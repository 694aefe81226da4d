package dev.courier.selector;

import java.util.List;
import java.util.Random;

/**
 * A tiny selector syntax tree for the differential test. It renders itself as selector text,
 * adding parentheses where precedence needs them and, at random, where it does not; the
 * {@link ReferenceInterpreter} evaluates it without going through the production parser.
 */
sealed interface ReferenceExpression {

    /** Loosest to tightest binding, matching the selector grammar. */
    int OR = 1;
    int AND = 2;
    int NOT = 3;
    int PREDICATE = 4;
    int ADDITIVE = 5;
    int MULTIPLICATIVE = 6;
    int UNARY = 7;
    int PRIMARY = 8;

    /** The binding level of this node's own text. */
    int level();

    /** Writes the selector text; {@code random} decides where to add needless parentheses. */
    void render(StringBuilder out, Random random);

    static void render(ReferenceExpression child, int minimumLevel, StringBuilder out, Random random) {
        boolean parenthesize = child.level() < minimumLevel || random.nextInt(8) == 0;
        if (parenthesize) {
            out.append('(');
        }
        child.render(out, random);
        if (parenthesize) {
            out.append(')');
        }
    }

    static String text(ReferenceExpression expression, Random random) {
        StringBuilder out = new StringBuilder();
        expression.render(out, random);
        return out.toString();
    }

    /** A literal with the text that denotes it, for example {@code -5}, {@code 2.5E3}, {@code 'it''s'}. */
    record Literal(Object value, String text) implements ReferenceExpression {
        @Override
        public int level() {
            return text.startsWith("-") ? UNARY : PRIMARY;
        }

        @Override
        public void render(StringBuilder out, Random random) {
            out.append(text);
        }
    }

    /** A property or header identifier. */
    record Identifier(String name) implements ReferenceExpression {
        @Override
        public int level() {
            return PRIMARY;
        }

        @Override
        public void render(StringBuilder out, Random random) {
            out.append(name);
        }
    }

    /** Unary minus or plus. */
    record Sign(boolean negate, ReferenceExpression operand) implements ReferenceExpression {
        @Override
        public int level() {
            return UNARY;
        }

        @Override
        public void render(StringBuilder out, Random random) {
            out.append(negate ? "- " : "+ ");
            ReferenceExpression.render(operand, UNARY, out, random);
        }
    }

    /** {@code + - * /}. */
    record Arithmetic(char operator, ReferenceExpression left, ReferenceExpression right)
            implements ReferenceExpression {
        @Override
        public int level() {
            return operator == '+' || operator == '-' ? ADDITIVE : MULTIPLICATIVE;
        }

        @Override
        public void render(StringBuilder out, Random random) {
            ReferenceExpression.render(left, level(), out, random);
            out.append(' ').append(operator).append(' ');
            ReferenceExpression.render(right, level() + 1, out, random);
        }
    }

    /** {@code = <> < <= > >=}. */
    record Comparison(String operator, ReferenceExpression left, ReferenceExpression right)
            implements ReferenceExpression {
        @Override
        public int level() {
            return PREDICATE;
        }

        @Override
        public void render(StringBuilder out, Random random) {
            ReferenceExpression.render(left, ADDITIVE, out, random);
            out.append(' ').append(operator).append(' ');
            ReferenceExpression.render(right, ADDITIVE, out, random);
        }
    }

    /** {@code AND} and {@code OR}. */
    record Logical(boolean isAnd, ReferenceExpression left, ReferenceExpression right) implements ReferenceExpression {
        @Override
        public int level() {
            return isAnd ? AND : OR;
        }

        @Override
        public void render(StringBuilder out, Random random) {
            ReferenceExpression.render(left, level(), out, random);
            out.append(random.nextBoolean() ? (isAnd ? " AND " : " OR ") : (isAnd ? " and " : " Or "));
            ReferenceExpression.render(right, level() + 1, out, random);
        }
    }

    /** {@code NOT}. */
    record Not(ReferenceExpression operand) implements ReferenceExpression {
        @Override
        public int level() {
            return NOT;
        }

        @Override
        public void render(StringBuilder out, Random random) {
            out.append("NOT ");
            ReferenceExpression.render(operand, NOT, out, random);
        }
    }

    /** {@code [NOT] BETWEEN}. */
    record Between(boolean negated, ReferenceExpression value, ReferenceExpression low, ReferenceExpression high)
            implements ReferenceExpression {
        @Override
        public int level() {
            return PREDICATE;
        }

        @Override
        public void render(StringBuilder out, Random random) {
            ReferenceExpression.render(value, ADDITIVE, out, random);
            out.append(negated ? " NOT BETWEEN " : " BETWEEN ");
            ReferenceExpression.render(low, ADDITIVE, out, random);
            out.append(" AND ");
            ReferenceExpression.render(high, ADDITIVE, out, random);
        }
    }

    /** {@code [NOT] IN}; the list holds the strings, unquoted. */
    record In(boolean negated, ReferenceExpression value, List<String> candidates) implements ReferenceExpression {
        @Override
        public int level() {
            return PREDICATE;
        }

        @Override
        public void render(StringBuilder out, Random random) {
            ReferenceExpression.render(value, ADDITIVE, out, random);
            out.append(negated ? " NOT IN (" : " IN (");
            for (int i = 0; i < candidates.size(); i++) {
                out.append(i == 0 ? "" : ", ").append(quote(candidates.get(i)));
            }
            out.append(')');
        }
    }

    /** {@code [NOT] LIKE pattern [ESCAPE 'c']}; {@code escape} is null when absent. */
    record Like(boolean negated, ReferenceExpression value, String pattern, Character escape)
            implements ReferenceExpression {
        @Override
        public int level() {
            return PREDICATE;
        }

        @Override
        public void render(StringBuilder out, Random random) {
            ReferenceExpression.render(value, ADDITIVE, out, random);
            out.append(negated ? " NOT LIKE " : " LIKE ").append(quote(pattern));
            if (escape != null) {
                out.append(" ESCAPE ").append(quote(String.valueOf(escape)));
            }
        }
    }

    /** {@code IS [NOT] NULL}. */
    record IsNull(boolean negated, ReferenceExpression value) implements ReferenceExpression {
        @Override
        public int level() {
            return PREDICATE;
        }

        @Override
        public void render(StringBuilder out, Random random) {
            ReferenceExpression.render(value, ADDITIVE, out, random);
            out.append(negated ? " IS NOT NULL" : " IS NULL");
        }
    }

    static String quote(String content) {
        return "'" + content.replace("'", "''") + "'";
    }
}
