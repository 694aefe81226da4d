package dev.courier.selector;

import dev.courier.message.MessageRecord;
import java.util.regex.Pattern;

/**
 * The differential test's oracle: evaluates a {@link ReferenceExpression} the plain way, straight
 * from the rules of Jakarta Messaging 3.1 section 3.8.1.1 as this package documents them. A truth
 * value is a Boolean, with null for unknown. It shares no code with the compiled evaluator:
 * BETWEEN and IN are expanded into the comparisons the specification defines them by, and LIKE
 * goes through java.util.regex.
 */
final class ReferenceInterpreter {

    private ReferenceInterpreter() {
    }

    static Boolean truth(ReferenceExpression expression, MessageRecord message) {
        Object value = value(expression, message);
        return value instanceof Boolean ? (Boolean) value : null;
    }

    static Object value(ReferenceExpression expression, MessageRecord message) {
        if (expression instanceof ReferenceExpression.Literal literal) {
            return literal.value();
        }
        if (expression instanceof ReferenceExpression.Identifier identifier) {
            return identifier(identifier.name(), message);
        }
        if (expression instanceof ReferenceExpression.Sign sign) {
            Object operand = value(sign.operand(), message);
            if (isIntegral(operand)) {
                return sign.negate() ? -((Number) operand).longValue() : ((Number) operand).longValue();
            }
            if (isNumber(operand)) {
                return sign.negate() ? -((Number) operand).doubleValue() : ((Number) operand).doubleValue();
            }
            return null;
        }
        if (expression instanceof ReferenceExpression.Arithmetic arithmetic) {
            return arithmetic(arithmetic.operator(),
                    value(arithmetic.left(), message), value(arithmetic.right(), message));
        }
        if (expression instanceof ReferenceExpression.Comparison comparison) {
            return compare(comparison.operator(),
                    value(comparison.left(), message), value(comparison.right(), message));
        }
        if (expression instanceof ReferenceExpression.Logical logical) {
            Boolean left = truth(logical.left(), message);
            Boolean right = truth(logical.right(), message);
            return logical.isAnd() ? and(left, right) : or(left, right);
        }
        if (expression instanceof ReferenceExpression.Not not) {
            return not(truth(not.operand(), message));
        }
        if (expression instanceof ReferenceExpression.Between between) {
            Object tested = value(between.value(), message);
            Object low = value(between.low(), message);
            Object high = value(between.high(), message);
            if (between.negated()) {
                return or(compare("<", tested, low), compare(">", tested, high));
            }
            return and(compare(">=", tested, low), compare("<=", tested, high));
        }
        if (expression instanceof ReferenceExpression.In in) {
            Object tested = value(in.value(), message);
            if (tested != null && !(tested instanceof String)) {
                // IN is defined for String or NULL values only: anything else is outside its domain.
                return null;
            }
            Boolean any = false;
            for (String candidate : in.candidates()) {
                any = or(any, compare("=", tested, candidate));
            }
            return in.negated() ? not(any) : any;
        }
        if (expression instanceof ReferenceExpression.Like like) {
            Object tested = value(like.value(), message);
            if (!(tested instanceof String)) {
                return null;
            }
            boolean matches = likeRegex(like.pattern(), like.escape()).matcher((String) tested).matches();
            return matches != like.negated();
        }
        ReferenceExpression.IsNull isNull = (ReferenceExpression.IsNull) expression;
        return (value(isNull.value(), message) == null) != isNull.negated();
    }

    private static Object identifier(String name, MessageRecord message) {
        switch (name) {
            case "JMSDeliveryMode":
                return message.persistent() ? "PERSISTENT" : "NON_PERSISTENT";
            case "JMSPriority":
                return message.priority();
            case "JMSMessageID":
                return message.messageId();
            case "JMSTimestamp":
                return message.timestamp();
            case "JMSCorrelationID":
                return message.correlationId();
            case "JMSType":
                return message.type();
            default:
                return message.properties().get(name);
        }
    }

    private static boolean isIntegral(Object value) {
        return value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long;
    }

    private static boolean isNumber(Object value) {
        return isIntegral(value) || value instanceof Float || value instanceof Double;
    }

    private static Object arithmetic(char operator, Object left, Object right) {
        if (!isNumber(left) || !isNumber(right)) {
            return null;
        }
        if (isIntegral(left) && isIntegral(right)) {
            long x = ((Number) left).longValue();
            long y = ((Number) right).longValue();
            switch (operator) {
                case '+':
                    return x + y;
                case '-':
                    return x - y;
                case '*':
                    return x * y;
                default:
                    return y == 0 ? null : x / y;
            }
        }
        double x = ((Number) left).doubleValue();
        double y = ((Number) right).doubleValue();
        switch (operator) {
            case '+':
                return x + y;
            case '-':
                return x - y;
            case '*':
                return x * y;
            default:
                return x / y;
        }
    }

    private static Boolean compare(String operator, Object left, Object right) {
        if (left == null || right == null) {
            return null;
        }
        if (isNumber(left) && isNumber(right)) {
            if (isIntegral(left) && isIntegral(right)) {
                int order = Long.compare(((Number) left).longValue(), ((Number) right).longValue());
                return orderSatisfies(operator, order);
            }
            double x = ((Number) left).doubleValue();
            double y = ((Number) right).doubleValue();
            if (Double.isNaN(x) || Double.isNaN(y)) {
                return operator.equals("<>");
            }
            return orderSatisfies(operator, x < y ? -1 : x > y ? 1 : 0);
        }
        boolean bothStrings = left instanceof String && right instanceof String;
        boolean bothBooleans = left instanceof Boolean && right instanceof Boolean;
        if (!bothStrings && !bothBooleans) {
            return false;
        }
        if (operator.equals("=")) {
            return left.equals(right);
        }
        if (operator.equals("<>")) {
            return !left.equals(right);
        }
        return null;
    }

    private static boolean orderSatisfies(String operator, int order) {
        switch (operator) {
            case "=":
                return order == 0;
            case "<>":
                return order != 0;
            case "<":
                return order < 0;
            case "<=":
                return order <= 0;
            case ">":
                return order > 0;
            default:
                return order >= 0;
        }
    }

    private static Boolean and(Boolean left, Boolean right) {
        if (Boolean.FALSE.equals(left) || Boolean.FALSE.equals(right)) {
            return false;
        }
        return left == null || right == null ? null : true;
    }

    private static Boolean or(Boolean left, Boolean right) {
        if (Boolean.TRUE.equals(left) || Boolean.TRUE.equals(right)) {
            return true;
        }
        return left == null || right == null ? null : false;
    }

    private static Boolean not(Boolean value) {
        return value == null ? null : !value;
    }

    private static Pattern likeRegex(String pattern, Character escape) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (escape != null && c == escape) {
                i++;
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(i))));
            } else if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
