package dev.courier.protocol;

import dev.courier.message.Address;
import dev.courier.message.MessageCodec;
import dev.courier.message.MessageRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes {@link Frame}s to bytes and decodes them back. An encoded frame is
 * {@code int length | byte type | fields}, where {@code length} counts the type byte and the
 * fields. Decoding takes the bytes after the length prefix and checks everything: an unknown
 * type, a truncated field, a bad value or bytes left over fail with a {@link ProtocolException}.
 *
 * <p>Stateless and thread-safe; no reflection and no Java serialization.
 */
public final class FrameCodec {

    private static final Address.Kind[] KINDS = Address.Kind.values();

    private FrameCodec() {
    }

    /** The whole frame, length prefix included. */
    public static byte[] encode(Frame frame) {
        if (frame instanceof Frame.Send f) {
            return encodeSend(f);
        }
        WireOutput out = new WireOutput(initialSize(frame));
        out.writeByte(frame.type());
        if (frame instanceof Frame.Hello f) {
            out.writeInt(f.magic());
            out.writeShort(f.version());
            out.writeString(f.user());
            out.writeString(f.password());
            out.writeInt(f.heartbeatMillis());
        } else if (frame instanceof Frame.Heartbeat) {
            // no fields
        } else if (frame instanceof Frame.Welcome f) {
            out.writeShort(f.version());
            out.writeLong(f.connectionId());
            out.writeInt(f.heartbeatMillis());
            out.writeInt(f.maxFrameSize());
        } else if (frame instanceof Frame.Error f) {
            out.writeByte(f.error().code());
            out.writeString(f.message());
        } else if (frame instanceof Frame.SetClientId f) {
            out.writeLong(f.requestId());
            out.writeString(f.clientId());
        } else if (frame instanceof Frame.Commit f) {
            out.writeLong(f.requestId());
            out.writeInt(f.sends().size());
            for (MessageRecord record : f.sends()) {
                out.writeRecord(record);
            }
            out.writeLongs(f.acknowledgements());
        } else if (frame instanceof Frame.OpenConsumer f) {
            out.writeLong(f.requestId());
            out.writeLong(f.consumerId());
            out.writeAddress(f.destination());
            out.writeString(f.selector());
            out.writeBoolean(f.noLocal());
            out.writeString(f.subscriptionName());
            out.writeBoolean(f.durable());
            out.writeBoolean(f.shared());
            out.writeInt(f.credit());
        } else if (frame instanceof Frame.CloseConsumer f) {
            out.writeLong(f.requestId());
            out.writeLong(f.consumerId());
        } else if (frame instanceof Frame.AddCredit f) {
            out.writeLong(f.requestId());
            out.writeLong(f.consumerId());
            out.writeInt(f.credit());
        } else if (frame instanceof Frame.RevokeCredit f) {
            out.writeLong(f.requestId());
            out.writeLong(f.consumerId());
        } else if (frame instanceof Frame.Acknowledge f) {
            out.writeLong(f.requestId());
            out.writeLongs(f.deliveryIds());
        } else if (frame instanceof Frame.Release f) {
            out.writeLong(f.requestId());
            out.writeLongs(f.deliveryIds());
            out.writeBoolean(f.delivered());
        } else if (frame instanceof Frame.Browse f) {
            out.writeLong(f.requestId());
            out.writeAddress(f.queue());
            out.writeString(f.selector());
        } else if (frame instanceof Frame.CreateTemporary f) {
            out.writeLong(f.requestId());
            out.writeByte(f.kind().ordinal());
        } else if (frame instanceof Frame.DeleteTemporary f) {
            out.writeLong(f.requestId());
            out.writeAddress(f.address());
        } else if (frame instanceof Frame.Unsubscribe f) {
            out.writeLong(f.requestId());
            out.writeString(f.subscriptionName());
        } else if (frame instanceof Frame.Close f) {
            out.writeLong(f.requestId());
        } else if (frame instanceof Frame.StopWaiting f) {
            out.writeLong(f.requestId());
        } else if (frame instanceof Frame.QueueStats f) {
            out.writeLong(f.requestId());
        } else if (frame instanceof Frame.QueueStatsAnswer f) {
            out.writeLong(f.requestId());
            out.writeInt(f.queues().size());
            for (Frame.QueueInfo q : f.queues()) {
                out.writeString(q.name());
                out.writeInt(q.depth());
                out.writeInt(q.inFlight());
                out.writeInt(q.consumers());
                out.writeLong(q.enqueued());
                out.writeLong(q.dequeued());
                out.writeLong(q.expired());
                out.writeLong(q.memoryBytes());
                out.writeLong(q.paged());
            }
        } else if (frame instanceof Frame.Ok f) {
            out.writeLong(f.requestId());
        } else if (frame instanceof Frame.Failed f) {
            out.writeLong(f.requestId());
            out.writeByte(f.error().code());
            out.writeString(f.message());
        } else if (frame instanceof Frame.BrowseChunk f) {
            out.writeLong(f.requestId());
            out.writeBoolean(f.last());
            out.writeInt(f.records().size());
            for (MessageRecord record : f.records()) {
                out.writeRecord(record);
            }
        } else if (frame instanceof Frame.TemporaryCreated f) {
            out.writeLong(f.requestId());
            out.writeAddress(f.address());
        } else if (frame instanceof Frame.TemporaryDeleted f) {
            out.writeAddress(f.address());
        } else if (frame instanceof Frame.Delivery f) {
            writeDeliveryHeader(out, f.consumerId(), f.deliveryId(), f.deliveryCount(), f.sequence());
            out.writeRecord(f.record());
        } else {
            throw new IllegalArgumentException("no encoding for " + frame);
        }
        return out.finish();
    }

