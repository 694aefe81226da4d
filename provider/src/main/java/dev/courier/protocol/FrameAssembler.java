package dev.courier.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Cuts a byte stream into frames. Bytes arrive in whatever pieces the socket gives; each call to
 * {@link #next} consumes what it can and returns one complete frame (type byte and fields, the
 * length prefix stripped) or null when it needs more.
 *
 * <p>A declared length above the maximum fails at once, before anything is allocated for it, and
 * the buffer for an accepted length grows with the bytes that really arrive (a frame that came
 * whole is allocated once, at its size): a peer that announces a large frame and sends nothing
 * costs almost nothing. Not thread-safe: one per connection, used by the thread that reads it;
 * only the limit may be changed from another thread (a server raises it when its handshake,
 * handled elsewhere, is done).
 */
public final class FrameAssembler {

    private static final int INITIAL_CAPACITY = 256;

    private final byte[] header = new byte[Frame.LENGTH_BYTES];
    private int headerFill;
    private volatile int maxFrameSize;
    private byte[] frame;
    private int frameLength = -1;
    private int frameFill;

    public FrameAssembler(int maxFrameSize) {
        setMaxFrameSize(maxFrameSize);
    }

    /**
     * Changes the limit for frames not yet started (the handshake allows less than an open link);
     * any thread may call it.
     */
    public void setMaxFrameSize(int maxFrameSize) {
        if (maxFrameSize < 1) {
            throw new IllegalArgumentException("maxFrameSize must be positive: " + maxFrameSize);
        }
        this.maxFrameSize = maxFrameSize;
    }

    /** True when no partial frame is pending (the stream ended on a frame boundary). */
    public boolean isIdle() {
        return headerFill == 0 && frameLength < 0;
    }

    /**
     * Consumes bytes of {@code src} up to the end of the next frame.
     *
     * @return the frame's bytes after the length prefix, or null once {@code src} is used up
     * @throws ProtocolException for a length that is not positive or exceeds the maximum
     */
    public byte[] next(ByteBuffer src) throws ProtocolException {
        if (frameLength < 0) {
            int length;
            if (headerFill == 0 && src.remaining() >= Frame.LENGTH_BYTES) {
                // The usual case, a whole length prefix: one read, not four; big-endian whatever
                // order the caller's buffer is set to.
                int raw = src.getInt();
                length = src.order() == ByteOrder.BIG_ENDIAN ? raw : Integer.reverseBytes(raw);
            } else {
                while (headerFill < header.length && src.hasRemaining()) {
                    header[headerFill++] = src.get();
                }
                if (headerFill < header.length) {
                    return null;
                }
                length = WireInput.getInt(header, 0);
            }
            if (length < 1) {
                throw new ProtocolException("frame length " + length + " is not positive");
            }
            if (length > maxFrameSize) {
                throw new ProtocolException(WireError.FRAME_TOO_LARGE,
                        "frame length " + length + " exceeds the maximum of " + maxFrameSize + " bytes");
            }
            frameLength = length;
            frameFill = 0;
            // Bytes that have arrived may be allocated for at once; only the rest is taken on trust.
            frame = new byte[Math.min(length, Math.max(INITIAL_CAPACITY, src.remaining()))];
        }
        int wanted = Math.min(src.remaining(), frameLength - frameFill);
        if (wanted > frame.length - frameFill) {
            int grown = (int) Math.min(frameLength, Math.max((long) frameFill + wanted, frame.length * 2L));
            frame = Arrays.copyOf(frame, grown);
        }
        src.get(frame, frameFill, wanted);
        frameFill += wanted;
        if (frameFill < frameLength) {
            return null;
        }
        byte[] complete = frame;
        frame = null;
        frameLength = -1;
        headerFill = 0;
        return complete;
    }
}
