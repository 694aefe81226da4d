package dev.courier.protocol;

import dev.courier.message.Address;
import dev.courier.message.MessageRecord;
import java.util.List;

/**
 * Every frame of the Courier wire protocol (layout in {@code provider/PROTOCOL.md}). Each record
 * is one frame type; {@link FrameCodec} turns them into bytes and back. Requests carry a
 * {@code requestId} chosen by the client, which the broker's answer ({@link Ok}, {@link Failed}
 * or a typed result) repeats.
 */
public sealed interface Frame {

    /** Bytes of the length prefix in front of every frame. */
    int LENGTH_BYTES = 4;
    /** "CRER": the first four bytes of a {@link Hello} body. */
    int MAGIC = 0x43524552;
    /** The protocol version this code speaks. */
    int VERSION = 2;
    /** Default largest frame (length prefix excluded) either side accepts. */
    int DEFAULT_MAX_FRAME_SIZE = 16 * 1024 * 1024;

    /**
     * A request id meaning "nobody waits": the broker sends no {@link Ok} or {@link Failed} for
     * it. The client uses it for acknowledgements, which need no round trip: a later request on
     * the same connection is carried out after them anyway.
     */
    long NO_ANSWER = 0;

    /** The type byte that follows the length prefix. */
    int type();

    /** A frame the client sends and waits for an answer to. */
    sealed interface Request extends Frame {
        long requestId();
    }

    // ---- handshake and link upkeep (both directions) ----

    /** Client opens the connection. {@code heartbeatMillis} is the interval the client asks for. */
    record Hello(int magic, int version, String user, String password, int heartbeatMillis) implements Frame {
        public static final int TYPE = 1;

        public int type() {
            return TYPE;
        }

        @Override
        public String toString() {
            return "Hello[version=" + version + ", user=" + user + ", heartbeatMillis=" + heartbeatMillis + "]";
        }
    }

    /** Either side says it is alive; sent when it has written nothing else for an interval. */
    record Heartbeat() implements Frame {
        public static final int TYPE = 2;
        public static final Heartbeat INSTANCE = new Heartbeat();

        public int type() {
            return TYPE;
        }
    }

    /** Broker accepts the handshake: the interval both sides use and the largest frame it reads. */
    record Welcome(int version, long connectionId, int heartbeatMillis, int maxFrameSize) implements Frame {
        public static final int TYPE = 64;

        public int type() {
            return TYPE;
        }
    }

    /** The connection fails; the sender closes it right after this frame. */
    record Error(WireError error, String message) implements Frame {
        public static final int TYPE = 70;

        public int type() {
            return TYPE;
        }
    }

    // ---- client requests ----

    record SetClientId(long requestId, String clientId) implements Request {
        public static final int TYPE = 3;

        public int type() {
            return TYPE;
        }
    }

    record Send(long requestId, MessageRecord record) implements Request {
        public static final int TYPE = 4;

        public int type() {
            return TYPE;
        }
    }

    record Commit(long requestId, List<MessageRecord> sends, long[] acknowledgements) implements Request {
        public static final int TYPE = 5;

        public int type() {
            return TYPE;
        }
    }

    record OpenConsumer(long requestId, long consumerId, Address destination, String selector, boolean noLocal,
                        String subscriptionName, boolean durable, boolean shared, int credit) implements Request {
        public static final int TYPE = 6;

        public int type() {
            return TYPE;
        }
    }

    record CloseConsumer(long requestId, long consumerId) implements Request {
        public static final int TYPE = 7;

        public int type() {
            return TYPE;
        }
    }

    /**
     * The broker may push {@code credit} more messages to the consumer. Answered once the
     * deliveries the credit allowed at once have been sent ahead of the answer.
     */
    record AddCredit(long requestId, long consumerId, int credit) implements Request {
        public static final int TYPE = 8;

        public int type() {
            return TYPE;
        }
    }

    record RevokeCredit(long requestId, long consumerId) implements Request {
        public static final int TYPE = 9;

