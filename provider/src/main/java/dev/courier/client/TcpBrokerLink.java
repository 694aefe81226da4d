package dev.courier.client;

import dev.courier.broker.ConsumerSpec;
import dev.courier.concurrent.LearnedSpin;
import dev.courier.message.Address;
import dev.courier.message.MessageRecord;
import dev.courier.protocol.Frame;
import dev.courier.protocol.FrameAssembler;
import dev.courier.protocol.FrameCodec;
import dev.courier.protocol.ProtocolException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * A link to a standalone broker over one TCP socket, speaking the protocol of
 * {@code dev.courier.protocol}.
 *
 * <p>Threads: the callers hand their frames to a {@link FrameWriter}, which writes them in call
 * order, coalesced into one system call when they come quickly (its writer thread,
 * {@code courier-tcp-writer-N}, writes the bursts of frames nobody waits for), and wait for the
 * answer in a {@link PendingCall}. A reader thread ({@code courier-tcp-reader-N}) owns
 * the input side: it completes pending calls and hands deliveries to the consumers'
 * {@link DeliveryListener}s, in the order the broker sent them (so once {@code closeConsumer} or
 * {@code revokeCredit} returns, every delivery sent before the answer has been handed over). It
 * never writes, so it can never be stuck behind a full socket. A heartbeat thread
 * ({@code courier-tcp-heartbeat-N}) writes a heartbeat when the link has been quiet for an
 * interval. A broker silent for three intervals is dead: waiting calls fail with a
 * {@link JMSException} and the failure listener is told. All three threads end on {@link #close}.
 */
public final class TcpBrokerLink implements BrokerLink {

    /** Default heartbeat interval; a dead broker is noticed after three of them. */
    public static final int DEFAULT_HEARTBEAT_MILLIS = 2_000;
    private static final long STOP_WAITING_WRITE_MILLIS = 2_000;
    private static final long CLOSE_ANSWER_MILLIS = 5_000;
    private static final int FRAME_OVERHEAD = 1024;
    private static final AtomicInteger LINK_NUMBERS = new AtomicInteger();
    /** The longest a caller polls for an answer (a round trip to a broker nearby) before it waits. */
    private static final long LONGEST_CALL_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    private final int number = LINK_NUMBERS.incrementAndGet();
    private final String peer;
    private final Socket socket;
    private final FrameWriter writer;
    private final InputStream in;
    private final FrameAssembler assembler;
    private final Map<Long, PendingCall> pending = new ConcurrentHashMap<>();
    private final Map<Long, DeliveryListener> listeners = new ConcurrentHashMap<>();
    private final AtomicLong nextRequestId = new AtomicLong();
    /**
     * Temporary destinations the broker confirmed and watches for this link (see {@link #send});
     * the reader removes one when the broker says it is gone. One that was deleted while its
     * confirming send was answered stays until the next send there, which the broker answers
     * with the notice.
     */
    private final Set<Address> confirmedTemporaries = ConcurrentHashMap.newKeySet();
    /** How long callers poll for answers: shared by the link's callers, a race costs one decision. */
    private final LearnedSpin callSpin = new LearnedSpin(0, LONGEST_CALL_SPIN_NANOS);
    private final Object heartbeatMonitor = new Object();
    private final int heartbeatMillis;
    private final int maxFrameSize;
    private final Thread reader;
    private final Thread heartbeat;
    private volatile long lastRead = System.nanoTime();
    private volatile JMSException failure;
    private volatile boolean closed;
    private volatile Consumer<JMSException> failureListener;

    /** Bytes that arrived after the handshake answer in the same read; the reader handles them first. */
    private final byte[] early;

    private TcpBrokerLink(String peer, Socket socket, Frame.Welcome welcome, byte[] early) throws IOException {
        this.early = early;
        this.peer = peer;
        this.socket = socket;
        this.writer = new FrameWriter(socket.getOutputStream(), "courier-tcp-writer-" + number,
                e -> fail("cannot write to the broker at " + peer + ": " + e.getMessage(), e));
        this.in = socket.getInputStream();
        this.heartbeatMillis = welcome.heartbeatMillis();
        this.maxFrameSize = welcome.maxFrameSize();
        // A delivery carries a message of up to the broker's limit plus a few fields.
        this.assembler = new FrameAssembler(Math.max(Frame.DEFAULT_MAX_FRAME_SIZE, maxFrameSize) + FRAME_OVERHEAD);
        socket.setSoTimeout(heartbeatMillis);
        reader = new Thread(this::readLoop, "courier-tcp-reader-" + number);
        reader.setDaemon(true);
        heartbeat = new Thread(this::heartbeatLoop, "courier-tcp-heartbeat-" + number);
        heartbeat.setDaemon(true);
    }

    /**
     * Connects and completes the handshake.
     *
     * @throws JMSSecurityException when the broker refuses the credentials
     * @throws JMSException         when the broker cannot be reached or refuses the connection
     */
    public static TcpBrokerLink connect(ConnectionUrl url, String user, String password) throws JMSException {
        int heartbeat = url.intOption("heartbeat", DEFAULT_HEARTBEAT_MILLIS);
        if (heartbeat < 1) {
            throw new JMSException("heartbeat must be positive: " + heartbeat);
        }
        TcpHandshake.Opened opened = TcpHandshake.open(url, user, password, heartbeat);
        try {
            TcpBrokerLink link = new TcpBrokerLink(opened.peer(), opened.socket(), opened.welcome(), opened.early());
            link.writer.start();
            link.reader.start();
            link.heartbeat.start();
            return link;
        } catch (IOException e) {
            TcpHandshake.closeQuietly(opened.socket());
            JMSException jms = new JMSException("cannot connect to the broker at " + opened.peer() + ": " + e.getMessage());
            jms.setLinkedException(e);
            jms.initCause(e);
            throw jms;
        } catch (RuntimeException e) {
            TcpHandshake.closeQuietly(opened.socket());
            throw e;
        }
    }

    @Override
    public void setFailureListener(Consumer<JMSException> listener) {
        this.failureListener = listener;
    }

    @Override
    public void setClientId(String clientId) throws JMSException {
        call(id -> new Frame.SetClientId(id, clientId));
    }

    /**
     * A non-persistent message to a permanent destination is sent without waiting: the broker
     * cannot refuse it (nothing to store, nothing deleted), and the connection's later requests
     * are carried out after it. So is one to a temporary destination the broker has confirmed
     * before: the first send there waits, which also asks the broker to say when it is deleted
     * ({@link Frame.TemporaryDeleted}); from then on a send there waits again and fails as a send
     * to a deleted destination does. Only sends racing the deletion (posted before the notice
     * arrived) are dropped by the broker, as a non-persistent message may be.
     * Everything else waits for the broker's answer (a persistent message until it is stored).
     */
    @Override
    public void send(MessageRecord record) throws JMSException {
        Address destination = record.destination();
        if (!record.persistent() && destination != null
                && (!destination.isTemporary() || confirmedTemporaries.contains(destination))) {
            post(new Frame.Send(Frame.NO_ANSWER, record));
            return;
        }
        call(id -> new Frame.Send(id, record));
        if (!record.persistent() && destination != null && destination.isTemporary()) {
            confirmedTemporaries.add(destination);
        }
    }

    @Override
    public void commit(List<MessageRecord> sends, long[] acknowledgements) throws JMSException {
        call(id -> new Frame.Commit(id, sends, acknowledgements));
    }

    @Override
    public void openConsumer(long consumerId, ConsumerSpec spec, DeliveryListener listener) throws JMSException {
        // Registered first: the broker may deliver before its answer arrives.
        listeners.put(consumerId, listener);
        try {
            call(id -> new Frame.OpenConsumer(id, consumerId, spec.destination(), spec.selector(), spec.noLocal(),
                    spec.subscriptionName(), spec.durable(), spec.shared(), spec.credit()));
        } catch (JMSException | RuntimeException e) {
            listeners.remove(consumerId);
            throw e;
        }
    }

    @Override
    public void closeConsumer(long consumerId) throws JMSException {
        if (failure == null) {
            callUnlessFailed(id -> new Frame.CloseConsumer(id, consumerId));
        }
        listeners.remove(consumerId);
    }

    /**
     * Waits for the answer, as the in-VM link does: the messages the credit lets the broker push
     * at once are in the consumer's buffer when this returns (recover and rollback rely on that
     * to put redelivered messages ahead of those prefetched behind them).
     */
    @Override
    public void addCredit(long consumerId, int credit) throws JMSException {
        callUnlessFailed(id -> new Frame.AddCredit(id, consumerId, credit));
    }

    /**
     * Posted: the connection's later requests are carried out after it, and a consumer closed
     * meanwhile makes the broker ignore it. Measured: a listener of topic-fanout over tcp:// spent
     * half its time (27 of 56 stack samples) waiting for the answer to a top-up, which comes after
     * the up to 500 deliveries the credit lets through, while the messages it had buffered waited.
     */
    @Override
    public void topUpCredit(long consumerId, int credit) throws JMSException {
        post(new Frame.AddCredit(Frame.NO_ANSWER, consumerId, credit));
    }

    @Override
    public void revokeCredit(long consumerId) throws JMSException {
        callUnlessFailed(id -> new Frame.RevokeCredit(id, consumerId));
    }

    /**
     * The automatic acknowledgement of one consumed message (AUTO_ACKNOWLEDGE, DUPS_OK): does
     * not wait for the broker, as the connection's later requests are carried out after it. If
     * the broker fails first, the message is redelivered marked redelivered, which these modes
     * allow after a failure.
     */
    @Override
    public void acknowledge(long deliveryId) throws JMSException {
        post(new Frame.Acknowledge(Frame.NO_ANSWER, new long[] {deliveryId}));
    }

    /**
     * Several automatic acknowledgements in one frame, posted like {@link #acknowledge(long)}:
     * to the broker, an acknowledgement that wants no answer is an automatic one.
     */
    @Override
    public void acknowledgeConsumed(long[] deliveryIds, int count) throws JMSException {
        post(new Frame.Acknowledge(Frame.NO_ANSWER, Arrays.copyOf(deliveryIds, count)));
    }

    /**
     * An application's {@code acknowledge()} (CLIENT_ACKNOWLEDGE): waits until the broker has
     * settled the messages (and removed persistent ones from its store), so acknowledged
     * messages do not come back after a broker crash.
     */
    @Override
    public void acknowledge(long[] deliveryIds) throws JMSException {
        call(id -> new Frame.Acknowledge(id, deliveryIds));
    }

    @Override
    public void release(long[] deliveryIds, boolean delivered) throws JMSException {
        callUnlessFailed(id -> new Frame.Release(id, deliveryIds, delivered));
    }

    @Override
    public List<MessageRecord> browse(Address queue, String selector) throws JMSException {
        long requestId = nextRequestId.incrementAndGet();
        PendingCall call = new PendingCall();
        answer(call, requestId, new Frame.Browse(requestId, queue, selector));
        return call.browsed();
    }

    @Override
    public Address createTemporary(Address.Kind kind) throws JMSException {
        Frame answer = call(id -> new Frame.CreateTemporary(id, kind));
        if (!(answer instanceof Frame.TemporaryCreated created)) {
            throw new JMSException("unexpected answer from the broker: " + answer);
        }
        return created.address();
    }

    @Override
    public void deleteTemporary(Address address) throws JMSException {
        call(id -> new Frame.DeleteTemporary(id, address));
    }

    @Override
    public void unsubscribe(String subscriptionName) throws JMSException {
        call(id -> new Frame.Unsubscribe(id, subscriptionName));
    }

    /** Statistics of every queue and durable subscription of the broker, for operator tools. */
    public List<Frame.QueueInfo> queueStats() throws JMSException {
        Frame answer = call(Frame.QueueStats::new);
        if (!(answer instanceof Frame.QueueStatsAnswer stats)) {
            throw new JMSException("unexpected answer from the broker: " + answer);
        }
        return stats.queues();
    }

    /**
     * Tells the broker to fail the sends it holds for room. A broker stops reading a connection
     * whose requests pile up behind a held send, so a writer may be blocked on the socket and
     * this frame may never get through: if it is not written in {@link #STOP_WAITING_WRITE_MILLIS},
     * the connection is dropped, which settles it on the broker just as closing would (the
     * connection is closing, so nothing is lost that close would keep).
     */
    @Override
    public void stopWaiting() {
        if (!closed && failure == null) {
            dropIfNotDoneWithin(STOP_WAITING_WRITE_MILLIS, "the broker at " + peer
                    + " does not read this closing connection", () -> post(new Frame.StopWaiting(Frame.NO_ANSWER)));
        }
    }

    /** A step of closing that talks to the broker. */
    @FunctionalInterface
    private interface ClosingStep {
        void run() throws JMSException;
    }

    /**
     * Runs a step of closing; if it has not finished in {@code millis}, drops the connection,
     * which fails what the step waits for. Only closing does this: the connection is going
     * anyway, and the broker settles a dropped connection as it settles a closed one.
     */
    private void dropIfNotDoneWithin(long millis, String reason, ClosingStep step) {
        CountDownLatch done = new CountDownLatch(1);
        Thread guard = new Thread(() -> {
            try {
                if (!done.await(millis, TimeUnit.MILLISECONDS)) {
                    fail(reason + "; dropped the connection", null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "courier-close-guard");
        guard.setDaemon(true);
        guard.start();
        try {
            step.run();
        } catch (JMSException e) {
            // The link failed: the broker settles everything of this connection when it notices.
        } finally {
            done.countDown();
            join(guard);
        }
    }

    /**
     * Tells the broker, waits for it to settle the connection (unacknowledged messages return),
     * then closes the socket and stops both threads.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (failure == null) {
            // The broker may not be reading (see stopWaiting); dropping the connection settles it too.
            dropIfNotDoneWithin(CLOSE_ANSWER_MILLIS, "the broker at " + peer + " did not answer the close in time",
                    () -> call(Frame.Close::new));
        }
        shutdown(new JMSException("the connection is closed"));
        if (Thread.currentThread() != reader) {
            join(reader);
        }
        if (Thread.currentThread() != heartbeat) {
            join(heartbeat);
        }
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- calls ----

    /** True once the link has failed or been closed; no request is written after that. */
    boolean hasFailed() {
        return failure != null;
    }

    /** Sends a request nobody waits for. */
    private void post(Frame.Request request) throws JMSException {
        JMSException failed = failure;
        if (failed != null) {
            throw new NotSentException("the connection to the broker at " + peer + " failed: " + failed.getMessage());
        }
        byte[] frame = encode(request);
        try {
            writer.write(frame, true);
        } catch (IOException e) {
            fail("cannot write to the broker at " + peer + ": " + e.getMessage(), e);
            throw new JMSException("cannot write to the broker at " + peer + ": " + e.getMessage());
        }
    }

    private Frame call(LongFunction<Frame.Request> request) throws JMSException {
        long requestId = nextRequestId.incrementAndGet();
        PendingCall call = new PendingCall();
        return answer(call, requestId, request.apply(requestId));
    }

    /** For calls that tidy up: once the link has failed there is nothing left to tidy. */
    private void callUnlessFailed(LongFunction<Frame.Request> request) throws JMSException {
        if (failure != null) {
            return;
        }
        try {
            call(request);
        } catch (JMSException e) {
            if (failure == null) {
                throw e;
            }
        }
    }

    private Frame answer(PendingCall call, long requestId, Frame.Request request) throws JMSException {
        byte[] frame = encode(request);
        pending.put(requestId, call);
        JMSException failed = failure;
        if (failed != null) {
            pending.remove(requestId);
            throw new NotSentException("the connection to the broker at " + peer + " failed: " + failed.getMessage());
        } else {
            try {
                writer.write(frame, false);
            } catch (IOException e) {
                fail("cannot write to the broker at " + peer + ": " + e.getMessage(), e);
            }
        }
        Frame answer = call.await(callSpin);
        if (answer instanceof Frame.Failed f) {
            throw BrokerErrors.toJms(f.error(), f.message());
        }
        return answer;
    }

    /** Encodes a request, refusing one the broker would refuse as too large. */
    private byte[] encode(Frame.Request request) throws JMSException {
        byte[] frame = FrameCodec.encode(request);
        if (frame.length - Frame.LENGTH_BYTES > maxFrameSize) {
            throw new JMSException("a frame of " + (frame.length - Frame.LENGTH_BYTES) + " bytes exceeds the broker's limit of "
                    + maxFrameSize + " bytes");
        }
        return frame;
    }

    // ---- reader thread ----

    private void readLoop() {
        byte[] buf = new byte[64 * 1024];
        ByteBuffer view = ByteBuffer.wrap(buf);
        long deadAfter = TimeUnit.MILLISECONDS.toNanos(3L * heartbeatMillis);
        try {
            ByteBuffer first = ByteBuffer.wrap(early);
            byte[] earlyFrame;
            while ((earlyFrame = assembler.next(first)) != null) {
                dispatch(FrameCodec.decode(earlyFrame, 0, earlyFrame.length));
            }
            while (failure == null) {
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException e) {
                    if (System.nanoTime() - lastRead > deadAfter) {
                        fail("the broker at " + peer + " sent nothing for " + 3 * heartbeatMillis + " ms", null);
                    }
                    continue;
                }
                if (n < 0) {
                    fail("the broker at " + peer + " closed the connection", null);
                    return;
                }
                lastRead = System.nanoTime();
                view.limit(n).position(0);
                byte[] frame;
                while ((frame = assembler.next(view)) != null) {
                    dispatch(FrameCodec.decode(frame, 0, frame.length));
                }
            }
        } catch (IOException e) {
            fail((e instanceof ProtocolException ? "protocol error from " : "connection to ") + peer
                    + (e instanceof ProtocolException ? ": " : " lost: ") + e.getMessage(), e);
        } catch (RuntimeException e) {
            fail("unexpected failure reading from " + peer + ": " + e, e);
        }
    }

    private void dispatch(Frame frame) throws ProtocolException {
        if (frame instanceof Frame.Delivery d) {
            DeliveryListener listener = listeners.get(d.consumerId());
            // None: a consumer whose open failed; the broker takes its deliveries back on close.
            if (listener != null) {
                listener.onDelivery(d.deliveryId(), d.record(), d.deliveryCount(), d.sequence());
            }
        } else if (frame instanceof Frame.Ok f) {
            complete(f.requestId(), f);
        } else if (frame instanceof Frame.Failed f) {
            complete(f.requestId(), f);
        } else if (frame instanceof Frame.TemporaryCreated f) {
            complete(f.requestId(), f);
        } else if (frame instanceof Frame.TemporaryDeleted f) {
            confirmedTemporaries.remove(f.address());
        } else if (frame instanceof Frame.QueueStatsAnswer f) {
            complete(f.requestId(), f);
        } else if (frame instanceof Frame.BrowseChunk f) {
            PendingCall call = f.last() ? pending.remove(f.requestId()) : pending.get(f.requestId());
            if (call == null) {
                throw new ProtocolException("browse answer for unknown request " + f.requestId());
            }
            call.addBrowsed(f.records());
            if (f.last()) {
                call.complete(f);
            }
        } else if (frame instanceof Frame.Error f) {
            fail("the broker at " + peer + " closed the connection: " + f.message() + " (" + f.error() + ")", null);
        } else if (!(frame instanceof Frame.Heartbeat)) {
            throw new ProtocolException("unexpected frame type " + frame.type() + " from the broker");
        }
    }

    private void complete(long requestId, Frame answer) throws ProtocolException {
        PendingCall call = pending.remove(requestId);
        if (call == null) {
            throw new ProtocolException("answer for unknown request " + requestId);
        }
        call.complete(answer);
    }

    // ---- heartbeat thread ----

    private void heartbeatLoop() {
        byte[] frame = FrameCodec.encode(Frame.Heartbeat.INSTANCE);
        long interval = TimeUnit.MILLISECONDS.toNanos(heartbeatMillis);
        while (failure == null) {
            synchronized (heartbeatMonitor) {
                try {
                    heartbeatMonitor.wait(Math.max(1, heartbeatMillis / 2));
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (failure == null && System.nanoTime() - writer.lastWrite() >= interval) {
                try {
                    writer.write(frame, false);
                } catch (IOException e) {
                    fail("cannot write to the broker at " + peer + ": " + e.getMessage(), e);
                }
            }
        }
    }

    // ---- failure and shutdown ----

    /** The link is dead: fails waiting calls, closes the socket and tells the failure listener. */
    private void fail(String message, Exception cause) {
        JMSException e = new JMSException(message);
        if (cause != null) {
            e.setLinkedException(cause);
            e.initCause(cause);
        }
        if (shutdown(e) && !closed) {
            Consumer<JMSException> listener = failureListener;
            if (listener != null) {
                listener.accept(e);
            }
        }
    }

    /** Returns true for the call that shut the link down. */
    private boolean shutdown(JMSException cause) {
        synchronized (this) {
            if (failure != null) {
                return false;
            }
            failure = cause;
        }
        TcpHandshake.closeQuietly(socket);
        for (PendingCall call : pending.values()) {
            call.fail(cause);
        }
        pending.clear();
        writer.stop();
        synchronized (heartbeatMonitor) {
            heartbeatMonitor.notifyAll();
        }
        return true;
    }

    private static void join(Thread thread) {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "TcpBrokerLink[" + peer + "]";
    }
}
