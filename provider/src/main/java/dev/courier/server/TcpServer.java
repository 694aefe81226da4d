package dev.courier.server;

import dev.courier.broker.Broker;
import dev.courier.message.MessageRecord;
import dev.courier.protocol.WireError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Accepts Courier clients over TCP and connects each to the {@link Broker}.
 *
 * <p>Plain {@code java.nio} rather than Netty: the provider jar that applications embed must stay
 * dependency-light ({@code jakarta.jms-api} and {@code h2} only), the protocol is a simple
 * length-prefixed one, and one selector with a worker pool is all the broker needs.
 *
 * <p>Threads, a bounded number whatever the client count: one selector thread
 * ({@code courier-server-PORT-selector}) accepts, reads, writes and closes every socket, and
 * carries out the requests that cannot block (sends, acknowledgements of unstored messages,
 * credit, heartbeats) when nothing of their connection waits for a worker: no thread hand-off
 * for the frames of the fast paths, and their answers and deliveries are written in the same
 * turn of the loop. A persistent send's store batch is queued there too; once the store has
 * flushed it, its message is enqueued and the send answered back on this thread
 * ({@link #runOnSelector}), so the store's writer thread only hands over. A fixed pool of
 * workers ({@code courier-server-PORT-worker-N}) runs the other broker calls (those that may
 * wait for the store), one connection's frames serially. Other threads talk to the selector
 * only through {@link #requestUpdate} and {@link #runOnSelector}: queues it drains after a
 * wakeup.
 */
public final class TcpServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TcpServer.class.getName());
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Broker broker;
    private final String host;
    private final int requestedPort;
    private final TcpServerConfig config;
    private final Map<Long, ClientChannel> channels = new ConcurrentHashMap<>();
    private final Queue<ClientChannel> updates = new ConcurrentLinkedQueue<>();
    private final Queue<Runnable> selectorTasks = new ConcurrentLinkedQueue<>();
    private final AtomicLong nextNumber = new AtomicLong();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private Selector selector;
    private ServerSocketChannel acceptor;
    private ThreadPoolExecutor workers;
    private Thread selectorThread;
    private volatile boolean stopping;
    /** Set once the selector thread has run its last tasks: later ones run on their caller. */
    private volatile boolean selectorGone;
    private int port;
    /** Selector thread only: records encoded for deliveries, reused for topic fan-out. */
    private final EncodedRecords encodedRecords = new EncodedRecords();

    public TcpServer(Broker broker, String host, int port) {
        this(broker, host, port, TcpServerConfig.defaults());
    }

    public TcpServer(Broker broker, String host, int port, TcpServerConfig config) {
        this.broker = broker;
        this.host = host;
        this.requestedPort = port;
        this.config = config;
    }

    /**
     * Binds and starts accepting.
     *
     * @throws UncheckedIOException when the address cannot be bound
     */
    public synchronized TcpServer start() {
        if (selectorThread != null) {
            throw new IllegalStateException("already started");
        }
        try {
            selector = Selector.open();
            acceptor = ServerSocketChannel.open();
            acceptor.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            acceptor.bind(new InetSocketAddress(host, requestedPort), 256);
            acceptor.configureBlocking(false);
            acceptor.register(selector, SelectionKey.OP_ACCEPT);
            port = ((InetSocketAddress) acceptor.getLocalAddress()).getPort();
        } catch (IOException e) {
            closeQuietly();
            throw new UncheckedIOException("cannot listen on " + host + ":" + requestedPort + ": " + e.getMessage(), e);
        }
        AtomicInteger workerNumber = new AtomicInteger();
        workers = new ThreadPoolExecutor(config.workerThreads(), config.workerThreads(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "courier-server-" + port + "-worker-" + workerNumber.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        workers.allowCoreThreadTimeOut(true);
        selectorThread = new Thread(this::runSelector, "courier-server-" + port + "-selector");
        selectorThread.setDaemon(true);
        selectorThread.start();
        LOG.log(Level.INFO, "Courier broker ''{0}'' accepting connections on {1}:{2,number,#}", broker.name(), host, port);
        return this;
    }

    /** The bound port (the ephemeral one when started with port 0). */
    public int port() {
        return port;
    }

    public TcpServerConfig config() {
        return config;
    }

    /** Connections currently open. */
    public int connectionCount() {
        return channels.size();
    }

    /** The largest backlog of any connection: bytes waiting for a worker or for the client. */
    long maxBacklogBytes() {
        long max = 0;
        for (ClientChannel channel : channels.values()) {
            max = Math.max(max, channel.backlogBytes());
        }
        return max;
    }

    /**
     * Stops accepting, tells every client the broker is shutting down, closes the sockets,
     * settles their broker connections and stops the threads. The broker itself keeps running.
     */
    @Override
    public void close() {
        Thread thread;
        synchronized (this) {
            if (stopping || selectorThread == null) {
                stopping = true;
                return;
            }
            stopping = true;
            thread = selectorThread;
        }
        selector.wakeup();
        try {
            thread.join(TimeUnit.NANOSECONDS.toMillis(LINGER_NANOS) + 5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "broker calls still running 10 s after the TCP server closed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.log(Level.INFO, "Courier broker ''{0}'' stopped accepting connections on port {1,number,#}", broker.name(), port);
    }

    // ---- called by ClientChannel and RequestHandler from any thread ----

    /** Asks the selector thread to flush {@code channel} and re-evaluate its interest. */
    void requestUpdate(ClientChannel channel) {
        updates.add(channel);
        // The selector thread itself drains the queue before its next select: no wakeup needed.
        if (Thread.currentThread() != selectorThread) {
            selector.wakeup();
        }
    }

    /**
     * Runs {@code task} on the selector thread, soon, after the tasks queued before it. Once the
     * selector has stopped, on the calling thread: a store's outcome must still be applied (a
     * durable message enqueued) when this server closed before its flush ended.
     */
    void runOnSelector(Runnable task) {
        selectorTasks.add(task);
        if (selectorGone) {
            runSelectorTasks();
        } else if (Thread.currentThread() != selectorThread) {
            selector.wakeup();
        }
    }

    /** True on the selector thread. */
    boolean isSelectorThread() {
        return Thread.currentThread() == selectorThread;
    }

    long lingerNanos() {
        return LINGER_NANOS;
    }

    void logBadClient(ClientChannel channel, String why) {
        LOG.log(Level.WARNING, "closing connection {0} from {1}: {2}", channel.number, remote(channel.socket), why);
    }

    // ---- selector thread ----

    void removed(ClientChannel channel) {
        channels.remove(channel.number);
    }

    /** Selector thread: a buffer over a record's encoding for a delivery (the bytes are shared by its deliveries). */
    ByteBuffer encodedRecord(MessageRecord record) {
        return encodedRecords.encode(record);
    }

    private void runSelector() {
        long nextTick = System.nanoTime() + TICK_NANOS;
        try {
            while (!stopping) {
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextTick - System.nanoTime())));
                for (SelectionKey key : selector.selectedKeys()) {
                    handleKey(key);
                }
                selector.selectedKeys().clear();
                long now = System.nanoTime();
                if (now - nextTick >= 0) {
                    for (ClientChannel channel : channels.values()) {
                        channel.tick(now);
                    }
                    nextTick = now + TICK_NANOS;
                }
                // Last before selecting: what this thread queued above (answers, deliveries,
                // heartbeats, closes) asked for no wakeup.
                runSelectorTasks();
            }
            shutDownChannels();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.ERROR, "TCP selector failed; closing every connection", e);
            for (ClientChannel channel : List.copyOf(channels.values())) {
                channel.closeNow();
            }
        } finally {
            selectorGone = true;
            // Tasks queued while the flag was not yet set: whoever polls a task runs it, once.
            runSelectorTasks();
            closeQuietly();
        }
    }

    private void handleKey(SelectionKey key) throws IOException {
        if (!key.isValid()) {
            return;
        }
        if (key.isAcceptable()) {
            accept();
            return;
        }
        ClientChannel channel = (ClientChannel) key.attachment();
        if (key.isWritable()) {
            channel.flush();
        }
        if (key.isValid() && key.isReadable()) {
            channel.onReadable(readBuffer);
        }
    }

    private void accept() throws IOException {
        SocketChannel socket;
        while ((socket = acceptor.accept()) != null) {
            try {
                socket.configureBlocking(false);
                socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
                socket.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
                ClientChannel channel = new ClientChannel(nextNumber.incrementAndGet(), socket, this, workers);
                SelectionKey key = socket.register(selector, SelectionKey.OP_READ, channel);
                channel.attach(key, new RequestHandler(channel, broker, config));
                channels.put(channel.number, channel);
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "could not set up an accepted connection", e);
                socket.close();
            }
        }
    }

    private void runSelectorTasks() {
        Runnable task;
        while ((task = selectorTasks.poll()) != null) {
            task.run();
        }
        ClientChannel channel;
        while ((channel = updates.poll()) != null) {
            channel.flush();
        }
    }

    /** Tells every client the broker is going away, writes what can be written, then closes. */
    private void shutDownChannels() throws IOException {
        acceptor.close();
        for (ClientChannel channel : channels.values()) {
            channel.fail(WireError.SHUTDOWN, "the broker is shutting down");
        }
        runSelectorTasks();
        long deadline = System.nanoTime() + LINGER_NANOS;
        while (!channels.isEmpty() && System.nanoTime() - deadline < 0) {
            selector.select(50);
            for (SelectionKey key : selector.selectedKeys()) {
                if (key.isValid() && key.isWritable()) {
                    ((ClientChannel) key.attachment()).flush();
                }
            }
            selector.selectedKeys().clear();
            runSelectorTasks();
        }
        List<ClientChannel> left = new ArrayList<>(channels.values());
        for (ClientChannel channel : left) {
            channel.closeNow();
        }
    }

    private void closeQuietly() {
        try {
            if (acceptor != null) {
                acceptor.close();
            }
            if (selector != null) {
                selector.close();
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing the TCP acceptor", e);
        }
    }

    private static String remote(SocketChannel socket) {
        try {
            return String.valueOf(socket.getRemoteAddress());
        } catch (IOException e) {
            return "?";
        }
    }
}
