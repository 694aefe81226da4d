package dev.courier.message;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The immutable message every layer below the JMS objects passes along: headers, properties and
 * body. Once built it never changes, so one instance can be routed to many subscriptions, held
 * by the store and read by any thread without copying.
 *
 * <p>Per-delivery facts ({@code JMSRedelivered}, {@code JMSXDeliveryCount}) are not part of the
 * record: they travel beside it with each delivery.
 *
 * <p>A record decoded from a client's frame keeps the bytes it was decoded from
 * ({@link #encodedBuffer}): the broker delivers, journals and stores those instead of encoding
 * the message again. Such a record is lazy in what the broker seldom reads. Decoding checked all
 * of its bytes but made no Java objects of the body, the message ID or the properties:
 * <ul>
 *   <li>{@link #body()} decodes the body afresh on every call. The broker never reads a body, so a
 *       message passing through it is held once, as its bytes; a {@code vm://} consumer in the
 *       broker's JVM reads it once per received message;</li>
 *   <li>{@link #messageId()} and {@link #properties()} decode on first use and keep the result;</li>
 *   <li>{@link #property(String)} finds the one value in the bytes while the map is not decoded, which
 *       is how selectors and the selector index read a message on the broker.</li>
 * </ul>
 * On a TCP broker's selector thread this decoding was about a quarter of the time spent per sent
 * message (JFR, queue-np over tcp://). The caches are written once with an immutable value
 * (the message ID a String, the properties a frozen map published with a release store), so a
 * record stays safe to share across threads, and {@link #estimatedSize} counts the decoded form
 * from the start, so it stays true for the record's whole life.
 *
 * <p>Property values are {@code Boolean, Byte, Short, Integer, Long, Float, Double} or
 * {@code String}; the map is a frozen {@link PropertyMap}. See {@link BodyType} for the body's
 * Java type.
 */
public final class MessageRecord {

    private static final VarHandle PROPERTIES;

    static {
        try {
            PROPERTIES = MethodHandles.lookup().findVarHandle(MessageRecord.class, "properties", PropertyMap.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Set by the builder, or on first use from {@link #messageIdOffset} or from
     * {@link #messageIdPrefix} and {@link #messageIdNumber} (racy but idempotent: a String is immutable).
     */
    private String messageId;
    /** Where a lazy message ID's UTF-8 bytes start in {@code encoded}, or -1. */
    private final int messageIdOffset;
    private final int messageIdLength;
    /**
     * A generated message ID not yet built: the ID is the prefix followed by the number. Building
     * the string is left to whoever reads it, often nobody, rather than the sending thread.
     */
    private final String messageIdPrefix;
    private final long messageIdNumber;
    private final long timestamp;
    private final String correlationId;
    private final byte[] correlationIdBytes;
    private final Address destination;
    private final Address replyTo;
    private final boolean persistent;
    private final int priority;
    private final long expiration;
    private final long deliveryTime;
    private final String type;
    /**
     * Set by the builder, or on first use from the lazy range below. Not volatile (that would
     * cost a fence for every record built): a decoded map is stored with release and read with
     * acquire ({@link #PROPERTIES}), plain moves on x86, so a racing reader sees null or all of it.
     */
    private PropertyMap properties;
    /** Where a lazy property section's first entry starts in {@code encoded}, or -1. */
    private final int propertiesOffset;
    private final int propertyCount;
    private final int propertiesLength;
    private final BodyType bodyType;
    /** The body when it was given or decoded eagerly; null for a lazy body (see {@link #bodyOffset}). */
    private final Object body;
    /** The kept encoding: {@code encodedLength} bytes of {@code encoded} from {@code encodedOffset}. */
    private final byte[] encoded;
    private final int encodedOffset;
    private final int encodedLength;
    /** Where the body's bytes start in {@code encoded} (after the body type), or -1 for an eager body. */
    private final int bodyOffset;
    private int estimatedSize;

    private MessageRecord(Builder b) {
        this.messageId = b.messageId;
        this.messageIdOffset = b.messageIdOffset;
        this.messageIdLength = b.messageIdLength;
        this.messageIdPrefix = b.messageIdPrefix;
        this.messageIdNumber = b.messageIdNumber;
        this.timestamp = b.timestamp;
        this.correlationId = b.correlationId;
        this.correlationIdBytes = b.correlationIdBytes;
        this.destination = b.destination;
        this.replyTo = b.replyTo;
        this.persistent = b.persistent;
        this.priority = b.priority;
        this.expiration = b.expiration;
        this.deliveryTime = b.deliveryTime;
        this.type = b.type;
        this.propertiesOffset = b.propertiesOffset;
        this.propertyCount = b.propertyCount;
        this.propertiesLength = b.propertiesLength;
        if (b.propertiesOffset < 0) {
            this.properties = b.properties == null || b.properties.isEmpty()
                    ? PropertyMap.EMPTY
                    : b.properties.freeze();
        }
        this.bodyType = b.bodyType;
        this.body = b.body;
        this.encoded = b.encoded;
        this.encodedOffset = b.encodedOffset;
        this.encodedLength = b.encodedLength;
        this.bodyOffset = b.bodyOffset;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this record's values (for example to re-address a dead letter). */
    public Builder toBuilder() {
        Builder b = new Builder();
        if (messageId == null && messageIdPrefix != null) {
            b.messageId(messageIdPrefix, messageIdNumber);
        } else {
            b.messageId = messageId();
        }
        b.timestamp = timestamp;
        b.correlationId = correlationId;
        b.correlationIdBytes = correlationIdBytes;
        b.destination = destination;
        b.replyTo = replyTo;
        b.persistent = persistent;
        b.priority = priority;
        b.expiration = expiration;
        b.deliveryTime = deliveryTime;
        b.type = type;
        PropertyMap props = properties();
        b.properties = props.isEmpty() ? null : props.copy();
        b.bodyType = bodyType;
        b.body = body();
        return b;
    }

    /** {@code JMSMessageID}, "ID:..." or null when the producer disabled message IDs. */
    public String messageId() {
        String id = messageId;
        if (id == null) {
            if (messageIdOffset >= 0) {
                id = Utf8.decode(encoded, messageIdOffset, messageIdLength);
            } else if (messageIdPrefix != null) {
                id = messageIdPrefix + messageIdNumber;
            } else {
                return null;
            }
            messageId = id;
        }
        return id;
    }

    /** {@code JMSTimestamp}, or 0 when disabled. */
    public long timestamp() {
        return timestamp;
    }

    /** {@code JMSCorrelationID} as a string, or null. */
    public String correlationId() {
        return correlationId;
    }

    /** {@code JMSCorrelationID} set as bytes, or null. The caller must not modify the array. */
    public byte[] correlationIdBytes() {
        return correlationIdBytes;
    }

    public Address destination() {
        return destination;
    }

    public Address replyTo() {
        return replyTo;
    }

    public boolean persistent() {
        return persistent;
    }

    /** 0 (lowest) to 9 (highest). */
    public int priority() {
        return priority;
    }

    /** Epoch millis after which the message must not be delivered, or 0 for never. */
    public long expiration() {
        return expiration;
    }

    /** Epoch millis before which the message must not be delivered (delivery delay). */
    public long deliveryTime() {
        return deliveryTime;
    }

    /** {@code JMSType}, or null. */
    public String type() {
        return type;
    }

    /** Application and JMSX properties; frozen. */
    public PropertyMap properties() {
        PropertyMap map = (PropertyMap) PROPERTIES.getAcquire(this);
        if (map == null) {
            map = MessageCodec.decodeProperties(encoded, propertiesOffset, propertiesLength, propertyCount);
            PROPERTIES.setRelease(this, map);
        }
        return map;
    }

    /** One property's value, or null when it is not set. */
    public Object property(String name) {
        PropertyMap map = (PropertyMap) PROPERTIES.getAcquire(this);
        if (map != null) {
            return map.get(name);
        }
        return MessageCodec.findProperty(encoded, propertiesOffset, propertiesLength, propertyCount, name);
    }

    public BodyType bodyType() {
        return bodyType;
    }

    /**
     * The body in the Java type {@link BodyType} documents; never to be modified. A lazy body
     * (see the class comment) is decoded from the kept bytes on each call: callers that need it
     * twice keep what they got.
     */
    public Object body() {
        if (bodyOffset < 0) {
            return body;
        }
        return MessageCodec.decodeBody(bodyType, encoded, bodyOffset, encodedOffset + encodedLength - bodyOffset);
    }

    /** True when {@code now} is past a set expiration. */
    public boolean isExpired(long now) {
        return expiration != 0 && now >= expiration;
    }

    /**
     * A rough count of the bytes this record holds, for memory bounds and flow control.
     * Computed once, on first use; racy but idempotent.
     */
    public int estimatedSize() {
        int size = estimatedSize;
        if (size == 0) {
            size = computeSize();
            estimatedSize = size;
        }
        return size;
    }

    /**
     * The {@link MessageCodec} bytes this record was decoded from, kept when it came from a
     * client (see {@link MessageCodec#decodeKeepingEncoding}), as an array of exactly those
     * bytes, else null. The array is shared when the record owns a whole one and a copy when it
     * keeps a range of the frame it came in ({@link MessageCodec#decodeSharingEncoding}): prefer
     * {@link #encodedBuffer} to write them. Never modify the array.
     */
    public byte[] encoded() {
        if (encoded == null) {
            return null;
        }
        if (encodedOffset == 0 && encodedLength == encoded.length) {
            return encoded;
        }
        return Arrays.copyOfRange(encoded, encodedOffset, encodedOffset + encodedLength);
    }

    /**
     * The kept encoding (see {@link #encoded}) without a copy: a buffer of the caller's own whose
     * position is 0 and capacity the encoding's length, over shared bytes that must never be
     * modified; null when the record keeps none.
     */
    public ByteBuffer encodedBuffer() {
        if (encoded == null) {
            return null;
        }
        return ByteBuffer.wrap(encoded, encodedOffset, encodedLength).slice();
    }

    private int computeSize() {
        int size = 128 + strSize(correlationId) + strSize(type);
        if (messageIdOffset >= 0) {
            size += STRING_OVERHEAD + messageIdLength;
        } else if (messageIdPrefix != null) {
            size += STRING_OVERHEAD + messageIdPrefix.length() + MAX_LONG_DIGITS;
        } else {
            size += strSize(messageId);
        }
        // A lazy body is not counted: its bytes are in the encoding, counted here once.
        size += encodedLength;
        if (correlationIdBytes != null) {
            size += correlationIdBytes.length;
        }
        if (propertiesOffset >= 0) {
            // What decoding them would make: an entry, a name and a boxed value each, plus their bytes.
            size += propertyCount * (ENTRY_OVERHEAD + STRING_OVERHEAD + BOXED_VALUE) + propertiesLength;
        } else {
            PropertyMap map = properties();
            for (int i = 0; i < map.size(); i++) {
                size += ENTRY_OVERHEAD + strSize(map.name(i)) + valueSize(map.value(i));
            }
        }
        // By the body's class, not its declared type: a record whose body does not match its
        // type still gets a size, and is refused where it is encoded, with a clear error.
        if (body instanceof String) {
            size += strSize((String) body);
        } else if (body instanceof byte[]) {
            size += ((byte[]) body).length;
        } else if (body instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) body).entrySet()) {
                size += 32 + (e.getKey() instanceof String ? strSize((String) e.getKey()) : 16) + valueSize(e.getValue());
            }
        } else if (body instanceof List) {
            for (Object v : (List<?>) body) {
                size += 16 + valueSize(v);
            }
        }
        return size;
    }

    private static final int STRING_OVERHEAD = 40;
    /** Digits of the longest {@code long}, with its sign. */
    private static final int MAX_LONG_DIGITS = 20;
    private static final int ENTRY_OVERHEAD = 32;
    private static final int BOXED_VALUE = 16;

    private static int strSize(String s) {
        return s == null ? 0 : STRING_OVERHEAD + s.length();
    }

    private static int valueSize(Object v) {
        if (v instanceof String) {
            return strSize((String) v);
        }
        if (v instanceof byte[]) {
            return 16 + ((byte[]) v).length;
        }
        return 16;
    }

    @Override
    public String toString() {
        return "MessageRecord[" + messageId() + " to " + destination + ", " + bodyType + "]";
    }

    /** Builds a {@link MessageRecord}; not thread-safe, used once. */
    public static final class Builder {
        private String messageId;
        private long timestamp;
        private String correlationId;
        private byte[] correlationIdBytes;
        private Address destination;
        private Address replyTo;
        private boolean persistent = true;
        private int priority = 4;
        private long expiration;
        private long deliveryTime;
        private String type;
        private PropertyMap properties;
        private BodyType bodyType = BodyType.NONE;
        private Object body;
        private byte[] encoded;
        private int encodedOffset;
        private int encodedLength;
        private int bodyOffset = -1;
        private int messageIdOffset = -1;
        private int messageIdLength;
        private String messageIdPrefix;
        private long messageIdNumber;
        private int propertiesOffset = -1;
        private int propertyCount;
        private int propertiesLength;

        private Builder() {
        }

        public Builder messageId(String v) {
            messageId = v;
            messageIdOffset = -1;
            messageIdPrefix = null;
            return this;
        }

        /** A generated message ID, {@code prefix} followed by {@code number}, built only when read. */
        public Builder messageId(String prefix, long number) {
            messageId = null;
            messageIdOffset = -1;
            messageIdPrefix = Objects.requireNonNull(prefix, "prefix");
            messageIdNumber = number;
            return this;
        }

        public Builder timestamp(long v) {
            timestamp = v;
            return this;
        }

        public Builder correlationId(String v) {
            correlationId = v;
            correlationIdBytes = null;
            return this;
        }

        /** The builder takes ownership of the array. */
        public Builder correlationIdBytes(byte[] v) {
            correlationIdBytes = v;
            correlationId = null;
            return this;
        }

        public Builder destination(Address v) {
            destination = v;
            return this;
        }

        public Builder replyTo(Address v) {
            replyTo = v;
            return this;
        }

        public Builder persistent(boolean v) {
            persistent = v;
            return this;
        }

        public Builder priority(int v) {
            priority = v;
            return this;
        }

        public Builder expiration(long v) {
            expiration = v;
            return this;
        }

        public Builder deliveryTime(long v) {
            deliveryTime = v;
            return this;
        }

        public Builder type(String v) {
            type = v;
            return this;
        }

        /** The builder takes ownership of the map; the caller must not keep a reference. */
        /**
         * The properties; the builder takes a {@link PropertyMap} as it is (the record freezes
         * it) and copies any other map.
         */
        public Builder properties(Map<String, Object> v) {
            properties = v == null ? null : v instanceof PropertyMap p ? p : PropertyMap.copyOf(v);
            propertiesOffset = -1;
            return this;
        }

        public Builder property(String name, Object value) {
            if (propertiesOffset >= 0) {
                throw new IllegalStateException("the properties are kept encoded");
            }
            if (properties == null) {
                properties = new PropertyMap();
            } else if (properties.isFrozen()) {
                properties = properties.copy();
            }
            properties.put(name, value);
            return this;
        }

        /** The builder takes ownership of the body (see {@link BodyType} for its type). */
        public Builder body(BodyType type, Object v) {
            bodyType = type;
            body = v;
            return this;
        }

        /**
         * Only the codec sets this: {@code length} bytes of {@code array} from {@code offset} must
         * be this record's encoding exactly, and its body (already checked) starts at
         * {@code bodyOffset}; the record then decodes its body from there on demand.
         */
        Builder encoded(byte[] array, int offset, int length, int bodyOffset) {
            this.encoded = array;
            this.encodedOffset = offset;
            this.encodedLength = length;
            this.bodyOffset = bodyOffset;
            this.body = null;
            return this;
        }

        /**
         * Only the codec sets this: the message ID is the {@code length} UTF-8 bytes (already
         * checked) at {@code offset} of the array {@link #encoded} is given, decoded on first use.
         */
        Builder lazyMessageId(int offset, int length) {
            messageId = null;
            messageIdOffset = offset;
            messageIdLength = length;
            messageIdPrefix = null;
            return this;
        }

        /**
         * Only the codec sets this: {@code count} properties (already checked) are encoded in the
         * {@code length} bytes at {@code offset} of the array {@link #encoded} is given.
         */
        Builder lazyProperties(int offset, int length, int count) {
            properties = null;
            propertiesOffset = offset;
            propertiesLength = length;
            propertyCount = count;
            return this;
        }

        public MessageRecord build() {
            return new MessageRecord(this);
        }
    }
}
