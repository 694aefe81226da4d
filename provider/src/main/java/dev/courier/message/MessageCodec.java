package dev.courier.message;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A compact, versioned binary form of a {@link MessageRecord}, for the store and the wire.
 *
 * <p>Format version 1, in order: the version byte; {@code JMSMessageID} (nullable string);
 * timestamp (zig-zag varlong); correlation id (tag 0 none, 1 string, 2 bytes); destination and
 * reply-to (each a kind byte, 0 for null or kind ordinal + 1, then the name); persistent (byte);
 * priority (byte); expiration and delivery time (zig-zag varlongs); {@code JMSType} (nullable
 * string); properties (varint count, then name and typed value each); body type (byte) and body.
 * Counts and lengths are unsigned varints; a nullable string stores length + 1 with 0 for null;
 * strings are UTF-8 (an unpaired surrogate kept in its 3-byte form, so every Java string round
 * trips). A typed value is a tag byte followed by its big-endian bytes: 0 null, 1 false, 2 true,
 * 3 byte, 4 short, 5 int, 6 long, 7 float, 8 double (IEEE bits), 9 string, 10 byte array,
 * 11 char (2 bytes). The BYTES body is a byte array; TEXT and OBJECT start with a presence byte; MAP is
 * a count of name/value pairs; STREAM a count of values.
 *
 * <p>Decoding never trusts a length: every length and count is checked against the bytes left,
 * so corrupt or truncated input fails with {@link IllegalArgumentException} and never allocates
 * more than the input's size. No reflection and no Java serialization: an OBJECT body stays
 * the bytes the JMS layer produced.
 *
 * <p>Stateless and thread-safe.
 */
public final class MessageCodec {

    /** The format this class writes; the first byte of every encoding. */
    public static final int FORMAT_VERSION = 1;

    private static final int T_NULL = 0;
    private static final int T_FALSE = 1;
    private static final int T_TRUE = 2;
    private static final int T_BYTE = 3;
    private static final int T_SHORT = 4;
    private static final int T_INT = 5;
    private static final int T_LONG = 6;
    private static final int T_FLOAT = 7;
    private static final int T_DOUBLE = 8;
    private static final int T_STRING = 9;
    private static final int T_BYTES = 10;
    private static final int T_CHAR = 11;

    private static final int CORRELATION_NONE = 0;
    private static final int CORRELATION_STRING = 1;
    private static final int CORRELATION_BYTES = 2;

    private static final Address.Kind[] KINDS = Address.Kind.values();
    private static final BodyType[] BODY_TYPES = BodyType.values();

    private MessageCodec() {
    }

    /**
     * Encodes a record, or returns the bytes it was decoded from if it kept them
     * ({@link #decodeKeepingEncoding}): the array returned may be shared, and must not be modified.
     *
     * @throws IllegalArgumentException when a property, map or stream value is not of a JMS type,
     *                                  or the body does not have the Java type its {@link BodyType} names
     */
    public static byte[] encode(MessageRecord record) {
        byte[] kept = record.encoded();
        if (kept != null) {
            return kept;
        }
        return encodeFresh(record, 0);
    }

    /**
     * The encoding preceded by {@code headroom} bytes left zero, in one new array the caller
     * owns: a frame's header goes there, so the frame is built without copying the record into
     * it (see {@code FrameCodec}).
     *
     * @throws IllegalArgumentException as {@link #encode} does
     */
    public static byte[] encodeAfter(MessageRecord record, int headroom) {
        ByteBuffer kept = record.encodedBuffer();
        if (kept != null) {
            byte[] out = new byte[headroom + kept.remaining()];
            kept.get(out, headroom, kept.remaining());
            return out;
        }
        return encodeFresh(record, headroom);
    }

