package dev.courier.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.message.Address;
import dev.courier.message.BodyType;
import dev.courier.message.MessageRecord;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FrameCodecTest {

    private static MessageRecord record(String text) {
        return MessageRecord.builder()
                .messageId("ID:test-" + text)
                .timestamp(1_700_000_000_000L)
                .destination(Address.queue("orders"))
                .replyTo(Address.of(Address.Kind.TEMPORARY_TOPIC, "tmp"))
                .priority(7)
                .property("region", "EU")
                .property("n", 42)
                .body(BodyType.TEXT, text)
                .build();
    }

    /** One of every frame type, with values at the edges. */
    static Stream<Frame> everyFrame() {
        return Stream.of(
                new Frame.Hello(Frame.MAGIC, Frame.VERSION, "user ✓", null, 2000),
                Frame.Heartbeat.INSTANCE,
                new Frame.Welcome(Frame.VERSION, Long.MAX_VALUE, 100, Frame.DEFAULT_MAX_FRAME_SIZE),
                new Frame.Error(WireError.FRAME_TOO_LARGE, "too big"),
                new Frame.SetClientId(1, "client-1"),
                new Frame.Send(2, record("hello")),
                new Frame.Commit(3, List.of(record("a"), record("b")), new long[] {5, Long.MIN_VALUE}),
                new Frame.Commit(4, List.of(), new long[0]),
                new Frame.OpenConsumer(5, 77, Address.topic("prices"), "region = 'EU'", true, "sub", true, false, 1000),
                new Frame.OpenConsumer(6, 78, null, null, false, null, false, true, 0),
                new Frame.CloseConsumer(7, 77),
                new Frame.AddCredit(8, 77, Integer.MAX_VALUE),
                new Frame.RevokeCredit(9, 77),
                new Frame.Acknowledge(10, new long[] {1, 2, 3}),
                new Frame.Release(11, new long[] {4}, true),
                new Frame.Browse(12, Address.queue("q"), null),
                new Frame.CreateTemporary(13, Address.Kind.TEMPORARY_QUEUE),
                new Frame.DeleteTemporary(14, Address.of(Address.Kind.TEMPORARY_TOPIC, "t")),
                new Frame.Unsubscribe(15, "durable-1"),
                new Frame.Close(16),
                new Frame.QueueStats(20),
                new Frame.StopWaiting(0),
                new Frame.QueueStatsAnswer(21, List.of(new Frame.QueueInfo("orders", 3, 1, 2, 10, 7, 0, 4096, 5))),
                new Frame.QueueStatsAnswer(22, List.of()),
                new Frame.Ok(-1),
                new Frame.Failed(17, WireError.INVALID_SELECTOR, "bad selector"),
                new Frame.BrowseChunk(18, false, List.of(record("x"))),
                new Frame.BrowseChunk(18, true, List.of()),
                new Frame.TemporaryCreated(19, Address.of(Address.Kind.TEMPORARY_QUEUE, "temp-queue-1")),
                new Frame.TemporaryDeleted(Address.of(Address.Kind.TEMPORARY_TOPIC, "temp-topic-2")),
                new Frame.Delivery(77, 123, 2, Long.MAX_VALUE, record("delivered")));
    }

    @ParameterizedTest
    @MethodSource("everyFrame")
    void everyFrameTypeRoundTrips(Frame frame) throws Exception {
        byte[] encoded = FrameCodec.encode(frame);
        assertEquals(encoded.length - Frame.LENGTH_BYTES, WireInput.getInt(encoded, 0), "length prefix");
        assertEquals(frame.type(), encoded[Frame.LENGTH_BYTES] & 0xFF, "type byte");
        Frame decoded = FrameCodec.decodeWhole(encoded);
        assertEquals(frame.getClass(), decoded.getClass());
        assertArrayEquals(encoded, FrameCodec.encode(decoded), "decoding then encoding gives the same bytes");
        if (!(frame instanceof Frame.Send || frame instanceof Frame.Commit || frame instanceof Frame.BrowseChunk
                || frame instanceof Frame.Delivery || frame instanceof Frame.Acknowledge || frame instanceof Frame.Release)) {
            assertEquals(frame, decoded, "records without arrays or messages compare by value");
        }
    }

    @Test
    void deliveryCarriesTheRecord() throws Exception {
        Frame.Delivery d = (Frame.Delivery) FrameCodec.decodeWhole(
                FrameCodec.encode(new Frame.Delivery(1, 2, 3, 4, record("payload"))));
        assertEquals("payload", d.record().body());
        assertEquals("EU", d.record().property("region"));
        assertEquals(Address.queue("orders"), d.record().destination());
        assertEquals(3, d.deliveryCount());
    }

    @Test
    void preEncodedDeliveryMatchesTheRegularEncoding() {
        MessageRecord r = record("same");
        assertArrayEquals(FrameCodec.encode(new Frame.Delivery(1, 2, 3, 4, r)),
                FrameCodec.encodeDelivery(1, 2, 3, 4, dev.courier.message.MessageCodec.encode(r)));
    }

    @Test
    void aSentMessageKeepsTheBytesItCameInAndADeliveredOneDoesNot() throws ProtocolException {
        MessageRecord r = record("sent");
        byte[] expected = dev.courier.message.MessageCodec.encode(r);
        byte[] send = FrameCodec.encode(new Frame.Send(9, r));
        Frame.Send decoded = (Frame.Send) FrameCodec.decodeWhole(send);
        assertArrayEquals(expected, decoded.record().encoded());
        assertArrayEquals(expected, dev.courier.message.MessageCodec.encode(decoded.record()));
        assertSame(send, decoded.record().encodedBuffer().array(), "a Send's record keeps its frame, uncopied");
        byte[] commit = FrameCodec.encode(new Frame.Commit(3, List.of(r), new long[0]));
        Frame.Commit c = (Frame.Commit) FrameCodec.decodeWhole(commit);
        assertArrayEquals(expected, c.sends().get(0).encoded());
        assertNotSame(commit, c.sends().get(0).encodedBuffer().array(), "one of many records keeps a copy of its own");
        byte[] delivery = FrameCodec.encode(new Frame.Delivery(1, 2, 3, 4, r));
        Frame.Delivery d = (Frame.Delivery) FrameCodec.decodeWhole(delivery);
        assertNull(d.record().encoded(), "a client does not keep what it only reads");
    }

    @Test
    void aDeliveryHeaderFollowedByTheRecordIsTheWholeDeliveryFrame() {
        MessageRecord r = record("written from a shared encoding");
        byte[] encoded = dev.courier.message.MessageCodec.encode(r);
        byte[] header = FrameCodec.encodeDeliveryHeader(5, 6, 7, 8, encoded.length);
        byte[] joined = Arrays.copyOf(header, header.length + encoded.length);
        System.arraycopy(encoded, 0, joined, header.length, encoded.length);
        assertArrayEquals(FrameCodec.encode(new Frame.Delivery(5, 6, 7, 8, r)), joined);
    }

    @ParameterizedTest
    @MethodSource("everyFrame")
    void everyTruncationIsAProtocolError(Frame frame) {
        byte[] encoded = FrameCodec.encode(frame);
        int length = encoded.length - Frame.LENGTH_BYTES;
        for (int cut = 0; cut < length; cut++) {
            int n = cut;
            ProtocolException e = assertThrows(ProtocolException.class,
                    () -> FrameCodec.decode(encoded, Frame.LENGTH_BYTES, n), "cut at " + n);
            assertEquals(WireError.PROTOCOL, e.error());
        }
    }

    @Test
    void trailingBytesAreAProtocolError() {
        byte[] encoded = FrameCodec.encode(new Frame.Ok(1));
        byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> FrameCodec.decode(longer, Frame.LENGTH_BYTES, longer.length - Frame.LENGTH_BYTES));
        assertTrue(e.getMessage().contains("after the end"), e.getMessage());
    }

    @Test
    void unknownTypeIsAProtocolError() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> FrameCodec.decode(new byte[] {(byte) 200}, 0, 1));
        assertTrue(e.getMessage().contains("unknown frame type 200"), e.getMessage());
    }

    @Test
    void hugeCountsAreRefusedBeforeAllocating() {
        // An acknowledge claiming Integer.MAX_VALUE ids in a 13-byte body.
        byte[] body = {Frame.Acknowledge.TYPE, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        ProtocolException e = assertThrows(ProtocolException.class, () -> FrameCodec.decode(body, 0, body.length));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
    }

    @Test
    void badEnumsAndBooleansAreProtocolErrors() {
        byte[] temp = {Frame.CreateTemporary.TYPE, 0, 0, 0, 0, 0, 0, 0, 1, 0};
        assertThrows(ProtocolException.class, () -> FrameCodec.decode(temp, 0, temp.length), "QUEUE is not temporary");
        byte[] release = FrameCodec.encode(new Frame.Release(1, new long[0], true));
        release[release.length - 1] = 7;
        assertThrows(ProtocolException.class, () -> FrameCodec.decodeWhole(release));
        byte[] corruptRecord = FrameCodec.encode(new Frame.Send(1, record("x")));
        corruptRecord[Frame.LENGTH_BYTES + 1 + 8 + 4] = 99;
        ProtocolException e = assertThrows(ProtocolException.class, () -> FrameCodec.decodeWhole(corruptRecord));
        assertTrue(e.getMessage().contains("message"), e.getMessage());
    }

    @Test
    void unknownErrorCodesDecodeAsGeneral() {
        assertEquals(WireError.GENERAL, WireError.of(250));
        for (WireError error : WireError.values()) {
            assertEquals(error, WireError.of(error.code()));
        }
    }

    /** Random mutations of valid frames: decoding either succeeds or fails with a ProtocolException. */
    @Test
    void mutatedFramesNeverFailOtherwise() {
        Random random = new Random(42);
        List<byte[]> frames = everyFrame().map(FrameCodec::encode).toList();
        for (int i = 0; i < 20_000; i++) {
            byte[] frame = frames.get(random.nextInt(frames.size())).clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                frame[Frame.LENGTH_BYTES + random.nextInt(frame.length - Frame.LENGTH_BYTES)] = (byte) random.nextInt(256);
            }
            try {
                Frame decoded = FrameCodec.decode(frame, Frame.LENGTH_BYTES, frame.length - Frame.LENGTH_BYTES);
                assertInstanceOf(Frame.class, decoded);
            } catch (ProtocolException expected) {
                // the mutation broke the frame, and the codec said so
            }
        }
    }
}
