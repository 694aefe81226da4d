package dev.courier.selector;

/**
 * The binary arithmetic operators. Exact operands compute in long, anything with an approximate
 * operand in double (Java's numeric promotion, widened to the largest type so int properties do
 * not overflow at 32 bits). A NULL or non-numeric operand, or exact division by zero, gives
 * NULL (unknown) rather than an exception: a bad message must never break routing.
 */
enum ArithmeticOperator {
    ADD("+") {
        @Override
        Object apply(long left, long right) {
            return left + right;
        }

        @Override
        double apply(double left, double right) {
            return left + right;
        }
    },
    SUBTRACT("-") {
        @Override
        Object apply(long left, long right) {
            return left - right;
        }

        @Override
        double apply(double left, double right) {
            return left - right;
        }
    },
    MULTIPLY("*") {
        @Override
        Object apply(long left, long right) {
            return left * right;
        }

        @Override
        double apply(double left, double right) {
            return left * right;
        }
    },
    DIVIDE("/") {
        @Override
        Object apply(long left, long right) {
            if (right == 0) {
                return null;
            }
            return left / right;
        }

        @Override
        double apply(double left, double right) {
            return left / right;
        }
    };

    private final String symbol;

    ArithmeticOperator(String symbol) {
        this.symbol = symbol;
    }

    /** The exact result as a Long, or null when undefined (division by zero). */
    abstract Object apply(long left, long right);

    abstract double apply(double left, double right);

    String symbol() {
        return symbol;
    }

    Object apply(Object left, Object right) {
        if (!NumericValues.isNumeric(left) || !NumericValues.isNumeric(right)) {
            return null;
        }
        if (NumericValues.isExact(left) && NumericValues.isExact(right)) {
            return apply(NumericValues.longValue(left), NumericValues.longValue(right));
        }
        return apply(NumericValues.doubleValue(left), NumericValues.doubleValue(right));
    }
}