    private static byte[] encodeFresh(MessageRecord record, int headroom) {
        // Exact for all but map and stream bodies: one allocation, no trimming copy. For those the
        // record's estimate, which exceeds the encoding unless its text is mostly non-ASCII.
        int length = EncodedLength.of(record);
        CodecWriter out = new CodecWriter(length >= 0 ? length : record.estimatedSize(), headroom);
        out.writeByte(FORMAT_VERSION);
        out.writeNullableString(record.messageId());
        out.writeVarLong(record.timestamp());
        if (record.correlationIdBytes() != null) {
            out.writeByte(CORRELATION_BYTES);
            out.writeBytes(record.correlationIdBytes());
        } else if (record.correlationId() != null) {
            out.writeByte(CORRELATION_STRING);
            out.writeString(record.correlationId());
        } else {
            out.writeByte(CORRELATION_NONE);
        }
        writeAddress(out, record.destination());
        writeAddress(out, record.replyTo());
        out.writeByte(record.persistent() ? 1 : 0);
        out.writeByte(record.priority());
        out.writeVarLong(record.expiration());
        out.writeVarLong(record.deliveryTime());
        out.writeNullableString(record.type());
        PropertyMap properties = record.properties();
        out.writeVarInt(properties.size());
        for (int i = 0; i < properties.size(); i++) {
            out.writeString(properties.name(i));
            writeValue(out, properties.value(i));
        }
        out.writeByte(record.bodyType().ordinal());
        writeBody(out, record.bodyType(), record.body());
        return out.toByteArray();
    }

    /**
     * Decodes a whole array.
     *
     * @throws IllegalArgumentException on an unknown format version, truncated or corrupt input
     */
    public static MessageRecord decode(byte[] data) {
        return decode(data, 0, data.length);
    }

    /**
     * Decodes {@code length} bytes of {@code data} from {@code offset}; they must hold exactly
     * one encoded record.
     *
     * @throws IllegalArgumentException on an unknown format version, truncated or corrupt input
     */
    public static MessageRecord decode(byte[] data, int offset, int length) {
        return readExactly(data, offset, length).build();
    }

    /**
     * Decodes {@code length} bytes of {@code data} from {@code offset} like {@link #decode(byte[], int, int)},
     * into a record that keeps a copy of them as its {@link MessageRecord#encoded() encoding}:
     * for a message that arrived from a client, which the broker would otherwise encode again to
     * deliver, journal or store it. One copy of the bytes, so the array they came in can go.
     * The body is checked here, in full, but not decoded: the record decodes it from the kept
     * bytes when {@link MessageRecord#body()} is called (see {@link MessageRecord}).
     *
     * @throws IllegalArgumentException on an unknown format version, truncated or corrupt input
     */
    public static MessageRecord decodeKeepingEncoding(byte[] data, int offset, int length) {
        byte[] bytes = Arrays.copyOfRange(data, offset, offset + length);
        return decodeSharingEncoding(bytes, 0, length);
    }

    /**
     * Like {@link #decodeKeepingEncoding} without the copy: the record keeps the range of
     * {@code data} itself, so the array (the frame the message came in) lives as long as the
     * record and the caller must never modify it again.
     *
     * @throws IllegalArgumentException on an unknown format version, truncated or corrupt input
     */
    public static MessageRecord decodeSharingEncoding(byte[] data, int offset, int length) {
        CodecReader in = new CodecReader(data, offset, length);
        MessageRecord.Builder b = readHeaders(in, true);
        BodyType bodyType = readBodyType(in);
        int bodyOffset = in.position();
        // Checked now, on the thread that decodes the frame, so corrupt bytes fail the send
        // here and never later in body() on whichever thread reads it.
        skipBody(in, bodyType);
        expectEnd(in);
        return b.body(bodyType, null).encoded(data, offset, length, bodyOffset).build();
    }

    /** The properties {@link #decodeSharingEncoding} kept encoded (checked then), as a frozen map. */
    static PropertyMap decodeProperties(byte[] data, int offset, int length, int count) {
        if (count == 0) {
            return PropertyMap.EMPTY;
        }
        return readProperties(new CodecReader(data, offset, length), count).freeze();
    }

