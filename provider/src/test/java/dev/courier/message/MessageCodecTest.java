package dev.courier.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

    static MessageRecord full() {
        Map<String, Object> props = new HashMap<>();
        props.put("b", true);
        props.put("f", false);
        props.put("by", (byte) -7);
        props.put("s", (short) -300);
        props.put("i", Integer.MIN_VALUE);
        props.put("l", Long.MAX_VALUE);
        props.put("fl", 1.5f);
        props.put("d", -2.25d);
        props.put("str", "héllo ✓ 😀");
        props.put("empty", "");
        props.put("nul", null);
        return MessageRecord.builder()
                .messageId("ID:abc-1")
                .timestamp(1_700_000_000_123L)
                .correlationId("corr")
                .destination(Address.of(Address.Kind.TEMPORARY_QUEUE, "tmp.q"))
                .replyTo(Address.topic("replies"))
                .persistent(false)
                .priority(9)
                .expiration(-1L)
                .deliveryTime(Long.MIN_VALUE)
                .type("kind")
                .properties(props)
                .body(BodyType.TEXT, "body text")
                .build();
    }

    static void assertSameRecord(MessageRecord a, MessageRecord b) {
        assertEquals(a.messageId(), b.messageId());
        assertEquals(a.timestamp(), b.timestamp());
        assertEquals(a.correlationId(), b.correlationId());
        assertArrayEquals(a.correlationIdBytes(), b.correlationIdBytes());
        assertEquals(a.destination(), b.destination());
        assertEquals(a.replyTo(), b.replyTo());
        assertEquals(a.persistent(), b.persistent());
        assertEquals(a.priority(), b.priority());
        assertEquals(a.expiration(), b.expiration());
        assertEquals(a.deliveryTime(), b.deliveryTime());
        assertEquals(a.type(), b.type());
        assertEquals(a.properties().keySet(), b.properties().keySet());
        for (String k : a.properties().keySet()) {
            assertValue(a.property(k), b.property(k));
        }
        assertEquals(a.bodyType(), b.bodyType());
        assertValue(a.body(), b.body());
    }

    private static void assertValue(Object expected, Object actual) {
        if (expected instanceof byte[]) {
            assertArrayEquals((byte[]) expected, (byte[]) actual);
        } else if (expected instanceof Map) {
            Map<?, ?> e = (Map<?, ?>) expected;
            Map<?, ?> a = (Map<?, ?>) actual;
            assertEquals(e.keySet(), a.keySet());
            for (Object k : e.keySet()) {
                assertValue(e.get(k), a.get(k));
            }
        } else if (expected instanceof List) {
            List<?> e = (List<?>) expected;
            List<?> a = (List<?>) actual;
            assertEquals(e.size(), a.size());
            for (int i = 0; i < e.size(); i++) {
                assertValue(e.get(i), a.get(i));
            }
        } else {
            assertEquals(expected, actual);
            if (expected != null) {
                assertEquals(expected.getClass(), actual.getClass());
            }
        }
    }

    private static MessageRecord roundTrip(MessageRecord r) {
        byte[] bytes = MessageCodec.encode(r);
        assertEquals(MessageCodec.FORMAT_VERSION, bytes[0]);
        MessageRecord back = MessageCodec.decode(bytes);
        assertSameRecord(r, back);
        return back;
    }

    static List<Object> everyValue() {
        return Arrays.asList(null, true, false, (byte) 1, (short) 2, 3, 4L, 5.5f, 6.25d, "seven",
                new byte[] {8, 9}, 'c', '\uFFFF', new byte[0], "", Double.NaN, Float.NEGATIVE_INFINITY);
    }

    @Test
    void aRecordKeepsTheBytesItWasDecodedFromCountsThemAndAChangedCopyDropsThem() {
        MessageRecord original = full();
        byte[] encoded = MessageCodec.encode(original);
        byte[] frame = new byte[encoded.length + 7];
        System.arraycopy(encoded, 0, frame, 3, encoded.length);
        MessageRecord kept = MessageCodec.decodeKeepingEncoding(frame, 3, encoded.length);
        assertSameRecord(original, kept);
        assertArrayEquals(encoded, kept.encoded());
        assertSame(kept.encoded(), MessageCodec.encode(kept), "delivered and stored from the kept bytes");
        Arrays.fill(frame, (byte) 0);
        assertArrayEquals(encoded, kept.encoded(), "a copy: the frame it came in may be reused");
        MessageRecord bodiless = MessageCodec.decode(encoded).toBuilder().body(BodyType.NONE, null).build();
        // The undecoded properties are estimated from their bytes, close to what decoding makes.
        assertEquals(bodiless.estimatedSize() + encoded.length, kept.estimatedSize(), 32,
                "memory bounds count the kept bytes, the lazy body among them, once");
        MessageRecord changed = kept.toBuilder().priority(1).build();
        assertNull(changed.encoded(), "a changed record must be encoded again");
        assertEquals(1, MessageCodec.decode(MessageCodec.encode(changed)).priority());
        assertNull(MessageCodec.decode(encoded).encoded(), "plain decode keeps nothing");
    }

    @Test
    void encodingAfterHeadroomLeavesItZeroAndWritesTheSameBytesForAFreshAndAKeptRecord() {
        byte[] encoded = MessageCodec.encode(full());
        MessageRecord kept = MessageCodec.decodeSharingEncoding(encoded, 0, encoded.length);
        for (MessageRecord r : List.of(full(), kept)) {
            byte[] framed = MessageCodec.encodeAfter(r, 17);
            assertArrayEquals(new byte[17], Arrays.copyOf(framed, 17));
            assertArrayEquals(encoded, Arrays.copyOfRange(framed, 17, framed.length));
        }
    }

    @Test
    void roundTripsEveryHeaderAndPropertyType() {
        roundTrip(full());
    }

    @Test
    void roundTripsAMinimalRecord() {
        MessageRecord back = roundTrip(MessageRecord.builder().build());
        assertNull(back.messageId());
        assertNull(back.destination());
        assertTrue(back.properties().isEmpty());
    }

    @Test
    void roundTripsCorrelationIdBytes() {
        roundTrip(full().toBuilder().correlationIdBytes(new byte[] {0, -1, 127}).build());
    }

    @Test
    void roundTripsEveryAddressKind() {
        for (Address.Kind kind : Address.Kind.values()) {
            roundTrip(full().toBuilder().destination(Address.of(kind, "n-" + kind)).replyTo(null).build());
        }
    }

    @Test
    void roundTripsEveryBodyKind() {
        Map<String, Object> map = new LinkedHashMap<>();
        List<Object> values = everyValue();
        for (int i = 0; i < values.size(); i++) {
            map.put("k" + i, values.get(i));
        }
        List<Object> stream = new ArrayList<>(values);
        Object[][] bodies = {
            {BodyType.NONE, null},
            {BodyType.TEXT, null},
            {BodyType.TEXT, ""},
            {BodyType.TEXT, "x".repeat(1000)},
            {BodyType.BYTES, new byte[0]},
            {BodyType.BYTES, new byte[] {1, 2, 3, -128}},
            {BodyType.MAP, map},
            {BodyType.MAP, Map.of()},
            {BodyType.STREAM, stream},
            {BodyType.STREAM, List.of()},
            {BodyType.OBJECT, null},
            {BodyType.OBJECT, new byte[] {(byte) 0xAC, (byte) 0xED, 0, 5}},
        };
        for (Object[] body : bodies) {
            MessageRecord back = roundTrip(full().toBuilder().body((BodyType) body[0], body[1]).build());
            if (back.body() instanceof Map) {
                assertThrows(UnsupportedOperationException.class, () -> mapOf(back).put("x", 1));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapOf(MessageRecord r) {
        return (Map<String, Object>) r.body();
    }

    @Test
    void decodesASliceAndAByteBuffer() {
        byte[] bytes = MessageCodec.encode(full());
        byte[] padded = new byte[bytes.length + 10];
        System.arraycopy(bytes, 0, padded, 3, bytes.length);
        assertSameRecord(full(), MessageCodec.decode(padded, 3, bytes.length));

        ByteBuffer heap = ByteBuffer.wrap(padded, 3, bytes.length).slice();
        assertSameRecord(full(), MessageCodec.decode(heap));
        assertEquals(heap.limit(), heap.position());

        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length);
        direct.put(bytes).flip();
        assertSameRecord(full(), MessageCodec.decode(direct));
    }

    @Test
    void refusesAnUnknownVersion() {
        byte[] bytes = MessageCodec.encode(full());
        bytes[0] = 2;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MessageCodec.decode(bytes));
        assertTrue(e.getMessage().contains("version 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MessageCodec.decode(new byte[0]));
    }

    @Test
    void refusesTrailingBytes() {
        byte[] bytes = MessageCodec.encode(full());
        assertThrows(IllegalArgumentException.class, () -> MessageCodec.decode(Arrays.copyOf(bytes, bytes.length + 1)));
    }

    @Test
    void refusesValuesThatAreNotJmsTypes() {
        MessageRecord bad = MessageRecord.builder().property("x", new Object()).build();
        assertThrows(IllegalArgumentException.class, () -> MessageCodec.encode(bad));
        MessageRecord wrongBody = MessageRecord.builder().body(BodyType.BYTES, "not bytes").build();
        assertThrows(IllegalArgumentException.class, () -> MessageCodec.encode(wrongBody));
    }

    @Test
    void truncatedInputAtEveryOffsetThrowsIllegalArgument() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("a", new byte[] {1, 2});
        map.put("c", 'z');
        for (Object[] body : new Object[][] {{BodyType.MAP, map}, {BodyType.STREAM, everyValue()},
                {BodyType.TEXT, "text"}, {BodyType.OBJECT, new byte[] {1}}, {BodyType.BYTES, new byte[] {1}}}) {
            MessageRecord r = full().toBuilder().correlationIdBytes(new byte[] {1, 2})
                    .body((BodyType) body[0], body[1]).build();
            byte[] bytes = MessageCodec.encode(r);
            for (int len = 0; len < bytes.length; len++) {
                int n = len;
                assertThrows(IllegalArgumentException.class, () -> MessageCodec.decode(bytes, 0, n),
                        "length " + n + " of " + bytes.length);
            }
        }
    }

    @Test
    void hugeBogusLengthsFailWithoutAllocating() {
        byte[] bytes = {1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07};
        assertThrows(IllegalArgumentException.class, () -> MessageCodec.decode(bytes));
        byte[] count = MessageCodec.encode(MessageRecord.builder().body(BodyType.STREAM, List.of()).build());
        byte[] bogus = Arrays.copyOf(count, count.length + 4);
        bogus[count.length - 1] = (byte) 0xFF;
        bogus[count.length] = (byte) 0xFF;
        bogus[count.length + 1] = (byte) 0xFF;
        bogus[count.length + 2] = (byte) 0x7F;
        assertThrows(IllegalArgumentException.class, () -> MessageCodec.decode(bogus));
    }

    @Test
    void randomAndMutatedInputOnlyEverThrowsIllegalArgument() {
        Random random = new Random(42);
        byte[] valid = MessageCodec.encode(full().toBuilder().body(BodyType.STREAM, everyValue()).build());
        for (int i = 0; i < 20_000; i++) {
            byte[] input;
            if (i % 2 == 0) {
                input = new byte[random.nextInt(64)];
                random.nextBytes(input);
                if (input.length > 0) {
                    input[0] = 1;
                }
            } else {
                input = valid.clone();
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    input[random.nextInt(input.length)] = (byte) random.nextInt(256);
                }
            }
            try {
                MessageCodec.decode(input);
            } catch (IllegalArgumentException expected) {
                // the only failure decoding may report
            } catch (RuntimeException | Error e) {
                fail("input " + Arrays.toString(input) + " threw " + e, e);
            }
        }
    }
}