    /**
     * A {@link Frame.Delivery} whose record is already in {@code MessageCodec} form, so a record
     * delivered to many consumers is encoded once.
     */
    public static byte[] encodeDelivery(long consumerId, long deliveryId, int deliveryCount, long sequence,
            byte[] encodedRecord) {
        WireOutput out = new WireOutput(48 + encodedRecord.length);
        out.writeByte(Frame.Delivery.TYPE);
        writeDeliveryHeader(out, consumerId, deliveryId, deliveryCount, sequence);
        out.writeEncodedRecord(encodedRecord);
        return out.finish();
    }

    /**
     * The start of a {@link Frame.Delivery}, length prefix included, up to the record's bytes:
     * written followed by {@code encodedRecordLength} bytes of a {@code MessageCodec} encoding,
     * it is the same frame as {@link #encodeDelivery} builds, without copying the record.
     */
    public static byte[] encodeDeliveryHeader(long consumerId, long deliveryId, int deliveryCount, long sequence,
            int encodedRecordLength) {
        WireOutput out = new WireOutput(DELIVERY_HEADER_BYTES);
        out.writeByte(Frame.Delivery.TYPE);
        writeDeliveryHeader(out, consumerId, deliveryId, deliveryCount, sequence);
        out.writeInt(encodedRecordLength);
        byte[] header = out.finish();
        // The length prefix counts the record that follows separately.
        WireOutput.putInt(header, 0, header.length - Frame.LENGTH_BYTES + encodedRecordLength);
        return header;
    }

    /** Length prefix, type, request id, record length. */
    private static final int SEND_HEADER_BYTES = Frame.LENGTH_BYTES + 1 + 8 + 4;

    /**
     * A producer's hot path: the record is encoded after room for the header, which is then
     * filled in, so the frame is one array with no copy of the record into a frame buffer.
     */
    private static byte[] encodeSend(Frame.Send f) {
        byte[] frame = MessageCodec.encodeAfter(f.record(), SEND_HEADER_BYTES);
        WireOutput.putInt(frame, 0, frame.length - Frame.LENGTH_BYTES);
        frame[Frame.LENGTH_BYTES] = (byte) Frame.Send.TYPE;
        WireOutput.putInt(frame, Frame.LENGTH_BYTES + 1, (int) (f.requestId() >>> 32));
        WireOutput.putInt(frame, Frame.LENGTH_BYTES + 5, (int) f.requestId());
        WireOutput.putInt(frame, Frame.LENGTH_BYTES + 9, frame.length - SEND_HEADER_BYTES);
        return frame;
    }

