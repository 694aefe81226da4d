package dev.courier.jms.message;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The value types of the JMS conversion tables (spec 3.5.4 and 3.11.3), each with a sample
 * value, and the table itself written out as the spec prints it, independent of the code under test.
 */
enum ValueKind {
    BOOLEAN(true),
    BYTE((byte) 1),
    SHORT((short) 2),
    CHAR('c'),
    INT(3),
    LONG(4L),
    FLOAT(5.5f),
    DOUBLE(6.5d),
    STRING("7"),
    BYTES(new byte[] {8, 9});

    /** Rows: written type; columns in declaration order: may it be read as that type. */
    private static final String[] TABLE = {
        //         bool byte short char int long float double String byte[]
        /* bool */ "X    .    .     .    .   .    .     .      X      .",
        /* byte */ ".    X    X     .    X   X    .     .      X      .",
        /* shrt */ ".    .    X     .    X   X    .     .      X      .",
        /* char */ ".    .    .     X    .   .    .     .      X      .",
        /* int  */ ".    .    .     .    X   X    .     .      X      .",
        /* long */ ".    .    .     .    .   X    .     .      X      .",
        /* flt  */ ".    .    .     .    .   .    X     X      X      .",
        /* dbl  */ ".    .    .     .    .   .    .     X      X      .",
        /* Str  */ "X    X    X     .    X   X    X     X      X      .",
        /* b[]  */ ".    .    .     .    .   .    .     .      .      X",
    };

    final Object sample;

    ValueKind(Object sample) {
        this.sample = sample;
    }

    Object sample() {
        return sample instanceof byte[] ? ((byte[]) sample).clone() : sample;
    }

    boolean readableAs(ValueKind read) {
        String[] cells = TABLE[ordinal()].trim().split("\\s+");
        return cells[read.ordinal()].equals("X");
    }

    /** What reading this kind's sample as {@code read} must give, for an allowed pair. */
    Object expectedAs(ValueKind read) {
        if (read == this) {
            return sample();
        }
        if (read == STRING) {
            return sample.toString();
        }
        if (this == STRING) {
            String s = (String) sample;
            switch (read) {
                case BOOLEAN: return Boolean.valueOf(s);
                case BYTE: return Byte.valueOf(s);
                case SHORT: return Short.valueOf(s);
                case INT: return Integer.valueOf(s);
                case LONG: return Long.valueOf(s);
                case FLOAT: return Float.valueOf(s);
                case DOUBLE: return Double.valueOf(s);
                default: throw new AssertionError(read);
            }
        }
        Number n = (Number) sample;
        switch (read) {
            case SHORT: return n.shortValue();
            case INT: return n.intValue();
            case LONG: return n.longValue();
            case DOUBLE: return n.doubleValue();
            default: throw new AssertionError(this + " as " + read);
        }
    }

    /** The kinds a message property can hold: no char, no byte[]. */
    static List<ValueKind> propertyKinds() {
        List<ValueKind> kinds = new ArrayList<>(Arrays.asList(values()));
        kinds.remove(CHAR);
        kinds.remove(BYTES);
        return kinds;
    }

    static Stream<Arguments> allPairs(List<ValueKind> kinds) {
        List<Arguments> pairs = new ArrayList<>();
        for (ValueKind written : kinds) {
            for (ValueKind read : kinds) {
                pairs.add(Arguments.of(written, read));
            }
        }
        return pairs.stream();
    }
}
