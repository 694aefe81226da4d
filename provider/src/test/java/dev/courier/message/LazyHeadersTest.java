package dev.courier.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Records decoded with their encoding kept: the message ID and the properties decoded on demand. */
class LazyHeadersTest {

    private static Map<String, Object> namesThatLookAlike() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("ab", 1);
        props.put("ba", 2L);
        props.put("clé", "accented");
        props.put("cle", "plain");
        props.put("é", (short) 3);
        props.put("ã", (byte) 4);
        props.put("😀", 'x');
        props.put("nothing", null);
        props.put("bytes", new byte[] {5, 6});
        return props;
    }

    private static MessageRecord lazy(MessageRecord record) {
        byte[] encoded = MessageCodec.encode(record);
        byte[] frame = new byte[encoded.length + 9];
        System.arraycopy(encoded, 0, frame, 4, encoded.length);
        return MessageCodec.decodeSharingEncoding(frame, 4, encoded.length);
    }

    @Test
    void findsEachPropertyInTheBytesWithoutDecodingTheOthers() {
        MessageRecord original = MessageRecord.builder().messageId("ID:é-1").properties(namesThatLookAlike()).build();
        MessageRecord lazy = lazy(original);
        for (String name : original.properties().keySet()) {
            Object expected = original.property(name);
            Object found = lazy.property(name);
            if (expected instanceof byte[]) {
                assertTrue(Arrays.equals((byte[]) expected, (byte[]) found), name);
            } else {
                assertEquals(expected, found, name);
            }
        }
        for (String absent : List.of("a", "abc", "cl", "clf", "\u00e9\u00e9", "😁", "")) {
            assertNull(lazy.property(absent), absent);
        }
        assertEquals("ID:é-1", lazy.messageId());
        MessageCodecTest.assertSameRecord(original, lazy);
        assertEquals(original.properties().keySet(), lazy.properties().keySet());
        assertSame(lazy.properties(), lazy.properties(), "decoded once, then kept");
        assertThrows(UnsupportedOperationException.class, () -> lazy.properties().put("x", 1));
    }

    @Test
    void aRecordWithoutIdOrPropertiesStaysEmpty() {
        MessageRecord lazy = lazy(MessageRecord.builder().body(BodyType.TEXT, "t").build());
        assertNull(lazy.messageId());
        assertTrue(lazy.properties().isEmpty());
        assertNull(lazy.property("any"));
    }

    @Test
    void whenANameRepeatsTheLastValueWinsBothInTheMapAndInALookup() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("aa", 1);
        props.put("ab", 2);
        byte[] encoded = MessageCodec.encode(MessageRecord.builder().properties(props).build());
        // Only a corrupt or foreign encoder writes a name twice: rename "ab" to "aa".
        int second = indexOf(encoded, "ab".getBytes(StandardCharsets.US_ASCII));
        encoded[second + 1] = 'a';
        MessageRecord eager = MessageCodec.decode(encoded);
        assertEquals(Map.of("aa", 2), eager.properties());
        assertEquals(2, MessageCodec.decodeSharingEncoding(encoded, 0, encoded.length).property("aa"));
        assertEquals(Map.of("aa", 2), MessageCodec.decodeSharingEncoding(encoded, 0, encoded.length).properties());
    }

    @Test
    void aMalformedMessageIdOrPropertyFailsWhenDecodedNotLaterWhenRead() {
        byte[] id = MessageCodec.encode(MessageRecord.builder().messageId("ID:é").build());
        id[indexOf(id, new byte[] {(byte) 0xC3, (byte) 0xA9}) + 1] = 'x';
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MessageCodec.decodeSharingEncoding(id, 0, id.length));
        assertTrue(e.getMessage().contains("malformed UTF-8"), e.getMessage());

        byte[] name = MessageCodec.encode(MessageRecord.builder().property("clé", 1).build());
        name[indexOf(name, new byte[] {(byte) 0xC3, (byte) 0xA9}) + 1] = 'x';
        e = assertThrows(IllegalArgumentException.class, () -> MessageCodec.decodeSharingEncoding(name, 0, name.length));
        assertTrue(e.getMessage().contains("malformed UTF-8"), e.getMessage());

        byte[] value = MessageCodec.encode(MessageRecord.builder().property("k", 7).build());
        value[indexOf(value, new byte[] {'k'}) + 1] = 42; // the value's tag
        e = assertThrows(IllegalArgumentException.class, () -> MessageCodec.decodeKeepingEncoding(value, 0, value.length));
        assertTrue(e.getMessage().contains("value tag 42"), e.getMessage());
    }

    @Test
    void aLazyDecodeAcceptsExactlyWhatAnEagerDecodeAcceptsWhereverTheBytesAreDamaged() {
        Random random = new Random(11);
        List<byte[]> valid = new ArrayList<>();
        valid.add(MessageCodec.encode(MessageCodecTest.full()));
        valid.add(MessageCodec.encode(MessageRecord.builder().messageId("ID:é😀").properties(namesThatLookAlike()).build()));
        for (int i = 0; i < 30_000; i++) {
            byte[] input = valid.get(random.nextInt(valid.size())).clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                input[random.nextInt(input.length)] = (byte) random.nextInt(256);
            }
            MessageRecord eager = LazyBodyTest.decodeOrNull(input, false);
            MessageRecord lazy = LazyBodyTest.decodeOrNull(input, true);
            if ((eager == null) != (lazy == null)) {
                fail("eager " + (eager == null ? "refused" : "accepted") + " and lazy did not: " + Arrays.toString(input));
            }
            if (lazy != null) {
                for (String name : eager.properties().keySet()) {
                    Object expected = eager.property(name);
                    Object found = lazy.property(name);
                    assertTrue(expected instanceof byte[] ? Arrays.equals((byte[]) expected, (byte[]) found)
                            : Objects.equals(expected, found), name);
                }
                MessageCodecTest.assertSameRecord(eager, lazy);
            }
        }
    }

    @Test
    void theSizeEstimateOfUndecodedPropertiesIsCloseToTheDecodedOnesAndNeverChanges() {
        Map<String, Object> props = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            props.put("property" + i, i % 2 == 0 ? (Object) i : (Object) ("value " + i));
        }
        MessageRecord original = MessageRecord.builder().messageId("ID:courier-1").properties(props).build();
        byte[] encoded = MessageCodec.encode(original);
        MessageRecord lazy = MessageCodec.decodeSharingEncoding(encoded, 0, encoded.length);
        int before = lazy.estimatedSize();
        int eager = MessageCodec.decode(encoded).estimatedSize() + encoded.length;
        assertTrue(Math.abs(before - eager) < eager / 10, "lazy " + before + ", eager " + eager);
        lazy.properties();
        lazy.messageId();
        assertEquals(before, lazy.estimatedSize());
    }

    @Test
    void manyThreadsReadingOneLazyRecordAllSeeTheWholeOfIt() throws Exception {
        Map<String, Object> props = namesThatLookAlike();
        props.remove("bytes");
        for (int round = 0; round < 200; round++) {
            String id = "ID:r-" + round;
            MessageRecord shared = lazy(MessageRecord.builder().messageId(id).properties(props).build());
            LazyBodyTest.readTogether(4, reader -> {
                if (reader % 2 == 0) {
                    assertEquals(props, shared.properties());
                }
                assertEquals("plain", shared.property("cle"));
                assertEquals(props, shared.properties());
                assertEquals(id, shared.messageId());
            });
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    @Test
    void aGeneratedMessageIdIsItsPrefixAndNumberWhereverItIsRead() {
        MessageRecord generated = MessageRecord.builder().messageId("ID:courier-x-", 42).build();
        assertEquals("ID:courier-x-42", generated.messageId());
        assertEquals("ID:p-7", MessageRecord.builder().messageId("ID:p-", 7).build().toBuilder().build().messageId());
        assertEquals("ID:p-7", MessageCodec.decode(MessageCodec.encode(
                MessageRecord.builder().messageId("ID:p-", 7).build())).messageId());
        // The last ID given wins, whichever kind.
        assertEquals("ID:set", MessageRecord.builder().messageId("ID:p-", 7).messageId("ID:set").build().messageId());
        assertNull(MessageRecord.builder().messageId("ID:p-", 7).messageId(null).build().messageId());
        assertEquals("ID:p-8", MessageRecord.builder().messageId("ID:set").messageId("ID:p-", 8).build().messageId());
    }

    @Test
    void anUnbuiltGeneratedMessageIdCountsAtLeastItsLengthInTheEstimate() {
        MessageRecord built = MessageRecord.builder().messageId("ID:courier-x-" + Long.MAX_VALUE).build();
        MessageRecord unbuilt = MessageRecord.builder().messageId("ID:courier-x-", Long.MAX_VALUE).build();
        assertTrue(unbuilt.estimatedSize() >= built.estimatedSize(),
                unbuilt.estimatedSize() + " < " + built.estimatedSize());
    }
}