        public int type() {
            return TYPE;
        }
    }

    /**
     * Settles deliveries. With {@link #NO_ANSWER} these are automatic acknowledgements
     * (AUTO_ACKNOWLEDGE, DUPS_OK), written to the store with its next group; with a request id an
     * application's {@code acknowledge()}, answered once it is durable.
     */
    record Acknowledge(long requestId, long[] deliveryIds) implements Request {
        public static final int TYPE = 10;

        public int type() {
            return TYPE;
        }
    }

    record Release(long requestId, long[] deliveryIds, boolean delivered) implements Request {
        public static final int TYPE = 11;

        public int type() {
            return TYPE;
        }
    }

    record Browse(long requestId, Address queue, String selector) implements Request {
        public static final int TYPE = 12;

        public int type() {
            return TYPE;
        }
    }

    record CreateTemporary(long requestId, Address.Kind kind) implements Request {
        public static final int TYPE = 13;

        public int type() {
            return TYPE;
        }
    }

    record DeleteTemporary(long requestId, Address address) implements Request {
        public static final int TYPE = 14;

        public int type() {
            return TYPE;
        }
    }

    record Unsubscribe(long requestId, String subscriptionName) implements Request {
        public static final int TYPE = 15;

        public int type() {
            return TYPE;
        }
    }

    /** The client is done: the broker settles the connection, answers {@link Ok} and closes. */
    record Close(long requestId) implements Request {
        public static final int TYPE = 16;

        public int type() {
            return TYPE;
        }
    }

    /**
     * The client is about to close: sends of this connection held back by flow control give up
     * (answered FAILED, CLOSED) and later ones that would wait fail the same way. The broker acts
     * on it as soon as it reads it, ahead of the requests queued before it; in order, it is a
     * no-op. Sent without a request id.
     */
    record StopWaiting(long requestId) implements Request {
        public static final int TYPE = 18;

        public int type() {
            return TYPE;
        }
    }

    /** Operators: statistics of every queue and durable subscription. */
    record QueueStats(long requestId) implements Request {
        public static final int TYPE = 17;

        public int type() {
            return TYPE;
        }
    }

    // ---- broker answers and pushes ----

    record Ok(long requestId) implements Frame {
        public static final int TYPE = 65;

        public int type() {
            return TYPE;
        }
    }

    /** A request failed; the connection stays open. */
    record Failed(long requestId, WireError error, String message) implements Frame {
        public static final int TYPE = 66;

        public int type() {
            return TYPE;
        }
    }

    /** Part of a browse snapshot; the answer is complete with the chunk whose {@code last} is set. */
    record BrowseChunk(long requestId, boolean last, List<MessageRecord> records) implements Frame {
        public static final int TYPE = 67;

        public int type() {
            return TYPE;
        }
    }

    record TemporaryCreated(long requestId, Address address) implements Frame {
        public static final int TYPE = 68;

        public int type() {
            return TYPE;
        }
    }

    /**
     * Broker to client, unasked: a temporary destination this connection watches (it sent a
     * non-persistent message to it with an answer) has been deleted, or a send to it that nobody
     * waited for found it gone.
     */
    record TemporaryDeleted(Address address) implements Frame {
        public static final int TYPE = 72;

        public int type() {
            return TYPE;
        }
    }

    /** One queue's statistics; see {@code dev.courier.broker.QueueStats} for each number. */
    record QueueInfo(String name, int depth, int inFlight, int consumers, long enqueued, long dequeued, long expired,
                     long memoryBytes, long paged) {
    }

    record QueueStatsAnswer(long requestId, List<QueueInfo> queues) implements Frame {
        public static final int TYPE = 71;

        public int type() {
            return TYPE;
        }
    }

    /** A message for a consumer; see {@code DeliverySink#deliver} for the meaning of the numbers. */
    record Delivery(long consumerId, long deliveryId, int deliveryCount, long sequence, MessageRecord record)
            implements Frame {
        public static final int TYPE = 69;

        public int type() {
            return TYPE;
        }
    }
}
