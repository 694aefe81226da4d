package dev.courier.server;

import dev.courier.message.MessageRecord;
import dev.courier.protocol.Frame;
import dev.courier.protocol.FrameAssembler;
import dev.courier.protocol.FrameCodec;
import dev.courier.protocol.ProtocolException;
import dev.courier.protocol.WireError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The I/O side of one client connection: frames in, frames out.
 *
 * <p>Threading: the selector thread owns the socket, the {@link FrameAssembler}, the batch being
 * written and the timestamps; it is the only thread that reads, writes or closes the socket.
 * Worker threads (through {@link RequestHandler}) and broker dispatch threads (through the
 * delivery sink) only append to the lock-free outbound queue and ask the selector to flush; a
 * delivery is queued as a small object and encoded by the selector thread when written, so the
 * broker's queue lock is never held for encoding. Inbound frames go to the {@link RequestHandler}
 * on the selector thread, which carries out those that cannot block when nothing of this
 * connection is queued or running, and queues the others on this connection's
 * {@link SerialExecutor} for a worker.
 *
 * <p>Memory is bounded per connection: while more than the high-water mark is waiting for the
 * worker or for the client, the selector stops reading this socket (TCP then slows the client
 * down), and resumes below half of it; while more than the mark waits for the client, the
 * worker carries out none of its requests (answers are not built faster than they are read).
 * Deliveries are bounded by the consumers' credit.
 */
final class ClientChannel {

    /** A delivery waiting to be encoded and written. */
    record Pushed(long consumerId, long deliveryId, int deliveryCount, long sequence, MessageRecord record) {
    }

    private static final byte[] HEARTBEAT = FrameCodec.encode(Frame.Heartbeat.INSTANCE);
    /** Buffers per gathering write: a delivery takes two (its header, and its record's shared encoding). */
    private static final int BATCH = 64;

    final long number;
    final SocketChannel socket;
    final SerialExecutor executor;
    private final TcpServer server;
    private final FrameAssembler assembler = new FrameAssembler(TcpServerConfig.HANDSHAKE_MAX_FRAME_SIZE);
    private final Queue<Object> outbound = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushRequested = new AtomicBoolean();
    private final AtomicLong inboundBytes = new AtomicLong();
    private final AtomicLong outboundBytes = new AtomicLong();
    private final ByteBuffer[] batch = new ByteBuffer[BATCH];
    private int batchStart;
    private int batchEnd;
    private SelectionKey key;
    private volatile boolean readPaused;
    /** A send waits for room on a full queue: this connection's later requests wait behind it. */
    private volatile boolean requestsHeld;
    private boolean wantWrite;
    private final long acceptedAt = System.nanoTime();
    private long lastRead = acceptedAt;
    private long lastWrite = acceptedAt;
    private long closeDeadline;
    /** Set by the worker once the handshake succeeded; 0 before. */
    private volatile int heartbeatMillis;
    /** No more frames are read or handled; the socket closes once the outbound queue is written. */
    private volatile boolean closing;
    private volatile boolean closed;
    /** Everything queued was written and our side of the socket is shut: waiting for the client to close. */
    private boolean outputShut;
    private RequestHandler handler;

    ClientChannel(long number, SocketChannel socket, TcpServer server, Executor workers) {
        this.number = number;
        this.socket = socket;
        this.server = server;
        long high = server.config().highWaterBytes();
        this.executor = new SerialExecutor(workers, () -> closed || (!requestsHeld && outboundBytes.get() <= high));
    }

    void attach(SelectionKey key, RequestHandler handler) {
        this.key = key;
        this.handler = handler;
    }

    // ---- any thread ----

    /** Queues an encoded frame for the client. */
    void send(byte[] frame) {
        if (closed) {
            return;
        }
        outboundBytes.addAndGet(frame.length);
        outbound.add(frame);
        requestFlush();
    }

    /**
     * Queues an answer its client is waiting for; on the selector thread, writes it at once. A
     * persistent send is answered in the same selector task that enqueues its message, and the
     * delivery that queues for a consumer's connection would otherwise be written first while
     * the sender waits, and wakes the consumer's threads, which compete with the selector for
     * the cores (syscall tracepoints, queue-p-sync over tcp:// on two cores: the answer's write
     * came a median 102 µs after the flush ended, 87 µs with this).
     */
    void sendAnswer(byte[] frame) {
        send(frame);
        if (server.isSelectorThread()) {
            flush();
        }
    }

    /** Queues a delivery; called under a broker queue lock, so it only appends and signals. */
    void push(long consumerId, long deliveryId, MessageRecord record, int deliveryCount, long sequence) {
        if (closing) {
            return;
        }
        outbound.add(new Pushed(consumerId, deliveryId, deliveryCount, sequence, record));
        requestFlush();
    }

