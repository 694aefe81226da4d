package dev.courier.message;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

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
 * the message again. Such a record's body is lazy: decoding checked the body's bytes but made
 * no Java objects of them, and {@link #body()} decodes them afresh on every call. The broker
 * never reads a body (routing and selectors read headers and properties), so a message passing
 * through it is held once, as its bytes; a caller in the broker's JVM (a {@code vm://} consumer)
 * reads the body once per received message. Not caching it keeps the record immutable with final
 * fields only (safe to share across threads without any publication care) and keeps its
 * {@link #estimatedSize} true for its whole life.
 *
 * <p>Property values are {@code Boolean, Byte, Short, Integer, Long, Float, Double} or
 * {@code String}; the map is unmodifiable. See {@link BodyType} for the body's Java type.
 */
public final class MessageRecord {

    private final String messageId;
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
    private final Map<String, Object> properties;
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
        this.properties = b.properties == null || b.properties.isEmpty()
                ? Collections.emptyMap()
                : Collections.unmodifiableMap(b.properties);
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
        b.messageId = messageId;
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
        b.properties = properties.isEmpty() ? null : new java.util.HashMap<>(properties);
        b.bodyType = bodyType;
        b.body = body();
        return b;
    }

    /** {@code JMSMessageID}, "ID:..." or null when the producer disabled message IDs. */
    public String messageId() {
        return messageId;
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

    /** Application and JMSX properties; unmodifiable. */
    public Map<String, Object> properties() {
        return properties;
    }

    public Object property(String name) {
        return properties.get(name);
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
        int size = 128 + strSize(messageId) + strSize(correlationId) + strSize(type);
        // A lazy body is not counted: its bytes are in the encoding, counted here once.
        size += encodedLength;
        if (correlationIdBytes != null) {
            size += correlationIdBytes.length;
        }
        for (Map.Entry<String, Object> e : properties.entrySet()) {
            size += 32 + strSize(e.getKey()) + valueSize(e.getValue());
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

    private static int strSize(String s) {
        return s == null ? 0 : 40 + s.length();
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
        return "MessageRecord[" + messageId + " to " + destination + ", " + bodyType + "]";
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
        private Map<String, Object> properties;
        private BodyType bodyType = BodyType.NONE;
        private Object body;
        private byte[] encoded;
        private int encodedOffset;
        private int encodedLength;
        private int bodyOffset = -1;

        private Builder() {
        }

        public Builder messageId(String v) {
            messageId = v;
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
        public Builder properties(Map<String, Object> v) {
            properties = v;
            return this;
        }

        public Builder property(String name, Object value) {
            if (properties == null) {
                properties = new java.util.HashMap<>();
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

        public MessageRecord build() {
            return new MessageRecord(this);
        }
    }
}
