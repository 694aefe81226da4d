package dev.courier.client;

import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The connection lifecycle of a {@link FailoverBrokerLink}: which {@link TcpBrokerLink} is in use
 * and its generation, the first connection, and the reconnect loop that replaces a lost link
 * (trying the brokers in turn as the {@link FailoverPolicy} allows, having the owner replay its
 * state on each new link before it is put in use) until it succeeds, the link closes or it gives
 * up. Callers wait here for a link while one is being replaced.
 *
 * <p>Threads: any thread may call. {@link #current} reads {@link #active} without locking, for
 * the hot paths. {@link #state} guards the lifecycle fields and is what callers wait on while
 * reconnecting. One reconnect thread ({@code courier-failover-N}) at a time runs the loop; it
 * alone counts {@link #generations} after the first connection.
 */
final class Reconnector {

    /** Logs under the public link's name, the one operators configure. */
    private static final System.Logger LOG = System.getLogger(FailoverBrokerLink.class.getName());
    private static final AtomicInteger NUMBERS = new AtomicInteger();

    /** The link in use and its generation, which every delivery id handed out from it carries. */
    record Active(TcpBrokerLink link, long generation) {
    }

    /** Puts the connection's state on a new link before it is put in use. */
    @FunctionalInterface
    interface Replay {
        void onto(TcpBrokerLink link, long generation) throws JMSException;
    }

    private final int number = NUMBERS.incrementAndGet();
    private final List<ConnectionUrl> brokers;
    private final FailoverPolicy policy;
    private final String user;
    private final String password;
    private final Replay replay;
    private final Consumer<TcpBrokerLink> onLost;
    private final Object state = new Object();
    /** Null while reconnecting; written under {@link #state}. */
    private volatile Active active;
    private volatile boolean closing;
    private volatile boolean closed;
    /** Set when reconnection gave up: every later call fails with it. */
    private volatile JMSException gaveUp;
    private volatile Consumer<JMSException> failureListener;
    /** Guarded by {@link #state}. */
    private boolean reconnecting;
    /** Generations handed out; the reconnect thread (or the first connection) only. */
    private long generations;

    /**
     * @param replay runs on the reconnect thread with each new link, before it is put in use
     * @param onLost runs on the thread that reports a link in use as failed, after its
     *               replacement was started
     */
    Reconnector(ConnectionUrl url, String user, String password, Replay replay, Consumer<TcpBrokerLink> onLost) {
        this.brokers = url.members();
        this.policy = FailoverPolicy.of(url);
        this.user = user;
        this.password = password;
        this.replay = replay;
        this.onLost = onLost;
    }

    /**
     * Connects to the first broker of the URL that answers, trying as
     * {@code startupMaxReconnectAttempts} allows.
     *
     * @throws JMSSecurityException when a broker refuses the credentials (not retried)
     * @throws JMSException         when no broker could be reached
     */
    void connect() throws JMSException {
        JMSException last = null;
        for (int failed = 0; policy.mayTry(failed, true); failed++) {
            pauseStartup(policy.delayMillis(failed));
            ConnectionUrl broker = brokers.get(failed % brokers.size());
            try {
                TcpBrokerLink tcp = TcpBrokerLink.connect(broker, user, password);
                publish(tcp, ++generations);
                return;
            } catch (JMSSecurityException e) {
                throw e;
            } catch (JMSException e) {
                last = e;
                LOG.log(System.Logger.Level.DEBUG, "cannot connect to {0}: {1}", broker, e.getMessage());
            }
        }
        throw last;
    }

    private static void pauseStartup(long millis) throws JMSException {
        if (millis == 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JMSException("interrupted while connecting");
        }
    }

    /** Told once, when reconnection gives up. */
    void setFailureListener(Consumer<JMSException> listener) {
        this.failureListener = listener;
    }

    /** The link in use, or null while reconnecting or closed; never waits. */
    Active current() {
        return active;
    }

    /**
     * The link in use, waiting while a lost one is replaced.
     *
     * @throws IllegalStateException when the connection is closing or closed
     * @throws JMSException          when reconnection gave up, or the wait was interrupted
     */
    Active awaitActive() throws JMSException {
        Active current = active;
        if (current != null && !current.link.hasFailed()) {
            // The usual case, without taking the monitor every sender would contend for.
            return current;
        }
        synchronized (state) {
            while (true) {
                Active a = active;
                if (a != null && !a.link.hasFailed()) {
                    return a;
                }
                if (a != null) {
                    // Failed, and its failure listener has not run yet: start the replacement here.
                    lostLocked(a.link);
                }
                if (closed || closing) {
                    throw new IllegalStateException("the connection is " + (closed ? "closed" : "closing"));
                }
                JMSException failure = gaveUp;
                if (failure != null) {
                    JMSException e = new JMSException("the connection to the broker was lost and reconnecting"
                            + " gave up: " + failure.getMessage());
                    e.setLinkedException(failure);
                    e.initCause(failure);
                    throw e;
                }
                try {
                    state.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new JMSException("interrupted while waiting to reconnect to the broker");
                }
            }
        }
    }

    /** The connection is closing: waiters stop waiting and no reconnect starts. */
    void closing() {
        synchronized (state) {
            closing = true;
            state.notifyAll();
        }
    }

    /** Closes the link in use, if any; waiters and a running reconnect stop. */
    void close() {
        Active a;
        synchronized (state) {
            if (closed) {
                return;
            }
            closed = true;
            closing = true;
            a = active;
            active = null;
            state.notifyAll();
        }
        if (a != null) {
            a.link.close();
        }
    }

    /** Makes a connected link the one in use; false (and the link closed) if this is closing. */
    private boolean publish(TcpBrokerLink link, long generation) {
        link.setFailureListener(e -> lost(link));
        synchronized (state) {
            reconnecting = false;
            if (!closing) {
                active = new Active(link, generation);
                state.notifyAll();
                if (link.hasFailed()) {
                    // It failed before its failure listener was set.
                    lostLocked(link);
                }
                return true;
            }
        }
        link.close();
        return false;
    }

    /** A link in use failed: replace it, then let the owner drop what the link delivered. */
    private void lost(TcpBrokerLink link) {
        synchronized (state) {
            lostLocked(link);
        }
        onLost.accept(link);
    }

    private void lostLocked(TcpBrokerLink link) {
        Active a = active;
        if (a == null || a.link != link || closing) {
            return;
        }
        active = null;
        if (!reconnecting) {
            reconnecting = true;
            LOG.log(System.Logger.Level.WARNING, "connection to the broker lost ({0}); reconnecting", link);
            Thread thread = new Thread(this::reconnect, "courier-failover-" + number);
            thread.setDaemon(true);
            thread.start();
        }
    }

    // ---- reconnect thread

    private void reconnect() {
        JMSException last = null;
        for (int failed = 0; ; failed++) {
            if (!policy.mayTry(failed, false)) {
                giveUp(last != null ? last : new JMSException("maxReconnectAttempts is 0"));
                return;
            }
            if (!pause(policy.delayMillis(failed))) {
                return;
            }
            ConnectionUrl broker = brokers.get(failed % brokers.size());
            TcpBrokerLink link = null;
            try {
                link = TcpBrokerLink.connect(broker, user, password);
                long generation = ++generations;
                replay.onto(link, generation);
                if (publish(link, generation)) {
                    LOG.log(System.Logger.Level.INFO, "reconnected to {0} after {1} attempt(s)", broker, failed + 1);
                }
                return;
            } catch (JMSSecurityException e) {
                closeQuietly(link);
                giveUp(e);
                return;
            } catch (JMSException | RuntimeException e) {
                closeQuietly(link);
                last = e instanceof JMSException j ? j : new JMSException(e.toString());
                LOG.log(System.Logger.Level.DEBUG, "reconnect attempt to {0} failed: {1}", broker, e.getMessage());
            }
        }
    }

    /** Waits between attempts; false if the link is closing meanwhile. */
    private boolean pause(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        synchronized (state) {
            while (!closing) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                try {
                    state.wait(Math.max(1, left / 1_000_000L));
                } catch (InterruptedException e) {
                    reconnecting = false;
                    return false;
                }
            }
            reconnecting = false;
            return false;
        }
    }

    private void giveUp(JMSException cause) {
        synchronized (state) {
            reconnecting = false;
            if (closing) {
                return;
            }
            gaveUp = cause;
            state.notifyAll();
        }
        LOG.log(System.Logger.Level.WARNING, "gave up reconnecting to the broker: {0}", cause.getMessage());
        Consumer<JMSException> listener = failureListener;
        if (listener != null) {
            JMSException e = new JMSException("the connection to the broker was lost and reconnecting gave up: "
                    + cause.getMessage());
            e.setLinkedException(cause);
            e.initCause(cause);
            listener.accept(e);
        }
    }

    private static void closeQuietly(TcpBrokerLink link) {
        if (link != null) {
            link.close();
        }
    }
}
