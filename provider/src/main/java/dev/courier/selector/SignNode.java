package dev.courier.selector;

import dev.courier.message.MessageRecord;

/**
 * Unary {@code -operand} or {@code +operand} on something that is only numeric at run time (a
 * property or an expression); a non-numeric value gives NULL. Signs on literals are folded by the
 * parser instead.
 */
final class SignNode extends Node {

    private final Node operand;
    private final boolean negate;

    SignNode(Node operand, boolean negate) {
        this.operand = operand;
        this.negate = negate;
    }

    @Override
    Object value(MessageRecord message) {
        Object value = operand.value(message);
        if (NumericValues.isExact(value)) {
            long exact = NumericValues.longValue(value);
            return negate ? -exact : exact;
        }
        if (NumericValues.isApproximate(value)) {
            double approximate = NumericValues.doubleValue(value);
            return negate ? -approximate : approximate;
        }
        return null;
    }
}