    /** Sends an error frame, then closes once everything queued is written. */
    void fail(WireError error, String message) {
        send(FrameCodec.encode(new Frame.Error(error, message)));
        closeAfterFlush();
    }

    /** Stops reading; the socket closes once everything queued is written (or a short linger passed). */
    void closeAfterFlush() {
        closing = true;
        server.requestUpdate(this);
    }

    /**
     * The handshake succeeded: frames up to {@code maxFrameSize} are accepted from now on. Called
     * before the Welcome is sent, because the client may send a large frame the moment it reads
     * the Welcome, and the selector thread may read that frame before it runs any queued task.
     */
    void allowFrames(int maxFrameSize) {
        assembler.setMaxFrameSize(maxFrameSize);
    }

    /** The Welcome is queued: heartbeats may start. */
    void handshakeDone(int heartbeatMillis) {
        this.heartbeatMillis = heartbeatMillis;
    }

    /**
     * Holds this connection's requests back (a send waits for room, or for the store). Nothing
     * more is carried out until {@link #resumeHeld} or {@link #releaseRequests}; frames keep
     * arriving up to the high-water mark, then the selector stops reading the socket and TCP
     * slows the client down.
     */
    void holdRequests() {
        requestsHeld = true;
    }

    /** Lifts {@link #holdRequests} when the send did not have to wait after all (or failed). */
    void unholdRequests() {
        requestsHeld = false;
    }

    /** Lifts {@link #holdRequests} once the held send is answered, from any thread: what waited behind runs. */
    void releaseRequests() {
        requestsHeld = false;
        executor.resume();
    }

    /** Lifts {@link #holdRequests} and runs {@code retry} before the requests that waited behind. */
    void resumeHeld(Runnable retry) {
        // The retry is queued before the gate opens: the selector, seeing it open, sees the retry
        // too and runs no later frame of this connection ahead of it.
        executor.putFirst(retry);
        requestsHeld = false;
        executor.resume();
    }

    /**
     * Selector thread: true when a frame may be carried out right here, in order: nothing of
     * this connection is queued or running, and the gate that holds requests back is open.
     */
    boolean mayRunInline() {
        return !requestsHeld && outboundBytes.get() <= server.config().highWaterBytes() && executor.isIdle();
    }

    /** Bytes waiting for the worker or for the client (for tests and monitoring). */
    long backlogBytes() {
        return inboundBytes.get() + outboundBytes.get();
    }

    TcpServer server() {
        return server;
    }

    boolean isClosing() {
        return closing;
    }

    /** A worker finished a frame of {@code bytes}: lets reading resume when it was paused for the backlog. */
    void handled(int bytes) {
        long left = inboundBytes.addAndGet(-bytes);
        if (readPaused && left < server.config().highWaterBytes() / 2) {
            server.requestUpdate(this);
        }
    }

    private void requestFlush() {
        if (flushRequested.compareAndSet(false, true)) {
            server.requestUpdate(this);
        }
    }

    // ---- selector thread ----

    /** Reads what the socket has and hands complete frames to the request handler. */
    void onReadable(ByteBuffer readBuffer) {
        if (closed) {
            return;
        }
        if (closing) {
            discardUntilClosed(readBuffer);
            return;
        }
        try {
            readBuffer.clear();
            int n = socket.read(readBuffer);
            if (n < 0) {
                closeNow();
                return;
            }
            lastRead = System.nanoTime();
            readBuffer.flip();
            byte[] frame;
            while (!closing && (frame = assembler.next(readBuffer)) != null) {
                byte[] bytes = frame;
                if (bytes.length > 0 && (bytes[0] == Frame.Close.TYPE || bytes[0] == Frame.StopWaiting.TYPE)) {
                    // Seen here, ahead of the requests queued before it: a send held by flow
                    // control must not keep the close waiting.
                    handler.closeRequested();
                }
                inboundBytes.addAndGet(bytes.length);
                handler.received(bytes);
            }
        } catch (ProtocolException e) {
            server.logBadClient(this, e.getMessage());
            fail(e.error(), e.getMessage());
        } catch (IOException e) {
            closeNow();
        }
        updateInterest();
    }