    /** Length prefix, type, consumer id, delivery id, delivery count, sequence, record length. */
    static final int DELIVERY_HEADER_BYTES = Frame.LENGTH_BYTES + 1 + 8 + 8 + 4 + 8 + 4;

    private static void writeDeliveryHeader(WireOutput out, long consumerId, long deliveryId, int deliveryCount,
            long sequence) {
        out.writeLong(consumerId);
        out.writeLong(deliveryId);
        out.writeInt(deliveryCount);
        out.writeLong(sequence);
    }

    private static int initialSize(Frame frame) {
        if (frame instanceof Frame.Delivery) {
            return 512;
        }
        if (frame instanceof Frame.Commit || frame instanceof Frame.BrowseChunk) {
            return 4096;
        }
        return 64;
    }

    /** Decodes a whole encoded frame, length prefix included (for tests and tools). */
    public static Frame decodeWhole(byte[] frame) throws ProtocolException {
        if (frame.length < Frame.LENGTH_BYTES) {
            throw new ProtocolException("truncated frame: " + frame.length + " bytes, no length prefix");
        }
        int length = WireInput.getInt(frame, 0);
        if (length != frame.length - Frame.LENGTH_BYTES) {
            throw new ProtocolException("frame length " + length + " does not match its " + (frame.length - Frame.LENGTH_BYTES) + " bytes");
        }
        return decode(frame, Frame.LENGTH_BYTES, length);
    }

    /**
     * Decodes one frame from the {@code length} bytes after its length prefix (type byte first).
     * The record of a {@link Frame.Send} keeps its range of {@code buf} as its encoding (no copy:
     * the broker delivers and stores it from there), so {@code buf} must not be modified after.
     *
     * @throws ProtocolException on an unknown type, truncated or corrupt fields, or trailing bytes
     */
    public static Frame decode(byte[] buf, int offset, int length) throws ProtocolException {
        if (offset < 0 || length < 0 || offset > buf.length - length) {
            throw new IllegalArgumentException("offset " + offset + " and length " + length + " outside " + buf.length + " bytes");
        }
        WireInput in = new WireInput(buf, offset, length);
        int type = in.readByte("frame type");
        Frame frame = switch (type) {
            case Frame.Hello.TYPE -> new Frame.Hello(in.readInt("magic"), in.readShort("version"),
                    in.readString("user"), in.readString("password"), in.readInt("heartbeat"));
            case Frame.Heartbeat.TYPE -> Frame.Heartbeat.INSTANCE;
            case Frame.Welcome.TYPE -> new Frame.Welcome(in.readShort("version"), in.readLong("connection id"),
                    in.readInt("heartbeat"), in.readInt("max frame size"));
            case Frame.Error.TYPE -> new Frame.Error(WireError.of(in.readByte("error code")), in.readString("message"));
            case Frame.SetClientId.TYPE -> new Frame.SetClientId(in.readLong("request id"), in.readString("client id"));
            case Frame.Send.TYPE -> new Frame.Send(in.readLong("request id"), in.readRecord("message", WireInput.Keep.FRAME));
            case Frame.Commit.TYPE -> readCommit(in);
            case Frame.OpenConsumer.TYPE -> new Frame.OpenConsumer(in.readLong("request id"), in.readLong("consumer id"),
                    in.readAddress("destination"), in.readString("selector"), in.readBoolean("noLocal"),
                    in.readString("subscription name"), in.readBoolean("durable"), in.readBoolean("shared"),
                    in.readInt("credit"));
            case Frame.CloseConsumer.TYPE -> new Frame.CloseConsumer(in.readLong("request id"), in.readLong("consumer id"));
            case Frame.AddCredit.TYPE -> new Frame.AddCredit(in.readLong("request id"), in.readLong("consumer id"),
                    in.readInt("credit"));
            case Frame.RevokeCredit.TYPE -> new Frame.RevokeCredit(in.readLong("request id"), in.readLong("consumer id"));
            case Frame.Acknowledge.TYPE -> new Frame.Acknowledge(in.readLong("request id"), in.readLongs("delivery ids"));
            case Frame.Release.TYPE -> new Frame.Release(in.readLong("request id"), in.readLongs("delivery ids"),
                    in.readBoolean("delivered"));
            case Frame.Browse.TYPE -> new Frame.Browse(in.readLong("request id"), in.readAddress("queue"),
                    in.readString("selector"));
            case Frame.CreateTemporary.TYPE -> new Frame.CreateTemporary(in.readLong("request id"), readTemporaryKind(in));
            case Frame.DeleteTemporary.TYPE -> new Frame.DeleteTemporary(in.readLong("request id"), in.readAddress("address"));
            case Frame.Unsubscribe.TYPE -> new Frame.Unsubscribe(in.readLong("request id"), in.readString("subscription name"));
            case Frame.Close.TYPE -> new Frame.Close(in.readLong("request id"));
            case Frame.StopWaiting.TYPE -> new Frame.StopWaiting(in.readLong("request id"));
            case Frame.QueueStats.TYPE -> new Frame.QueueStats(in.readLong("request id"));
            case Frame.QueueStatsAnswer.TYPE -> readQueueStats(in);
            case Frame.Ok.TYPE -> new Frame.Ok(in.readLong("request id"));
            case Frame.Failed.TYPE -> new Frame.Failed(in.readLong("request id"), WireError.of(in.readByte("error code")),
                    in.readString("message"));
            case Frame.BrowseChunk.TYPE -> readBrowseChunk(in);
            case Frame.TemporaryCreated.TYPE -> new Frame.TemporaryCreated(in.readLong("request id"), in.readAddress("address"));
            case Frame.TemporaryDeleted.TYPE -> new Frame.TemporaryDeleted(in.readAddress("address"));
            case Frame.Delivery.TYPE -> new Frame.Delivery(in.readLong("consumer id"), in.readLong("delivery id"),
                    in.readInt("delivery count"), in.readLong("sequence"), in.readRecord("message", WireInput.Keep.NOTHING));
            default -> throw new ProtocolException("unknown frame type " + type);
        };
        in.expectEnd("a frame of type " + type);
        return frame;
    }

