package dev.courier.message;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 for {@link MessageCodec} that round-trips every Java string. Valid strings encode exactly
 * as standard UTF-8; an unpaired surrogate, which {@link String#getBytes} would replace with
 * '?', is kept as its 3-byte form (the generalized UTF-8 known as WTF-8), so a stored message
 * reads back identical to what was sent. Decoding is strict: malformed input is rejected with
 * {@link IllegalArgumentException}, never replaced. Stateless.
 */
final class Utf8 {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8() {
    }

    static int encodedLength(String s) {
        int n = s.length();
        long bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 2;
                    i++;
                } else {
                    bytes += 2;
                }
            }
        }
        if (bytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("string too long to encode: " + bytes + " bytes");
        }
        return (int) bytes;
    }

    /** Writes {@code s} at {@code pos}, which has room for {@link #encodedLength}; returns the end. */
    static int encode(String s, byte[] buf, int pos) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                buf[pos++] = (byte) c;
            } else if (c < 0x800) {
                buf[pos++] = (byte) (0xC0 | (c >> 6));
                buf[pos++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                buf[pos++] = (byte) (0xF0 | (cp >> 18));
                buf[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                buf[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buf[pos++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                buf[pos++] = (byte) (0xE0 | (c >> 12));
                buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buf[pos++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return pos;
    }

    static String decode(byte[] buf, int pos, int length) {
        int ascii = asciiPrefix(buf, pos, length);
        if (ascii == length) {
            // Most names and values are ASCII: one copy into the string's own Latin-1 array,
            // instead of a char[] and a compressing copy.
            return new String(buf, pos, length, StandardCharsets.ISO_8859_1);
        }
        char[] chars = new char[length];
        for (int i = 0; i < ascii; i++) {
            chars[i] = (char) buf[pos + i];
        }
        int n = walk(buf, pos + ascii, pos + length, chars, ascii);
        return new String(chars, 0, n);
    }

    /**
     * True when the {@code length} bytes at {@code pos} (valid UTF-8, as {@link #check} accepts)
     * decode to {@code s}, whose {@link #encodedLength} is {@code length}. ASCII compares without
     * making a string.
     */
    static boolean equals(byte[] buf, int pos, int length, String s) {
        if (length != s.length()) {
            return decode(buf, pos, length).equals(s);
        }
        for (int i = 0; i < length; i++) {
            int b = buf[pos + i];
            if (b < 0) {
                return decode(buf, pos, length).equals(s);
            }
            if (b != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Accepts exactly what {@link #decode} accepts, making nothing. */
    static void check(byte[] buf, int pos, int length) {
        int ascii = asciiPrefix(buf, pos, length);
        if (ascii < length) {
            walk(buf, pos + ascii, pos + length, null, 0);
        }
    }

    /** The count of leading ASCII bytes, found eight at a time: message IDs and names are mostly ASCII. */
    private static int asciiPrefix(byte[] buf, int pos, int length) {
        int i = 0;
        while (i <= length - Long.BYTES && ((long) LONGS.get(buf, pos + i) & HIGH_BITS) == 0) {
            i += Long.BYTES;
        }
        while (i < length && buf[pos + i] >= 0) {
            i++;
        }
        return i;
    }

    /** Decodes into {@code chars} from index {@code n} (or only checks, when it is null); returns the end index. */
    private static int walk(byte[] buf, int pos, int end, char[] chars, int n) {
        while (pos < end) {
            int b = buf[pos++] & 0xFF;
            if (b < 0x80) {
                if (chars != null) {
                    chars[n] = (char) b;
                }
                n++;
            } else if (b >= 0xC2 && b <= 0xDF) {
                int c = ((b & 0x1F) << 6) | continuation(buf, pos++, end);
                if (chars != null) {
                    chars[n] = (char) c;
                }
                n++;
            } else if (b >= 0xE0 && b <= 0xEF) {
                int c = ((b & 0x0F) << 12) | (continuation(buf, pos++, end) << 6) | continuation(buf, pos++, end);
                if (c < 0x800) {
                    throw malformed();
                }
                if (chars != null) {
                    chars[n] = (char) c;
                }
                n++;
            } else if (b >= 0xF0 && b <= 0xF4) {
                int cp = ((b & 0x07) << 18) | (continuation(buf, pos++, end) << 12)
                        | (continuation(buf, pos++, end) << 6) | continuation(buf, pos++, end);
                if (cp < 0x10000 || cp > Character.MAX_CODE_POINT) {
                    throw malformed();
                }
                if (chars != null) {
                    chars[n] = Character.highSurrogate(cp);
                    chars[n + 1] = Character.lowSurrogate(cp);
                }
                n += 2;
            } else {
                throw malformed();
            }
        }
        return n;
    }

    private static int continuation(byte[] buf, int pos, int end) {
        if (pos >= end || (buf[pos] & 0xC0) != 0x80) {
            throw malformed();
        }
        return buf[pos] & 0x3F;
    }

    private static IllegalArgumentException malformed() {
        return new IllegalArgumentException("corrupt message: malformed UTF-8 in a string");
    }
}