    /**
     * One property's value from the properties {@link #decodeSharingEncoding} kept encoded, or
     * null when it is not there; like the decoded map, the last of two equal names wins. Only the
     * value found becomes an object.
     */
    static Object findProperty(byte[] data, int offset, int length, int count, String name) {
        CodecReader in = new CodecReader(data, offset, length);
        int nameBytes = Utf8.encodedLength(name);
        int valueAt = -1;
        for (int i = 0; i < count; i++) {
            int n = in.readVarInt();
            int at = in.position();
            in.skip(n);
            if (n == nameBytes && Utf8.equals(data, at, n, name)) {
                valueAt = in.position();
            }
            skipValue(in);
        }
        if (valueAt < 0) {
            return null;
        }
        return readValue(new CodecReader(data, valueAt, offset + length - valueAt));
    }

    /** Reads a record that must fill the {@code length} bytes exactly. */
    private static MessageRecord.Builder readExactly(byte[] data, int offset, int length) {
        CodecReader in = new CodecReader(data, offset, length);
        MessageRecord.Builder b = readHeaders(in, false);
        BodyType bodyType = readBodyType(in);
        b.body(bodyType, readBody(in, bodyType));
        expectEnd(in);
        return b;
    }

    /** A lazy body (see {@link MessageRecord#body()}): bytes {@link #skipBody} already accepted. */
    static Object decodeBody(BodyType type, byte[] data, int offset, int length) {
        CodecReader in = new CodecReader(data, offset, length);
        Object body = readBody(in, type);
        expectEnd(in);
        return body;
    }

    private static void expectEnd(CodecReader in) {
        if (in.remaining() != 0) {
            throw new IllegalArgumentException("corrupt message: " + in.remaining() + " bytes after the body");
        }
    }

    /**
     * Decodes the buffer's remaining bytes, which must hold exactly one encoded record. The
     * buffer's position moves to its limit on success and is left unchanged on failure.
     *
     * @throws IllegalArgumentException on an unknown format version, truncated or corrupt input
     */
    public static MessageRecord decode(ByteBuffer buffer) {
        MessageRecord record;
        if (buffer.hasArray()) {
            record = decode(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        } else {
            byte[] copy = new byte[buffer.remaining()];
            buffer.duplicate().get(copy);
            record = decode(copy);
        }
        buffer.position(buffer.limit());
        return record;
    }

    /**
     * The headers and properties; {@code lazy} checks the message ID and the properties but
     * keeps them as ranges of the input for the record to decode on demand.
     */
    private static MessageRecord.Builder readHeaders(CodecReader in, boolean lazy) {
        if (in.remaining() == 0) {
            throw new IllegalArgumentException("empty message encoding");
        }
        int version = in.readUnsignedByte();
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("unknown message format version " + version
                    + "; this Courier reads version " + FORMAT_VERSION);
        }
        MessageRecord.Builder b = MessageRecord.builder();
        if (lazy) {
            int n = in.readVarInt();
            if (n > 0) {
                int at = in.position();
                in.skipChecked(n - 1);
                b.lazyMessageId(at, n - 1);
            }
        } else {
            b.messageId(in.readNullableString());
        }
        b.timestamp(in.readVarLong());
        int correlation = in.readUnsignedByte();
        switch (correlation) {
            case CORRELATION_NONE:
                break;
            case CORRELATION_STRING:
                b.correlationId(in.readString());
                break;
            case CORRELATION_BYTES:
                b.correlationIdBytes(in.readBytes());
                break;
            default:
                throw new IllegalArgumentException("corrupt message: correlation id tag " + correlation);
        }
        b.destination(readAddress(in));
        b.replyTo(readAddress(in));
        b.persistent(readBoolean(in, "persistent flag"));
        int priority = in.readUnsignedByte();
        if (priority > 9) {
            throw new IllegalArgumentException("corrupt message: priority " + priority);
        }
        b.priority(priority);
        b.expiration(in.readVarLong());
        b.deliveryTime(in.readVarLong());
        b.type(in.readNullableString());
        int propertyCount = in.readCount("property");
        if (lazy && propertyCount > 0) {
            int at = in.position();
            for (int i = 0; i < propertyCount; i++) {
                in.skipString();
                skipValue(in);
            }
            b.lazyProperties(at, in.position() - at, propertyCount);
        } else if (propertyCount > 0) {
            b.properties(readProperties(in, propertyCount));
        }
        return b;
    }

