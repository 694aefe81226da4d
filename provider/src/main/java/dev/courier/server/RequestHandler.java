package dev.courier.server;

import dev.courier.broker.Broker;
import dev.courier.broker.BrokerConnection;
import dev.courier.broker.BrokerException;
import dev.courier.broker.ConsumerSpec;
import dev.courier.broker.ErrorCode;
import dev.courier.broker.QueueStats;
import dev.courier.message.Address;
import dev.courier.message.MessageRecord;
import dev.courier.protocol.Frame;
import dev.courier.protocol.FrameCodec;
import dev.courier.protocol.ProtocolException;
import dev.courier.protocol.WireError;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Carries out one connection's frames against its {@link BrokerConnection}: the handshake
 * first, then each request, answering it with {@link Frame.Ok}, {@link Frame.Failed} or a
 * typed result.
 *
 * <p>Threading: one frame at a time in arrival order, so its fields need no locks. The selector
 * thread hands every frame to {@link #received}; it carries out a frame that cannot block itself
 * when nothing of this connection is queued or running (the fast paths then cost no thread
 * hand-off), and otherwise queues it on the connection's {@link SerialExecutor} for a worker.
 * Broker calls that may block (an application's acknowledge waits for the store's group commit,
 * a durable subscription is stored) run only on workers; that blocks this connection's next
 * frame and one worker, never the selector. A send or a transaction's commit blocks no thread:
 * while a send waits for room on a full queue (flow control), or either waits for the store to
 * make it durable, the channel holds this connection's later requests back; the send is retried
 * when the broker signals room, and both are answered on the selector thread when their group
 * commit is durable. So a persistent send or a commit costs no hand-off to a worker and back.
 */
final class RequestHandler {

    private static final System.Logger LOG = System.getLogger(RequestHandler.class.getName());

    private final ClientChannel channel;
    private final Broker broker;
    private final TcpServerConfig config;
    /** Where a persistent send or a commit takes effect and is answered once the store has flushed it. */
    private final Executor afterStore;
    /** Told the outcome of {@link #heldRequest}; one object for every request, not one per request. */
    private final Consumer<BrokerException> onSettled = this::settled;
    /**
     * The send or commit being carried out, until {@link #settled}: at most one per connection,
     * since the channel holds the later requests meanwhile. Written before the request is handed
     * to the broker, read by whichever thread is told the outcome (the hand-over to it orders the two).
     */
    private Frame.Request heldRequest;
    /** Set once by the handshake (worker thread); read by the selector thread in {@link #closeRequested}. */
    private volatile BrokerConnection connection;

    RequestHandler(ClientChannel channel, Broker broker, TcpServerConfig config) {
        this.channel = channel;
        this.broker = broker;
        this.config = config;
        this.afterStore = task -> channel.server().runOnSelector(task);
    }

    /**
     * Selector thread: takes one frame just read (its bytes after the length prefix) and carries
     * it out now if that cannot block and keeps the order, or queues it for a worker. The array
     * is the frame's alone and never reused: a Send's record keeps it as its encoding.
     */
    void received(byte[] bytes) {
        if (connection == null || !channel.mayRunInline()) {
            channel.executor.execute(() -> handle(bytes));
            return;
        }
        Frame frame;
        try {
            frame = FrameCodec.decode(bytes, 0, bytes.length);
        } catch (ProtocolException e) {
            // Nothing earlier of this connection is still to be carried out: failing now keeps the order.
            channel.server().logBadClient(channel, e.getMessage());
            channel.fail(e.error(), e.getMessage());
            channel.handled(bytes.length);
            return;
        }
        if (cannotBlock(frame)) {
            carryOut(frame, bytes.length);
        } else {
            channel.executor.execute(() -> carryOut(frame, bytes.length));
        }
    }

    /**
     * True for the frames whose broker calls do not wait: a send or a commit holds no thread
     * while a full queue has no room or the store makes it durable (see {@link #execute}), an unstored
     * delivery settles without the store, credit and heartbeats are bookkeeping.
     */
    private boolean cannotBlock(Frame frame) {
        if (frame instanceof Frame.Send || frame instanceof Frame.Commit) {
            return true;
        }
        if (frame instanceof Frame.Acknowledge f) {
            return f.requestId() == Frame.NO_ANSWER && !connection.anyStored(f.deliveryIds(), f.deliveryIds().length);
        }
        return frame instanceof Frame.AddCredit || frame instanceof Frame.RevokeCredit
                || frame instanceof Frame.Heartbeat;
    }

    /** A worker: decodes and carries out one frame (its bytes after the length prefix). */
    void handle(byte[] bytes) {
        run(bytes, null, bytes.length);
    }

    /** Carries out a frame already decoded (after the handshake). */
    private void carryOut(Frame frame, int length) {
        run(null, frame, length);
    }

    /** Decodes {@code bytes} unless {@code decoded} is given, and carries the frame out. */
    private void run(byte[] bytes, Frame decoded, int length) {
        try {
            if (channel.isClosing()) {
                return;
            }
            Frame frame = decoded != null ? decoded : FrameCodec.decode(bytes, 0, bytes.length);
            if (connection == null) {
                handshake(frame);
            } else {
                dispatch(frame);
            }
        } catch (ProtocolException e) {
            channel.server().logBadClient(channel, e.getMessage());
            channel.fail(e.error(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "connection " + channel.number + ": unexpected failure; closing it", e);
            channel.fail(WireError.GENERAL, "internal broker error: " + e);
        } finally {
            channel.handled(length);
        }
    }

    /** The client sent Close or StopWaiting (seen by the selector thread): sends held by flow control give up. */
    void closeRequested() {
        BrokerConnection c = connection;
        if (c != null) {
            c.stopWaiting();
        }
    }

    /** Carries out a send that was held back for room again, ahead of the requests behind it. */
    private void retry(Frame.Request request) {
        try {
            dispatch(request);
        } catch (ProtocolException | RuntimeException e) {
            LOG.log(Level.ERROR, "connection " + channel.number + ": unexpected failure; closing it", e);
            channel.fail(WireError.GENERAL, "internal broker error: " + e);
        }
    }

    /** The socket is gone: settles the broker connection (unacknowledged messages go back). */
    void disconnected() {
        if (connection != null) {
            connection.close();
        }
    }

    private void handshake(Frame frame) throws ProtocolException {
        if (!(frame instanceof Frame.Hello hello)) {
            throw new ProtocolException("expected a handshake (Hello) frame first, got type " + frame.type());
        }
        if (hello.magic() != Frame.MAGIC) {
            throw new ProtocolException("not a Courier client: bad magic number");
        }
        if (hello.version() != Frame.VERSION) {
            throw new ProtocolException(WireError.UNSUPPORTED_VERSION, "this broker speaks protocol version "
                    + Frame.VERSION + "; the client speaks version " + hello.version());
        }
        try {
            connection = broker.connect(hello.user(), hello.password());
        } catch (BrokerException e) {
            channel.fail(wireError(e.code()), e.getMessage());
            return;
        }
        int heartbeat = config.heartbeatFor(hello.heartbeatMillis());
        channel.allowFrames(config.maxFrameSize());
        // Welcome is queued first: heartbeats start only after it, so it is the client's first frame.
        channel.send(FrameCodec.encode(new Frame.Welcome(Frame.VERSION, connection.id(), heartbeat, config.maxFrameSize())));
        channel.handshakeDone(heartbeat);
    }

    private void dispatch(Frame frame) throws ProtocolException {
        if (frame instanceof Frame.Heartbeat) {
            return;
        }
        if (!(frame instanceof Frame.Request request)) {
            throw new ProtocolException("frame type " + frame.type() + " is not something a client may send");
        }
        boolean waited = request.requestId() != Frame.NO_ANSWER;
        try {
            Frame answer = execute(request);
            if (answer != null && (waited || !(answer instanceof Frame.Ok))) {
                channel.send(FrameCodec.encode(answer));
            }
        } catch (BrokerException e) {
            fail(request, waited, wireError(e.code()), e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException e) {
            fail(request, waited, WireError.GENERAL, e.getMessage());
        }
        if (request instanceof Frame.Close) {
            channel.closeAfterFlush();
        }
    }

    private void fail(Frame.Request request, boolean waited, WireError error, String message) {
        if (waited) {
            channel.send(FrameCodec.encode(new Frame.Failed(request.requestId(), error, message)));
            return;
        }
        LOG.log(Level.DEBUG, "connection {0}: request nobody waits for failed: {1}", channel.number, message);
        if (error == WireError.INVALID_DESTINATION && request instanceof Frame.Send f
                && f.record().destination() != null && f.record().destination().isTemporary()) {
            // The client missed the deletion (it raced the send that made it watch): tell it now.
            temporaryDeleted(f.record().destination());
        }
    }

    /**
     * A send was routed or a transaction committed, or the store refused it: answers it and lets
     * this connection's next requests run. On the thread that carried the request out, or on the
     * selector thread once the store has flushed it (no thread waits meanwhile). A disconnect does
     * not wait for it: the broker connection may close first, and what is durable still takes effect.
     */
    private void settled(BrokerException failure) {
        Frame.Request request = heldRequest;
        heldRequest = null;
        try {
            boolean waited = request.requestId() != Frame.NO_ANSWER;
            if (failure != null) {
                fail(request, waited, wireError(failure.code()), failure.getMessage());
            } else if (waited) {
                channel.sendAnswer(FrameCodec.encode(new Frame.Ok(request.requestId())));
            }
        } finally {
            channel.releaseRequests();
        }
    }

    /**
     * Holds this connection's later requests back and hands {@code request} to the broker, which
     * tells {@link #settled} its outcome (on this thread or another). Held first: the room signal
     * or the store's outcome may come before the broker call returns. If the call fails instead,
     * nothing was handed on and the requests run again.
     */
    private void holdWhile(Frame.Request request, HeldCall call) throws BrokerException {
        channel.holdRequests();
        heldRequest = request;
        boolean handedOn = false;
        try {
            call.run();
            handedOn = true;
        } finally {
            if (!handedOn) {
                heldRequest = null;
                channel.unholdRequests();
            }
        }
    }

    /** A broker call that answers through {@link #onSettled}. */
    @FunctionalInterface
    private interface HeldCall {
        void run() throws BrokerException;
    }

    /** Any thread: a watched temporary destination is gone; only enqueues the notice. */
    private void temporaryDeleted(Address address) {
        channel.send(FrameCodec.encode(new Frame.TemporaryDeleted(address)));
    }

    /** Carries out a request; returns its answer, or null when it sent the answer itself. */
    private Frame execute(Frame.Request request) throws BrokerException {
        long id = request.requestId();
        if (request instanceof Frame.Send f) {
            Address destination = f.record().destination();
            if (id != Frame.NO_ANSWER && !f.record().persistent() && destination != null && destination.isTemporary()) {
                // The client posts its next non-persistent sends there without waiting, until told
                // (first, so a destination deleted meanwhile fails this send, not after it routed).
                connection.watchTemporary(destination, this::temporaryDeleted);
            }
            holdWhile(f, () -> connection.trySendThen(f.record(), () -> channel.resumeHeld(() -> retry(request)),
                    afterStore, onSettled));
            return null;
        } else if (request instanceof Frame.Acknowledge f) {
            if (f.requestId() == Frame.NO_ANSWER) {
                connection.acknowledgeConsumed(f.deliveryIds(), f.deliveryIds().length);
            } else {
                connection.acknowledge(f.deliveryIds());
            }
        } else if (request instanceof Frame.Commit f) {
            holdWhile(f, () -> connection.commitThen(f.sends(), f.acknowledgements(), afterStore, onSettled));
            return null;
        } else if (request instanceof Frame.Release f) {
            connection.release(f.deliveryIds(), f.delivered());
        } else if (request instanceof Frame.AddCredit f) {
            connection.addCredit(f.consumerId(), f.credit());
        } else if (request instanceof Frame.OpenConsumer f) {
            openConsumer(f);
        } else if (request instanceof Frame.CloseConsumer f) {
            connection.closeConsumer(f.consumerId());
        } else if (request instanceof Frame.RevokeCredit f) {
            connection.revokeCredit(f.consumerId());
        } else if (request instanceof Frame.SetClientId f) {
            connection.setClientId(f.clientId());
        } else if (request instanceof Frame.Browse f) {
            browse(f);
            return null;
        } else if (request instanceof Frame.CreateTemporary f) {
            return new Frame.TemporaryCreated(id, connection.createTemporary(f.kind()));
        } else if (request instanceof Frame.DeleteTemporary f) {
            if (f.address() == null || !f.address().isTemporary()) {
                throw new BrokerException(ErrorCode.INVALID_DESTINATION, "not a temporary destination: " + f.address());
            }
            connection.deleteTemporary(f.address());
        } else if (request instanceof Frame.Unsubscribe f) {
            connection.unsubscribe(f.subscriptionName());
        } else if (request instanceof Frame.QueueStats) {
            return queueStats(id);
        } else if (request instanceof Frame.Close) {
            connection.close();
        } else if (request instanceof Frame.StopWaiting) {
            // Acted on when read (closeRequested); nothing left to do in order.
            return null;
        }
        return new Frame.Ok(id);
    }

    private void openConsumer(Frame.OpenConsumer f) throws BrokerException {
        long consumerId = f.consumerId();
        ConsumerSpec spec = new ConsumerSpec(f.destination(), f.selector(), f.noLocal(), f.subscriptionName(),
                f.durable(), f.shared(), f.credit());
        connection.openConsumer(consumerId, spec,
                (deliveryId, record, count, sequence) -> channel.push(consumerId, deliveryId, record, count, sequence));
    }

    /** Answers with as many chunks as the frame size needs, so a deep queue can still be browsed. */
    private void browse(Frame.Browse f) throws BrokerException {
        List<MessageRecord> snapshot = connection.browse(f.queue(), f.selector());
        int budget = config.maxFrameSize() / 2;
        List<MessageRecord> chunk = new ArrayList<>();
        int size = 0;
        for (MessageRecord record : snapshot) {
            int estimate = record.estimatedSize() + 64;
            if (!chunk.isEmpty() && size + estimate > budget) {
                channel.send(FrameCodec.encode(new Frame.BrowseChunk(f.requestId(), false, chunk)));
                chunk = new ArrayList<>();
                size = 0;
            }
            chunk.add(record);
            size += estimate;
        }
        channel.send(FrameCodec.encode(new Frame.BrowseChunk(f.requestId(), true, chunk)));
    }

    private Frame queueStats(long requestId) {
        List<Frame.QueueInfo> queues = new ArrayList<>();
        for (QueueStats q : broker.queueStats()) {
            queues.add(new Frame.QueueInfo(q.name(), q.depth(), q.inFlight(), q.consumers(), q.enqueued(), q.dequeued(),
                    q.expired(), q.memoryBytes(), q.paged()));
        }
        return new Frame.QueueStatsAnswer(requestId, queues);
    }

    static WireError wireError(ErrorCode code) {
        return switch (code) {
            case GENERAL -> WireError.GENERAL;
            case ILLEGAL_STATE -> WireError.ILLEGAL_STATE;
            case INVALID_DESTINATION -> WireError.INVALID_DESTINATION;
            case INVALID_CLIENT_ID -> WireError.INVALID_CLIENT_ID;
            case INVALID_SELECTOR -> WireError.INVALID_SELECTOR;
            case SECURITY -> WireError.SECURITY;
            case TRANSACTION_ROLLED_BACK -> WireError.TRANSACTION_ROLLED_BACK;
            case CLOSED -> WireError.CLOSED;
        };
    }
}
