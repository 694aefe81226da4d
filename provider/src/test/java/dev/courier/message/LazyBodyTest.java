package dev.courier.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Records decoded with their encoding kept: a body checked at decode and decoded on demand. */
class LazyBodyTest {

    private static List<MessageRecord> everyBody() {
        Map<String, Object> map = new LinkedHashMap<>();
        List<Object> values = MessageCodecTest.everyValue();
        for (int i = 0; i < values.size(); i++) {
            map.put("k" + i + "é", values.get(i));
        }
        Object[][] bodies = {
            {BodyType.NONE, null},
            {BodyType.TEXT, null},
            {BodyType.TEXT, ""},
            {BodyType.TEXT, "ascii only"},
            {BodyType.TEXT, "héllo ✓ 😀 and an unpaired \uD800 surrogate"},
            {BodyType.BYTES, new byte[0]},
            {BodyType.BYTES, new byte[] {1, 2, 3, -128}},
            {BodyType.MAP, map},
            {BodyType.MAP, Map.of()},
            {BodyType.STREAM, new ArrayList<>(values)},
            {BodyType.STREAM, List.of()},
            {BodyType.OBJECT, null},
            {BodyType.OBJECT, new byte[] {(byte) 0xAC, (byte) 0xED, 0, 5}},
        };
        List<MessageRecord> records = new ArrayList<>();
        for (Object[] body : bodies) {
            records.add(MessageCodecTest.full().toBuilder().body((BodyType) body[0], body[1]).build());
        }
        return records;
    }

    /** The encoding placed inside a larger array, as a record sits in the frame it came in. */
    private static byte[] inFrame(byte[] encoded) {
        byte[] frame = new byte[encoded.length + 20];
        Arrays.fill(frame, (byte) 0x55);
        System.arraycopy(encoded, 0, frame, 13, encoded.length);
        return frame;
    }

    @Test
    void aLazyBodyEqualsTheEagerlyDecodedOneForEveryBodyType() {
        for (MessageRecord original : everyBody()) {
            byte[] encoded = MessageCodec.encode(original);
            MessageRecord eager = MessageCodec.decode(encoded);
            MessageRecord shared = MessageCodec.decodeSharingEncoding(inFrame(encoded), 13, encoded.length);
            MessageRecord copied = MessageCodec.decodeKeepingEncoding(inFrame(encoded), 13, encoded.length);
            MessageCodecTest.assertSameRecord(original, eager);
            MessageCodecTest.assertSameRecord(eager, shared);
            MessageCodecTest.assertSameRecord(eager, copied);
            assertArrayEquals(encoded, shared.encoded());
            assertArrayEquals(encoded, MessageCodec.encode(shared), "stored from the kept bytes");
            ByteBuffer view = shared.encodedBuffer();
            assertEquals(0, view.position());
            assertEquals(encoded.length, view.capacity());
            byte[] viewed = new byte[view.remaining()];
            view.get(viewed);
            assertArrayEquals(encoded, viewed);
            if (eager.body() instanceof Map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> body = (Map<String, Object>) shared.body();
                assertThrows(UnsupportedOperationException.class, () -> body.put("x", 1));
            }
            if (eager.body() instanceof List) {
                @SuppressWarnings("unchecked")
                List<Object> body = (List<Object>) shared.body();
                assertThrows(UnsupportedOperationException.class, () -> body.add(1));
            }
        }
    }