    private static Frame readCommit(WireInput in) throws ProtocolException {
        long requestId = in.readLong("request id");
        List<MessageRecord> sends = readRecords(in, WireInput.Keep.COPY);
        return new Frame.Commit(requestId, sends, in.readLongs("acknowledgements"));
    }

    private static Frame readBrowseChunk(WireInput in) throws ProtocolException {
        long requestId = in.readLong("request id");
        boolean last = in.readBoolean("last");
        return new Frame.BrowseChunk(requestId, last, readRecords(in, WireInput.Keep.NOTHING));
    }

    private static Frame readQueueStats(WireInput in) throws ProtocolException {
        long requestId = in.readLong("request id");
        int n = in.readCount("queues", 56);
        List<Frame.QueueInfo> queues = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            queues.add(new Frame.QueueInfo(in.readRequiredString("queue name"), in.readInt("depth"), in.readInt("in flight"),
                    in.readInt("consumers"), in.readLong("enqueued"), in.readLong("dequeued"), in.readLong("expired"),
                    in.readLong("memory bytes"), in.readLong("paged")));
        }
        return new Frame.QueueStatsAnswer(requestId, queues);
    }

    /** {@code keep}: what records a client sends keep (see {@link WireInput#readRecord}). */
    private static List<MessageRecord> readRecords(WireInput in, WireInput.Keep keep) throws ProtocolException {
        int n = in.readCount("messages", 4);
        List<MessageRecord> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            records.add(in.readRecord("message", keep));
        }
        return records;
    }

    private static Address.Kind readTemporaryKind(WireInput in) throws ProtocolException {
        int ordinal = in.readByte("kind");
        if (ordinal >= KINDS.length || !KINDS[ordinal].isTemporary()) {
            throw new ProtocolException("corrupt frame: " + ordinal + " is not a temporary destination kind");
        }
        return KINDS[ordinal];
    }
}
