package dev.courier.selector;

/**
 * SQL's three truth values as small ints, so boolean evaluation allocates nothing. The AND, OR and
 * NOT tables follow Jakarta Messaging 3.1 section 3.8.1.1.
 */
final class Truth {

    static final int FALSE = 0;
    static final int TRUE = 1;
    static final int UNKNOWN = 2;

    private Truth() {
    }

    static int of(boolean value) {
        return value ? TRUE : FALSE;
    }

    static int not(int truth) {
        return truth == UNKNOWN ? UNKNOWN : 1 - truth;
    }

    static int and(int left, int right) {
        if (left == FALSE || right == FALSE) {
            return FALSE;
        }
        return left == TRUE && right == TRUE ? TRUE : UNKNOWN;
    }

    static int or(int left, int right) {
        if (left == TRUE || right == TRUE) {
            return TRUE;
        }
        return left == FALSE && right == FALSE ? FALSE : UNKNOWN;
    }

    /** The value a boolean expression has when used as an operand: UNKNOWN is NULL. */
    static Boolean toValue(int truth) {
        if (truth == UNKNOWN) {
            return null;
        }
        return truth == TRUE ? Boolean.TRUE : Boolean.FALSE;
    }

    /** A value used as a condition: only a Boolean is true or false; NULL or any other type is unknown. */
    static int fromValue(Object value) {
        if (value instanceof Boolean) {
            return ((Boolean) value) ? TRUE : FALSE;
        }
        return UNKNOWN;
    }
}
