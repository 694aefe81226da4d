package dev.courier.message;


/**
 * The length of {@link MessageCodec}'s encoding of a record, computed before encoding so the
 * encoder allocates its array once, at the final size, instead of an estimate it trims with a
 * copy: on a producer the encoding is the largest allocation of a send. Exact for every header,
 * property and for bytes, text, object and empty bodies (the common ones); for map and stream
 * bodies, whose elements it does not walk, the record's own estimate, which the encoder grows
 * from or trims to as before. Stateless; mirrors the writes of {@link MessageCodec} and
 * {@link CodecWriter} one for one.
 */
final class EncodedLength {

    private EncodedLength() {
    }

    /** The encoding's length, or -1 when only an estimate is known (map and stream bodies). */
    static int of(MessageRecord record) {
        long n = 1 + nullableString(record.messageId()) + varLong(record.timestamp()) + 1;
        if (record.correlationIdBytes() != null) {
            n += bytes(record.correlationIdBytes());
        } else if (record.correlationId() != null) {
            n += string(record.correlationId());
        }
        n += address(record.destination()) + address(record.replyTo()) + 2
                + varLong(record.expiration()) + varLong(record.deliveryTime()) + nullableString(record.type());
        PropertyMap properties = record.properties();
        n += varInt(properties.size());
        for (int i = 0; i < properties.size(); i++) {
            long value = value(properties.value(i));
            if (value < 0) {
                return -1;
            }
            n += string(properties.name(i)) + value;
        }
        long body = body(record.bodyType(), record.body());
        if (body < 0 || n + 1 + body > Integer.MAX_VALUE - 64) {
            return -1;
        }
        return (int) (n + 1 + body);
    }

    private static long body(BodyType type, Object body) {
        switch (type) {
            case NONE:
                return 0;
            case TEXT:
                return body instanceof String s ? 1 + string(s) : body == null ? 1 : -1;
            case BYTES:
                return body instanceof byte[] b ? bytes(b) : -1;
            case OBJECT:
                return body instanceof byte[] b ? 1 + bytes(b) : body == null ? 1 : -1;
            default:
                return -1;
        }
    }

    /** A property value's tag and bytes; -1 for a value the encoder refuses (it says why). */
    private static long value(Object v) {
        if (v == null || v instanceof Boolean) {
            return 1;
        } else if (v instanceof String s) {
            return 1 + string(s);
        } else if (v instanceof Integer || v instanceof Float) {
            return 5;
        } else if (v instanceof Long || v instanceof Double) {
            return 9;
        } else if (v instanceof Byte) {
            return 2;
        } else if (v instanceof Short || v instanceof Character) {
            return 3;
        } else if (v instanceof byte[] b) {
            return 1 + bytes(b);
        }
        return -1;
    }

    private static long address(Address address) {
        return address == null ? 1 : 1 + string(address.name());
    }

    private static long nullableString(String s) {
        if (s == null) {
            return 1;
        }
        int n = Utf8.encodedLength(s);
        return varInt(n + 1) + n;
    }

    private static long string(String s) {
        int n = Utf8.encodedLength(s);
        return varInt(n) + n;
    }

    private static long bytes(byte[] b) {
        return varInt(b.length) + b.length;
    }

    private static int varInt(int v) {
        int n = 1;
        while ((v & ~0x7F) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    private static int varLong(long v) {
        long z = (v << 1) ^ (v >> 63);
        int n = 1;
        while ((z & ~0x7FL) != 0) {
            z >>>= 7;
            n++;
        }
        return n;
    }
}