    /** Writes as much of the outbound queue as the socket takes. */
    void flush() {
        if (closed) {
            return;
        }
        flushRequested.set(false);
        try {
            while (true) {
                fillBatch();
                if (batchStart == batchEnd) {
                    break;
                }
                long written = socket.write(batch, batchStart, batchEnd - batchStart);
                if (written > 0) {
                    lastWrite = System.nanoTime();
                }
                while (batchStart < batchEnd && !batch[batchStart].hasRemaining()) {
                    outboundBytes.addAndGet(-batch[batchStart].capacity());
                    batch[batchStart++] = null;
                }
                if (batchStart < batchEnd) {
                    break;
                }
                batchStart = 0;
                batchEnd = 0;
            }
        } catch (IOException e) {
            closeNow();
            return;
        }
        executor.resume();
        wantWrite = batchStart < batchEnd;
        if (!wantWrite && closing && outbound.isEmpty() && !outputShut) {
            shutOutput();
            return;
        }
        updateInterest();
    }

    /**
     * Ends our side after the last frame (the error frame, say) and keeps reading until the
     * client closes: closing a socket with unread input makes TCP reset the connection, and the
     * client could lose the error frame it has not read yet. Bounded by the linger deadline.
     */
    private void shutOutput() {
        outputShut = true;
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            closeNow();
            return;
        }
        updateInterest();
    }

    private void discardUntilClosed(ByteBuffer readBuffer) {
        try {
            readBuffer.clear();
            if (socket.read(readBuffer) < 0) {
                closeNow();
            }
        } catch (IOException e) {
            closeNow();
        }
    }

    private void fillBatch() {
        if (batchStart > 0 && batchStart < batchEnd) {
            return;
        }
        // Room for a delivery's two buffers.
        while (batchEnd < BATCH - 1) {
            Object item = outbound.poll();
            if (item == null) {
                return;
            }
            if (item instanceof Pushed p) {
                // The record's bytes are written from its shared encoding, not copied per delivery.
                ByteBuffer record = server.encodedRecord(p.record());
                byte[] header = FrameCodec.encodeDeliveryHeader(p.consumerId(), p.deliveryId(), p.deliveryCount(),
                        p.sequence(), record.capacity());
                outboundBytes.addAndGet(header.length + record.capacity());
                batch[batchEnd++] = ByteBuffer.wrap(header);
                batch[batchEnd++] = record;
            } else {
                batch[batchEnd++] = ByteBuffer.wrap((byte[]) item);
            }
        }
    }

    /** Applies the read/write interest this connection needs now. */
    void updateInterest() {
        if (closed) {
            return;
        }
        if (closing) {
            if (closeDeadline == 0) {
                closeDeadline = System.nanoTime() + server.lingerNanos();
            }
            readPaused = !outputShut;
        } else {
            long high = server.config().highWaterBytes();
            long backlog = Math.max(inboundBytes.get(), outboundBytes.get());
            boolean wasPaused = readPaused;
            readPaused = wasPaused ? backlog >= high / 2 : backlog > high;
            if (wasPaused && !readPaused) {
                // The client's silence while we did not read was our doing: its clock starts now.
                lastRead = System.nanoTime();
            }
        }
        int ops = (readPaused ? 0 : SelectionKey.OP_READ) | (wantWrite ? SelectionKey.OP_WRITE : 0);
        if (key.isValid() && key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    /** Periodic upkeep: handshake and heartbeat timeouts, heartbeats to idle clients, lingering closes. */
    void tick(long now) {
        if (closed) {
            return;
        }
        if (closing) {
            if (closeDeadline != 0 && now - closeDeadline > 0) {
                closeNow();
            }
            return;
        }
        int heartbeat = heartbeatMillis;
        if (heartbeat == 0) {
            if (now - acceptedAt > server.config().handshakeTimeoutMillis() * 1_000_000L) {
                server.logBadClient(this, "no handshake within " + server.config().handshakeTimeoutMillis() + " ms");
                fail(WireError.TIMEOUT, "no handshake within " + server.config().handshakeTimeoutMillis() + " ms");
            }
            return;
        }
        long interval = heartbeat * 1_000_000L;
        // While this side stopped reading, silence from the client is our doing, not its death.
        if (!readPaused && now - lastRead > 3 * interval) {
            server.logBadClient(this, "no frame for " + 3 * heartbeat + " ms");
            fail(WireError.TIMEOUT, "no heartbeat from the client for " + 3 * heartbeat + " ms");
            return;
        }
        if (now - lastWrite > interval && outbound.isEmpty()) {
            send(HEARTBEAT);
        }
    }

    /** Closes the socket at once and lets the worker settle the broker connection. */
    void closeNow() {
        if (closed) {
            return;
        }
        closed = true;
        closing = true;
        if (key != null) {
            key.cancel();
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing a socket that failed: nothing more to do.
        }
        outbound.clear();
        outboundBytes.set(0);
        server.removed(this);
        executor.execute(handler::disconnected);
    }

    boolean isClosed() {
        return closed;
    }
}