    @Test
    void aLazyBodyIsDecodedAfreshOnEachCallSoNoCallerCanChangeAnothersCopy() {
        MessageRecord original = MessageRecord.builder().body(BodyType.BYTES, new byte[] {1, 2, 3}).build();
        byte[] encoded = MessageCodec.encode(original);
        MessageRecord lazy = MessageCodec.decodeSharingEncoding(encoded, 0, encoded.length);
        byte[] first = (byte[]) lazy.body();
        byte[] second = (byte[]) lazy.body();
        assertNotSame(first, second);
        first[0] = 99;
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) lazy.body());
    }

    @Test
    void theSizeEstimateCountsTheKeptBytesOnceNotTheBodyAgain() {
        byte[] payload = new byte[10_000];
        MessageRecord original = MessageRecord.builder().messageId("ID:x").body(BodyType.BYTES, payload).build();
        byte[] encoded = MessageCodec.encode(original);
        MessageRecord eager = MessageCodec.decode(encoded);
        MessageRecord lazy = MessageCodec.decodeSharingEncoding(inFrame(encoded), 13, encoded.length);
        assertEquals(eager.estimatedSize() - payload.length + encoded.length, lazy.estimatedSize());
        assertTrue(lazy.estimatedSize() < eager.estimatedSize() + 100, "about the eager record's size, not twice it");
    }

    @Test
    void manyThreadsReadingOneLazyBodyAllSeeTheWholeBody() throws Exception {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < 50; i++) {
            map.put("key" + i, "value " + i + " ✓");
        }
        byte[] encoded = MessageCodec.encode(MessageCodecTest.full().toBuilder().body(BodyType.MAP, map).build());
        MessageRecord shared = MessageCodec.decodeSharingEncoding(inFrame(encoded), 13, encoded.length);
        readTogether(8, reader -> {
            for (int i = 0; i < 2_000; i++) {
                assertEquals(map, shared.body());
            }
        });
    }

    /**
     * Runs {@code reader} on {@code threads} threads released together by a latch (the argument
     * is the thread's number); fails with the first reader's failure.
     */
    static void readTogether(int threads, java.util.function.IntConsumer reader) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> readers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int number = t;
                readers.add(pool.submit(() -> {
                    start.await();
                    reader.accept(number);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> r : readers) {
                r.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aMalformedBodyFailsWhenDecodedNotLaterWhenRead() {
        // "é" is C3 A9; A9 replaced by an ASCII byte is no longer UTF-8.
        byte[] text = MessageCodec.encode(MessageRecord.builder().body(BodyType.TEXT, "café").build());
        text[text.length - 1] = 'x';
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MessageCodec.decodeSharingEncoding(text, 0, text.length));
        assertTrue(e.getMessage().contains("malformed UTF-8"), e.getMessage());

        byte[] stream = MessageCodec.encode(MessageRecord.builder().body(BodyType.STREAM, List.of(7)).build());
        stream[stream.length - 5] = 42; // the int's value tag
        e = assertThrows(IllegalArgumentException.class,
                () -> MessageCodec.decodeKeepingEncoding(stream, 0, stream.length));
        assertTrue(e.getMessage().contains("value tag 42"), e.getMessage());

        byte[] bytes = MessageCodec.encode(MessageRecord.builder().body(BodyType.BYTES, new byte[] {1, 2}).build());
        e = assertThrows(IllegalArgumentException.class,
                () -> MessageCodec.decodeSharingEncoding(bytes, 0, bytes.length - 1));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void aLazyDecodeAcceptsExactlyWhatAnEagerDecodeAccepts() {
        Random random = new Random(7);
        List<byte[]> valid = new ArrayList<>();
        for (MessageRecord r : everyBody()) {
            valid.add(MessageCodec.encode(r));
        }
        for (int i = 0; i < 30_000; i++) {
            byte[] input = valid.get(random.nextInt(valid.size())).clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                // Mostly in the body, at the end, where the lazy path checks instead of decoding.
                int at = input.length - 1 - random.nextInt(Math.min(input.length, 40));
                input[at] = (byte) random.nextInt(256);
            }
            MessageRecord eager = decodeOrNull(input, false);
            MessageRecord lazy = decodeOrNull(input, true);
            if ((eager == null) != (lazy == null)) {
                fail("eager " + (eager == null ? "refused" : "accepted") + " and lazy did not: " + Arrays.toString(input));
            }
            if (lazy != null) {
                MessageCodecTest.assertSameRecord(eager, lazy);
            }
        }
    }

    /** The record {@code input} decodes to, eagerly or keeping its encoding, or null when it is refused. */
    static MessageRecord decodeOrNull(byte[] input, boolean lazy) {
        try {
            return lazy ? MessageCodec.decodeSharingEncoding(input, 0, input.length) : MessageCodec.decode(input);
        } catch (IllegalArgumentException refused) {
            return null;
        }
    }
}
