package dev.courier.selector;

import dev.courier.message.MessageRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates random well-typed selectors (as {@link ReferenceExpression}s) and random messages for
 * the differential test. Properties get a random type per message, so the run-time type rules are
 * exercised along with the grammar.
 */
final class RandomSelectorGenerator {

    private static final String[] PROPERTIES = {"a", "b", "c", "d", "e", "JMSXGroupID", "JMS_x"};
    private static final String[] NUMERIC_HEADERS = {"JMSPriority", "JMSTimestamp"};
    private static final String[] STRING_HEADERS = {"JMSType", "JMSMessageID", "JMSCorrelationID", "JMSDeliveryMode"};
    private static final String[] STRINGS = {"", "a", "ab", "abc", "b", "a%c", "x_y", "5", "TRUE", "it's", "a\nb",
        "PERSISTENT", "order", "ID:1", "!", "%", "_", "aa"};
    private static final char[] PATTERN_CHARACTERS = {'a', 'b', 'c', '%', '_', '!', '\'', 'x', 'y', '5'};

    private final Random random;

    RandomSelectorGenerator(Random random) {
        this.random = random;
    }

    ReferenceExpression condition(int depth) {
        int choice = random.nextInt(depth > 0 ? 12 : 8);
        switch (choice) {
            case 0:
                return new ReferenceExpression.Comparison(pick("<", "<=", ">", ">=", "=", "<>"),
                        numeric(depth - 1), numeric(depth - 1));
            case 1:
                return new ReferenceExpression.Comparison(pick("=", "<>"),
                        anyOperand(depth - 1), anyOperand(depth - 1));
            case 2:
                return new ReferenceExpression.Between(random.nextBoolean(), numeric(depth - 1), numeric(depth - 1),
                        numeric(depth - 1));
            case 3:
                return new ReferenceExpression.In(random.nextBoolean(), stringOperand(), candidates());
            case 4:
                return like();
            case 5:
                return new ReferenceExpression.IsNull(random.nextBoolean(), anyOperand(depth - 1));
            case 6:
                return property();
            case 7:
                return random.nextBoolean() ? new ReferenceExpression.Literal(true, pick("TRUE", "true"))
                        : new ReferenceExpression.Literal(false, pick("FALSE", "False"));
            case 8:
            case 9:
                return new ReferenceExpression.Logical(choice == 8, condition(depth - 1), condition(depth - 1));
            case 10:
                return new ReferenceExpression.Not(condition(depth - 1));
            default:
                return new ReferenceExpression.Comparison(pick("=", "<>"), condition(depth - 1), condition(depth - 1));
        }
    }

    ReferenceExpression numeric(int depth) {
        int choice = random.nextInt(depth > 0 ? 7 : 4);
        switch (choice) {
            case 0:
            case 1:
                return numericLiteral();
            case 2:
                return property();
            case 3:
                return new ReferenceExpression.Identifier(pick(NUMERIC_HEADERS));
            case 4:
                return new ReferenceExpression.Sign(random.nextBoolean(), numeric(depth - 1));
            default:
                return new ReferenceExpression.Arithmetic(pickOperator('+', '-', '*', '/'),
                        numeric(depth - 1), numeric(depth - 1));
        }
    }

    private ReferenceExpression anyOperand(int depth) {
        switch (random.nextInt(5)) {
            case 0:
                return numeric(Math.max(depth, 0));
            case 1:
                return stringOperand();
            case 2:
                return random.nextBoolean() ? new ReferenceExpression.Literal(true, "TRUE")
                        : new ReferenceExpression.Literal(false, "FALSE");
            case 3:
                return depth > 0 ? condition(depth - 1) : property();
            default:
                return property();
        }
    }

    private ReferenceExpression stringOperand() {
        switch (random.nextInt(3)) {
            case 0:
                String value = pick(STRINGS);
                return new ReferenceExpression.Literal(value, ReferenceExpression.quote(value));
            case 1:
                return new ReferenceExpression.Identifier(pick(STRING_HEADERS));
            default:
                return property();
        }
    }

    private ReferenceExpression property() {
        return new ReferenceExpression.Identifier(pick(PROPERTIES));
    }

