package dev.courier.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameAssemblerTest {

    @Test
    void reassemblesFramesSplitAnywhere() throws Exception {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<byte[]> frames = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 50; i++) {
            byte[] frame = FrameCodec.encode(new Frame.Failed(i, WireError.GENERAL, "x".repeat(random.nextInt(3000))));
            frames.add(frame);
            stream.write(frame);
        }
        byte[] all = stream.toByteArray();
        FrameAssembler assembler = new FrameAssembler(Frame.DEFAULT_MAX_FRAME_SIZE);
        List<byte[]> out = new ArrayList<>();
        int pos = 0;
        while (pos < all.length) {
            int n = Math.min(all.length - pos, 1 + random.nextInt(700));
            ByteBuffer piece = ByteBuffer.wrap(all, pos, n);
            byte[] frame;
            while ((frame = assembler.next(piece)) != null) {
                out.add(frame);
            }
            pos += n;
        }
        assertTrue(assembler.isIdle());
        assertEquals(frames.size(), out.size());
        for (int i = 0; i < frames.size(); i++) {
            byte[] expected = frames.get(i);
            assertArrayEquals(java.util.Arrays.copyOfRange(expected, Frame.LENGTH_BYTES, expected.length), out.get(i));
        }
    }

    @Test
    void readsLengthPrefixesBigEndianFromADirectBufferOfEitherOrder() throws Exception {
        byte[] first = FrameCodec.encode(new Frame.Failed(1, WireError.GENERAL, "first"));
        byte[] second = FrameCodec.encode(new Frame.Failed(2, WireError.GENERAL, "x".repeat(300)));
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            ByteBuffer direct = ByteBuffer.allocateDirect(first.length + second.length).order(order);
            direct.put(first).put(second).flip();
            FrameAssembler assembler = new FrameAssembler(Frame.DEFAULT_MAX_FRAME_SIZE);
            assertArrayEquals(Arrays.copyOfRange(first, Frame.LENGTH_BYTES, first.length), assembler.next(direct));
            assertArrayEquals(Arrays.copyOfRange(second, Frame.LENGTH_BYTES, second.length), assembler.next(direct));
            assertNull(assembler.next(direct));
            assertTrue(assembler.isIdle());
        }
    }

    @Test
    void oversizedLengthFailsBeforeAllocating() {
        FrameAssembler assembler = new FrameAssembler(1024);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> assembler.next(ByteBuffer.wrap(new byte[] {0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF})));
        assertEquals(WireError.FRAME_TOO_LARGE, e.error());
        assertTrue(e.getMessage().contains("2147483647"), e.getMessage());
    }

    @Test
    void zeroAndNegativeLengthsFail() {
        assertThrows(ProtocolException.class, () -> new FrameAssembler(1024).next(ByteBuffer.wrap(new byte[] {0, 0, 0, 0})));
        assertThrows(ProtocolException.class,
                () -> new FrameAssembler(1024).next(ByteBuffer.wrap(new byte[] {(byte) 0x80, 0, 0, 0})));
    }

    @Test
    void aTruncatedFrameIsPendingNotComplete() throws Exception {
        FrameAssembler assembler = new FrameAssembler(Frame.DEFAULT_MAX_FRAME_SIZE);
        assertNull(assembler.next(ByteBuffer.wrap(new byte[] {0, 0x10, 0, 0, 1, 2, 3})));
        assertTrue(!assembler.isIdle(), "a partial frame is pending");
    }
}
