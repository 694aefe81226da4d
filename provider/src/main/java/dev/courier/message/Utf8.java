package dev.courier.message;

/**
 * UTF-8 for {@link MessageCodec} that round-trips every Java string. Valid strings encode exactly
 * as standard UTF-8; an unpaired surrogate, which {@link String#getBytes} would replace with
 * '?', is kept as its 3-byte form (the generalized UTF-8 known as WTF-8), so a stored message
 * reads back identical to what was sent. Decoding is strict: malformed input is rejected with
 * {@link IllegalArgumentException}, never replaced. Stateless.
 */
final class Utf8 {

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
        int end = pos + length;
        char[] chars = new char[length];
        int n = 0;
        while (pos < end) {
            int b = buf[pos++] & 0xFF;
            if (b < 0x80) {
                chars[n++] = (char) b;
            } else if (b >= 0xC2 && b <= 0xDF) {
                chars[n++] = (char) (((b & 0x1F) << 6) | continuation(buf, pos++, end));
            } else if (b >= 0xE0 && b <= 0xEF) {
                int c = ((b & 0x0F) << 12) | (continuation(buf, pos++, end) << 6) | continuation(buf, pos++, end);
                if (c < 0x800) {
                    throw malformed();
                }
                chars[n++] = (char) c;
            } else if (b >= 0xF0 && b <= 0xF4) {
                int cp = ((b & 0x07) << 18) | (continuation(buf, pos++, end) << 12)
                        | (continuation(buf, pos++, end) << 6) | continuation(buf, pos++, end);
                if (cp < 0x10000 || cp > Character.MAX_CODE_POINT) {
                    throw malformed();
                }
                chars[n++] = Character.highSurrogate(cp);
                chars[n++] = Character.lowSurrogate(cp);
            } else {
                throw malformed();
            }
        }
        return new String(chars, 0, n);
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
