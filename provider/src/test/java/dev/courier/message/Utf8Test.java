package dev.courier.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8Test {

    private static byte[] encode(String s) {
        byte[] out = new byte[Utf8.encodedLength(s)];
        assertEquals(out.length, Utf8.encode(s, out, 0));
        return out;
    }

    @Test
    void validStringsEncodeAsStandardUtf8() {
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = random.nextInt(20); j > 0; j--) {
                int cp = random.nextInt(4) == 0 ? 0x10000 + random.nextInt(0x100000) : random.nextInt(0xD800);
                sb.appendCodePoint(cp);
            }
            String s = sb.toString();
            byte[] bytes = encode(s);
            assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), bytes);
            assertEquals(s, Utf8.decode(bytes, 0, bytes.length));
        }
    }

    @Test
    void unpairedSurrogatesRoundTrip() {
        for (String s : new String[] {"\uD800", "a\uDC00b", "\uDBFF\uDBFF", "\uDC00\uD800", "x\uD83D", "\uD83D\uDE00\uDE00"}) {
            byte[] bytes = encode(s);
            assertEquals(s, Utf8.decode(bytes, 0, bytes.length));
        }
        MessageRecord r = MessageRecord.builder().property("p\uD800", "v\uDFFF").body(BodyType.TEXT, "\uD800").build();
        MessageRecord back = MessageCodec.decode(MessageCodec.encode(r));
        assertEquals("v\uDFFF", back.property("p\uD800"));
        assertEquals("\uD800", back.body());
    }

    @Test
    void malformedInputIsRejected() {
        byte[][] bad = {
            {(byte) 0x80}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xC1, (byte) 0xBF}, {(byte) 0xE0, (byte) 0x80, (byte) 0x80},
            {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            {(byte) 0xF8}, {(byte) 0xFF}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xC3, 0x41},
        };
        for (byte[] b : bad) {
            assertThrows(IllegalArgumentException.class, () -> Utf8.decode(b, 0, b.length));
        }
    }

    @Test
    void aNonAsciiCharOrAMalformedByteIsFoundAtEveryPositionOfAnAsciiRun() {
        // The ASCII prefix is scanned eight bytes at a time: each position of a word, and the tail.
        for (int length = 1; length <= 27; length++) {
            for (int at = 0; at < length; at++) {
                char[] chars = "abcdefghijklmnopqrstuvwxyz01".substring(0, length).toCharArray();
                chars[at] = 'é';
                String s = new String(chars);
                byte[] bytes = new byte[Utf8.encodedLength(s) + 5];
                Utf8.encode(s, bytes, 3);
                assertEquals(s, Utf8.decode(bytes, 3, bytes.length - 5));
                Utf8.check(bytes, 3, bytes.length - 5);
                assertTrue(Utf8.equals(bytes, 3, bytes.length - 5, s));
                bytes[3 + at + 1] = 'x'; // the continuation byte of é
                int start = 3;
                int n = bytes.length - 5;
                assertThrows(IllegalArgumentException.class, () -> Utf8.decode(bytes, start, n), s);
                assertThrows(IllegalArgumentException.class, () -> Utf8.check(bytes, start, n), s);
            }
        }
    }

    @Test
    void comparesEncodedBytesWithAStringWithoutDecodingAscii() {
        byte[] ascii = "property".getBytes(StandardCharsets.UTF_8);
        assertTrue(Utf8.equals(ascii, 0, ascii.length, "property"));
        assertFalse(Utf8.equals(ascii, 0, ascii.length, "propertz"));
        byte[] accented = "clé".getBytes(StandardCharsets.UTF_8);
        assertTrue(Utf8.equals(accented, 0, accented.length, "clé"));
        assertFalse(Utf8.equals(accented, 0, accented.length, "cleè"));
        byte[] sameCount = "éa".getBytes(StandardCharsets.UTF_8); // three bytes, like "abc"
        assertFalse(Utf8.equals(sameCount, 0, sameCount.length, "abc"));
    }
}