    private static PropertyMap readProperties(CodecReader in, int count) {
        PropertyMap properties = new PropertyMap(count);
        for (int i = 0; i < count; i++) {
            String name = in.readString();
            properties.put(name, readValue(in));
        }
        return properties;
    }

    private static BodyType readBodyType(CodecReader in) {
        int bodyOrdinal = in.readUnsignedByte();
        if (bodyOrdinal >= BODY_TYPES.length) {
            throw new IllegalArgumentException("corrupt message: body type " + bodyOrdinal);
        }
        return BODY_TYPES[bodyOrdinal];
    }

    private static int capacity(int entries) {
        return entries + entries / 3 + 1;
    }

    private static boolean readBoolean(CodecReader in, String what) {
        int v = in.readUnsignedByte();
        if (v > 1) {
            throw new IllegalArgumentException("corrupt message: " + what + " byte " + v);
        }
        return v == 1;
    }

    private static void writeAddress(CodecWriter out, Address address) {
        if (address == null) {
            out.writeByte(0);
            return;
        }
        out.writeByte(address.kind().ordinal() + 1);
        out.writeString(address.name());
    }

    private static Address readAddress(CodecReader in) {
        int kind = in.readUnsignedByte();
        if (kind == 0) {
            return null;
        }
        if (kind > KINDS.length) {
            throw new IllegalArgumentException("corrupt message: address kind " + kind);
        }
        return Address.of(KINDS[kind - 1], in.readString());
    }

    private static void writeBody(CodecWriter out, BodyType type, Object body) {
        try {
            switch (type) {
                case NONE:
                    break;
                case TEXT:
                    writePresence(out, body);
                    if (body != null) {
                        out.writeString((String) body);
                    }
                    break;
                case BYTES:
                    out.writeBytes((byte[]) body);
                    break;
                case OBJECT:
                    writePresence(out, body);
                    if (body != null) {
                        out.writeBytes((byte[]) body);
                    }
                    break;
                case MAP:
                    Map<?, ?> map = (Map<?, ?>) body;
                    out.writeVarInt(map.size());
                    for (Map.Entry<?, ?> e : map.entrySet()) {
                        out.writeString((String) e.getKey());
                        writeValue(out, e.getValue());
                    }
                    break;
                case STREAM:
                    List<?> list = (List<?>) body;
                    out.writeVarInt(list.size());
                    for (Object v : list) {
                        writeValue(out, v);
                    }
                    break;
                default:
                    throw new IllegalArgumentException("unknown body type " + type);
            }
        } catch (ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("a " + type + " body cannot be "
                    + (body == null ? "null" : "a " + body.getClass().getName()), e);
        }
    }

    private static void writePresence(CodecWriter out, Object body) {
        out.writeByte(body == null ? 0 : 1);
    }

    private static Object readBody(CodecReader in, BodyType type) {
        switch (type) {
            case NONE:
                return null;
            case TEXT:
                return readBoolean(in, "text presence") ? in.readString() : null;
            case BYTES:
                return in.readBytes();
            case OBJECT:
                return readBoolean(in, "object presence") ? in.readBytes() : null;
            case MAP:
                int entries = in.readCount("map entry");
                Map<String, Object> map = new LinkedHashMap<>(capacity(entries));
                for (int i = 0; i < entries; i++) {
                    String name = in.readString();
                    map.put(name, readValue(in));
                }
                return Collections.unmodifiableMap(map);
            case STREAM:
                int items = in.readCount("stream item");
                List<Object> list = new ArrayList<>(items);
                for (int i = 0; i < items; i++) {
                    list.add(readValue(in));
                }
                return Collections.unmodifiableList(list);
            default:
                throw new IllegalArgumentException("unknown body type " + type);
        }
    }

