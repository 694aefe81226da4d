package dev.courier.selector;

/** The comparison operators, applied to primitives so comparing numbers allocates nothing. */
enum ComparisonOperator {
    EQUAL("=") {
        @Override
        boolean test(long left, long right) {
            return left == right;
        }

        @Override
        boolean test(double left, double right) {
            return left == right;
        }
    },
    NOT_EQUAL("<>") {
        @Override
        boolean test(long left, long right) {
            return left != right;
        }

        @Override
        boolean test(double left, double right) {
            return left != right;
        }
    },
    LESS("<") {
        @Override
        boolean test(long left, long right) {
            return left < right;
        }

        @Override
        boolean test(double left, double right) {
            return left < right;
        }
    },
    LESS_OR_EQUAL("<=") {
        @Override
        boolean test(long left, long right) {
            return left <= right;
        }

        @Override
        boolean test(double left, double right) {
            return left <= right;
        }
    },
    GREATER(">") {
        @Override
        boolean test(long left, long right) {
            return left > right;
        }

        @Override
        boolean test(double left, double right) {
            return left > right;
        }
    },
    GREATER_OR_EQUAL(">=") {
        @Override
        boolean test(long left, long right) {
            return left >= right;
        }

        @Override
        boolean test(double left, double right) {
            return left >= right;
        }
    };

    private final String symbol;

    ComparisonOperator(String symbol) {
        this.symbol = symbol;
    }

    abstract boolean test(long left, long right);

    abstract boolean test(double left, double right);

    /** The operator with its operands swapped: {@code a < b} is {@code b > a}. */
    ComparisonOperator reversed() {
        switch (this) {
            case LESS:
                return GREATER;
            case LESS_OR_EQUAL:
                return GREATER_OR_EQUAL;
            case GREATER:
                return LESS;
            case GREATER_OR_EQUAL:
                return LESS_OR_EQUAL;
            default:
                return this;
        }
    }

    /** {@link #compare(Object, Object)} for an exact left value that is never NULL, without boxing it. */
    int compare(long left, Object right) {
        if (NumericValues.isExact(right)) {
            return Truth.of(test(left, NumericValues.longValue(right)));
        }
        if (NumericValues.isApproximate(right)) {
            return Truth.of(test((double) left, NumericValues.doubleValue(right)));
        }
        return right == null ? Truth.UNKNOWN : Truth.FALSE;
    }

    /** True for = and &lt;&gt;, the only operators strings and booleans support. */
    boolean isEquality() {
        return this == EQUAL || this == NOT_EQUAL;
    }

    String symbol() {
        return symbol;
    }

    /**
     * Compares two values by the selector rules: NULL on either side is unknown; numbers compare
     * after numeric promotion (exact with exact as long, otherwise as double); strings and
     * booleans support only = and &lt;&gt;, and ordering them (only possible when a property's
     * type is known at run time) is unknown; values of unlike types compare false, as the
     * specification says.
     */
    int compare(Object left, Object right) {
        if (left == null || right == null) {
            return Truth.UNKNOWN;
        }
        // Strings first: they are what most selectors compare.
        if (left instanceof String) {
            return right instanceof String ? compareEqualityOnly(left, right) : Truth.FALSE;
        }
        if (NumericValues.isExact(left)) {
            if (NumericValues.isExact(right)) {
                return Truth.of(test(NumericValues.longValue(left), NumericValues.longValue(right)));
            }
            if (NumericValues.isApproximate(right)) {
                return Truth.of(test(NumericValues.doubleValue(left), NumericValues.doubleValue(right)));
            }
            return Truth.FALSE;
        }
        if (NumericValues.isApproximate(left)) {
            if (NumericValues.isNumeric(right)) {
                return Truth.of(test(NumericValues.doubleValue(left), NumericValues.doubleValue(right)));
            }
            return Truth.FALSE;
        }
        if (left instanceof Boolean && right instanceof Boolean) {
            return compareEqualityOnly(left, right);
        }
        return Truth.FALSE;
    }

    /** Strings and booleans: equal or not; ordering them is undefined, hence unknown. */
    private int compareEqualityOnly(Object left, Object right) {
        if (!isEquality()) {
            return Truth.UNKNOWN;
        }
        return Truth.of(left.equals(right) == (this == EQUAL));
    }
}