    private List<String> candidates() {
        List<String> candidates = new ArrayList<>();
        int count = 1 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            candidates.add(pick(STRINGS));
        }
        return candidates;
    }

    private ReferenceExpression like() {
        boolean escaped = random.nextInt(3) == 0;
        StringBuilder pattern = new StringBuilder();
        int length = random.nextInt(6);
        for (int i = 0; i < length; i++) {
            char c = PATTERN_CHARACTERS[random.nextInt(PATTERN_CHARACTERS.length)];
            pattern.append(c);
            if (escaped && c == '!') {
                pattern.append(PATTERN_CHARACTERS[random.nextInt(PATTERN_CHARACTERS.length)]);
            }
        }
        return new ReferenceExpression.Like(random.nextBoolean(), stringOperand(), pattern.toString(),
                escaped ? '!' : null);
    }

    private ReferenceExpression numericLiteral() {
        switch (random.nextInt(9)) {
            case 0:
                long small = random.nextInt(41) - 20;
                return new ReferenceExpression.Literal(small, Long.toString(small));
            case 1:
                long large = random.nextLong();
                return new ReferenceExpression.Literal(large, Long.toString(large) + (random.nextBoolean() ? "L" : ""));
            case 2:
                long hex = random.nextInt(300);
                return new ReferenceExpression.Literal(hex, "0x" + Long.toHexString(hex));
            case 3:
                long octal = random.nextInt(64);
                return new ReferenceExpression.Literal(octal, "0" + Long.toOctalString(octal));
            case 4:
                return new ReferenceExpression.Literal(Long.MIN_VALUE, "-9223372036854775808");
            case 5:
                float single = (random.nextInt(80) - 40) / 8.0f + (random.nextBoolean() ? 0.1f : 0f);
                return new ReferenceExpression.Literal((double) single, Float.toString(single) + "f");
            case 6:
                double exponent = Double.parseDouble((random.nextInt(9) + 1) + "e" + (random.nextInt(7) - 3));
                return new ReferenceExpression.Literal(exponent, Double.toString(exponent));
            default:
                double approximate = (random.nextInt(200) - 100) / 4.0;
                return new ReferenceExpression.Literal(approximate, Double.toString(approximate));
        }
    }

    MessageRecord message() {
        MessageRecord.Builder builder = MessageRecord.builder()
                .priority(random.nextInt(10))
                .timestamp(random.nextBoolean() ? random.nextInt(20) : random.nextLong())
                .persistent(random.nextBoolean());
        if (random.nextBoolean()) {
            builder.type(pick(STRINGS));
        }
        if (random.nextBoolean()) {
            builder.messageId(pick("ID:1", "ID:2", "abc"));
        }
        switch (random.nextInt(3)) {
            case 0:
                builder.correlationId(pick(STRINGS));
                break;
            case 1:
                builder.correlationIdBytes("abc".getBytes(StandardCharsets.UTF_8));
                break;
            default:
                break;
        }
        for (String property : PROPERTIES) {
            Object value = propertyValue();
            if (value != null) {
                builder.property(property, value);
            }
        }
        return builder.build();
    }

    private Object propertyValue() {
        switch (random.nextInt(12)) {
            case 0:
                return null;
            case 1:
            case 2:
                return random.nextInt(41) - 20;
            case 3:
                return pick(0L, 5L, Long.MAX_VALUE, Long.MIN_VALUE, 9007199254740993L, (long) random.nextInt(300));
            case 4:
                return pick(2.5, -0.0, 0.0, 3.0, Double.NaN, 1e300, Double.POSITIVE_INFINITY, 0.001,
                        (random.nextInt(200) - 100) / 4.0);
            case 5:
                return pick(1.5f, 0.1f, -2.0f, 5.1f, Float.NaN);
            case 6:
                return (short) (random.nextInt(21) - 10);
            case 7:
                return (byte) (random.nextInt(21) - 10);
            case 8:
            case 9:
                return pick(STRINGS);
            default:
                return random.nextBoolean();
        }
    }

    @SafeVarargs
    private <T> T pick(T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private char pickOperator(char... choices) {
        return choices[random.nextInt(choices.length)];
    }
}