    /** Checks a body as {@link #readBody} would read it, making no objects of it. */
    private static void skipBody(CodecReader in, BodyType type) {
        switch (type) {
            case NONE:
                break;
            case TEXT:
                if (readBoolean(in, "text presence")) {
                    in.skipString();
                }
                break;
            case BYTES:
                in.skipBytes();
                break;
            case OBJECT:
                if (readBoolean(in, "object presence")) {
                    in.skipBytes();
                }
                break;
            case MAP:
                int entries = in.readCount("map entry");
                for (int i = 0; i < entries; i++) {
                    in.skipString();
                    skipValue(in);
                }
                break;
            case STREAM:
                int items = in.readCount("stream item");
                for (int i = 0; i < items; i++) {
                    skipValue(in);
                }
                break;
            default:
                throw new IllegalArgumentException("unknown body type " + type);
        }
    }

    private static void skipValue(CodecReader in) {
        int tag = in.readUnsignedByte();
        switch (tag) {
            case T_NULL, T_FALSE, T_TRUE -> {
            }
            case T_BYTE -> in.skip(1);
            case T_SHORT, T_CHAR -> in.skip(2);
            case T_INT, T_FLOAT -> in.skip(4);
            case T_LONG, T_DOUBLE -> in.skip(8);
            case T_STRING -> in.skipString();
            case T_BYTES -> in.skipBytes();
            default -> throw new IllegalArgumentException("corrupt message: value tag " + tag);
        }
    }

    private static void writeValue(CodecWriter out, Object v) {
        if (v == null) {
            out.writeByte(T_NULL);
        } else if (v instanceof String) {
            out.writeByte(T_STRING);
            out.writeString((String) v);
        } else if (v instanceof Integer) {
            out.writeByte(T_INT);
            out.writeInt((Integer) v);
        } else if (v instanceof Long) {
            out.writeByte(T_LONG);
            out.writeLong((Long) v);
        } else if (v instanceof Boolean) {
            out.writeByte((Boolean) v ? T_TRUE : T_FALSE);
        } else if (v instanceof Byte) {
            out.writeByte(T_BYTE);
            out.writeByte((Byte) v);
        } else if (v instanceof Short) {
            out.writeByte(T_SHORT);
            out.writeShort((Short) v);
        } else if (v instanceof Double) {
            out.writeByte(T_DOUBLE);
            out.writeLong(Double.doubleToRawLongBits((Double) v));
        } else if (v instanceof Float) {
            out.writeByte(T_FLOAT);
            out.writeInt(Float.floatToRawIntBits((Float) v));
        } else if (v instanceof Character) {
            out.writeByte(T_CHAR);
            out.writeShort((Character) v);
        } else if (v instanceof byte[]) {
            out.writeByte(T_BYTES);
            out.writeBytes((byte[]) v);
        } else {
            throw new IllegalArgumentException("not a JMS value type: " + v.getClass().getName());
        }
    }

    private static Object readValue(CodecReader in) {
        int tag = in.readUnsignedByte();
        switch (tag) {
            case T_NULL:
                return null;
            case T_FALSE:
                return Boolean.FALSE;
            case T_TRUE:
                return Boolean.TRUE;
            case T_BYTE:
                return (byte) in.readByte();
            case T_SHORT:
                return in.readShort();
            case T_INT:
                return in.readInt();
            case T_LONG:
                return in.readLong();
            case T_FLOAT:
                return Float.intBitsToFloat(in.readInt());
            case T_DOUBLE:
                return Double.longBitsToDouble(in.readLong());
            case T_STRING:
                return in.readString();
            case T_BYTES:
                return in.readBytes();
            case T_CHAR:
                return (char) in.readShort();
            default:
                throw new IllegalArgumentException("corrupt message: value tag " + tag);
        }
    }
}
