package dev.courier.client;

import dev.courier.broker.ConsumerSpec;
import dev.courier.message.Address;
import dev.courier.message.MessageRecord;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.TransactionRolledBackException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The link of a {@code failover:} connection: a {@link TcpBrokerLink} to one of several brokers
 * that, when it is lost, is replaced by a new one (see {@link FailoverPolicy}) on which the
 * connection's state is replayed: the client ID, then every open consumer (durable and shared
 * subscriptions are reopened by name, so they resume) with the credit it had. The JMS objects
 * above see one link that never fails until reconnection gives up; only then is the failure
 * listener told.
 *
 * <p>What happens to in-doubt work: the broker takes back every delivery of a lost connection,
 * so buffered deliveries are dropped ({@link DeliveryListener#discardDeliveries}) and come again
 * marked redelivered. Delivery ids carry the generation of the connection they came on; an
 * acknowledgement or release of an older generation is ignored, and a commit that acknowledges
 * one throws {@link TransactionRolledBackException}. A request the broker never received is sent
 * again on the next connection; a send whose answer was lost is sent again too (at least once:
 * a duplicate has the same JMSMessageID); a commit whose answer was lost throws
 * {@link TransactionOutcomeUnknownException}. Calls made while reconnecting wait for the new
 * connection, bounded by the policy. Temporary destinations die with the broker connection that
 * created them and are not re-created: consumers on them are not reopened.
 *
 * <p>Threads: any thread may call; hot paths (send, acknowledge, credit) read {@link #active}
 * without locking. One reconnect thread ({@code courier-failover-N}) at a time replaces a lost
 * link. {@link #state} guards the lifecycle fields and is what callers wait on while
 * reconnecting. {@link #topology} serializes changes to what is replayed (consumers, client ID)
 * with a replay; it is held across broker calls, but only on these rare paths. Each
 * {@link ReplayedConsumer} guards its credit and live link with its own monitor, which the
 * deliveries of its link take too, so that a delivery from a lost link can never land in a
 * consumer's buffer after the consumer was emptied for a replay.
 */
public final class FailoverBrokerLink implements BrokerLink {

    private static final System.Logger LOG = System.getLogger(FailoverBrokerLink.class.getName());
    private static final int ID_BITS = ReplayedConsumer.ID_BITS;
    private static final long ID_MASK = ReplayedConsumer.ID_MASK;
    private static final AtomicInteger NUMBERS = new AtomicInteger();

    /** The link in use and its generation, which every delivery id handed out from it carries. */
    private record Active(TcpBrokerLink link, long generation) {
    }

    private final int number = NUMBERS.incrementAndGet();
    private final List<ConnectionUrl> brokers;
    private final FailoverPolicy policy;
    private final String user;
    private final String password;
    private final Object state = new Object();
    private final ReentrantLock topology = new ReentrantLock();
    private final Map<Long, ReplayedConsumer> consumers = new ConcurrentHashMap<>();
    /** Temporary destinations this connection created, with the generation that created them. */
    private final Map<Address, Long> temporaries = new ConcurrentHashMap<>();
    /** Null while reconnecting; written under {@link #state}. */
    private volatile Active active;
    private volatile boolean closing;
    private volatile boolean closed;
    /** Set when reconnection gave up: every later call fails with it. */
    private volatile JMSException gaveUp;
    private volatile Consumer<JMSException> failureListener;
    private volatile String clientId;
    /** Guarded by {@link #state}. */
    private boolean reconnecting;
    /** Generations handed out; the reconnect thread (or the constructor) only. */
    private long generations;

    private FailoverBrokerLink(ConnectionUrl url, String user, String password) {
        this.brokers = url.members();
        this.policy = FailoverPolicy.of(url);
        this.user = user;
        this.password = password;
    }

    /**
     * Connects to the first broker of the URL that answers, trying as
     * {@code startupMaxReconnectAttempts} allows.
     *
     * @throws JMSSecurityException when a broker refuses the credentials (not retried)
     * @throws JMSException         when no broker could be reached
     */
    public static FailoverBrokerLink connect(ConnectionUrl url, String user, String password) throws JMSException {
        FailoverBrokerLink link = new FailoverBrokerLink(url, user, password);
        JMSException last = null;
        for (int failed = 0; link.policy.mayTry(failed, true); failed++) {
            pauseStartup(link.policy.delayMillis(failed));
            ConnectionUrl broker = link.brokers.get(failed % link.brokers.size());
            try {
                TcpBrokerLink tcp = TcpBrokerLink.connect(broker, user, password);
                link.publish(tcp, ++link.generations);
                return link;
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

    @Override
    public void setFailureListener(Consumer<JMSException> listener) {
        this.failureListener = listener;
    }

    // ---- calls that wait for a connection

    @Override
    public void setClientId(String id) throws JMSException {
        while (true) {
            Active a = awaitActive();
            topology.lock();
            try {
                if (active != a) {
                    continue;
                }
                a.link.setClientId(id);
                clientId = id;
                return;
            } catch (JMSException e) {
                if (!a.link.hasFailed()) {
                    throw e;
                }
            } finally {
                topology.unlock();
            }
        }
    }

    /** Sent again on the next connection if this one is lost before the broker answers. */
    @Override
    public void send(MessageRecord record) throws JMSException {
        untilDone(a -> {
            a.link.send(record);
            return null;
        });
    }

    @Override
    public void commit(List<MessageRecord> sends, long[] acknowledgements) throws JMSException {
        while (true) {
            Active a = awaitActive();
            long[] ids = new long[acknowledgements.length];
            for (int i = 0; i < ids.length; i++) {
                if (!isCurrent(a, acknowledgements[i])) {
                    throw new TransactionRolledBackException("the connection to the broker was lost and"
                            + " re-established during the transaction; its received messages will be redelivered");
                }
                ids[i] = acknowledgements[i] & ID_MASK;
            }
            try {
                a.link.commit(sends, ids);
                return;
            } catch (NotSentException e) {
                // The broker never saw it: try again on the next connection.
            } catch (JMSException e) {
                if (!a.link.hasFailed()) {
                    throw e;
                }
                TransactionOutcomeUnknownException unknown = new TransactionOutcomeUnknownException(
                        "the connection to the broker was lost during commit: the transaction was either"
                                + " committed or rolled back as a whole, and which is unknown");
                unknown.setLinkedException(e);
                unknown.initCause(e);
                throw unknown;
            }
        }
    }

    @Override
    public void openConsumer(long consumerId, ConsumerSpec spec, DeliveryListener listener) throws JMSException {
        ReplayedConsumer consumer = new ReplayedConsumer(consumerId, spec, listener);
        while (true) {
            Active a = awaitActive();
            topology.lock();
            try {
                if (active != a) {
                    continue;
                }
                consumer.open(a.link, a.generation);
                consumers.put(consumerId, consumer);
                return;
            } catch (JMSException e) {
                if (!a.link.hasFailed()) {
                    throw e;
                }
                consumer.detach(a.link);
            } finally {
                topology.unlock();
            }
        }
    }

    /**
     * Takes back the consumer's credit; while reconnecting, only the replay's count is cleared
     * (the replay holds {@link #topology}, so it cannot lend credit taken back here).
     */
    @Override
    public void revokeCredit(long consumerId) throws JMSException {
        topology.lock();
        try {
            ReplayedConsumer consumer = consumers.get(consumerId);
            if (consumer != null) {
                consumer.revokeCredit();
            }
        } finally {
            topology.unlock();
        }
    }

    @Override
    public List<MessageRecord> browse(Address queue, String selector) throws JMSException {
        return untilDone(a -> a.link.browse(queue, selector));
    }

    @Override
    public Address createTemporary(Address.Kind kind) throws JMSException {
        return untilDone(a -> {
            Address address = a.link.createTemporary(kind);
            temporaries.put(address, a.generation);
            return address;
        });
    }

    /**
     * Sent again on the next connection if this one is lost first; if the first attempt did reach
     * the broker, the second reports the subscription as unknown.
     */
    @Override
    public void unsubscribe(String subscriptionName) throws JMSException {
        untilDone(a -> {
            a.link.unsubscribe(subscriptionName);
            return null;
        });
    }

    /** A call that may be made again on the next connection when this one is lost before it is answered. */
    @FunctionalInterface
    private interface Repeatable<T> {
        T call(Active active) throws JMSException;
    }

    private <T> T untilDone(Repeatable<T> call) throws JMSException {
        while (true) {
            Active a = awaitActive();
            try {
                return call.call(a);
            } catch (JMSException e) {
                if (!a.link.hasFailed()) {
                    throw e;
                }
            }
        }
    }

    // ---- calls that never wait: what they would settle went with a lost connection

    @Override
    public void closeConsumer(long consumerId) throws JMSException {
        ReplayedConsumer consumer;
        topology.lock();
        try {
            consumer = consumers.remove(consumerId);
        } finally {
            topology.unlock();
        }
        if (consumer != null) {
            consumer.close();
        }
    }

    /** While reconnecting the credit is remembered, and lent to the reopened consumer. */
    @Override
    public void addCredit(long consumerId, int credit) throws JMSException {
        ReplayedConsumer consumer = consumers.get(consumerId);
        if (consumer != null) {
            consumer.addCredit(credit);
        }
    }

    @Override
    public void acknowledge(long deliveryId) throws JMSException {
        Active a = active;
        if (!isCurrent(a, deliveryId)) {
            return;
        }
        try {
            a.link.acknowledge(deliveryId & ID_MASK);
        } catch (JMSException e) {
            if (!a.link.hasFailed()) {
                throw e;
            }
        }
    }

    /**
     * CLIENT_ACKNOWLEDGE: deliveries of a lost connection are skipped silently (the broker took
     * them back; they come again marked redelivered), as is an acknowledgement whose answer was lost.
     */
    @Override
    public void acknowledge(long[] deliveryIds) throws JMSException {
        Active a = active;
        long[] ids = currentIds(a, deliveryIds);
        if (ids.length == 0) {
            return;
        }
        try {
            a.link.acknowledge(ids);
        } catch (JMSException e) {
            if (!a.link.hasFailed()) {
                throw e;
            }
        }
    }

    @Override
    public void release(long[] deliveryIds, boolean delivered) throws JMSException {
        Active a = active;
        long[] ids = currentIds(a, deliveryIds);
        if (ids.length == 0) {
            return;
        }
        try {
            a.link.release(ids, delivered);
        } catch (JMSException e) {
            if (!a.link.hasFailed()) {
                throw e;
            }
        }
    }

    /** A temporary destination of a lost connection is gone already. */
    @Override
    public void deleteTemporary(Address address) throws JMSException {
        Long generation = temporaries.get(address);
        Active a = active;
        if (generation == null || a == null || generation != a.generation) {
            temporaries.remove(address);
            return;
        }
        try {
            a.link.deleteTemporary(address);
        } catch (JMSException e) {
            if (!a.link.hasFailed()) {
                throw e;
            }
        }
        temporaries.remove(address);
    }

    private static boolean isCurrent(Active a, long deliveryId) {
        return a != null && deliveryId >>> ID_BITS == a.generation && !a.link.hasFailed();
    }

    private static long[] currentIds(Active a, long[] deliveryIds) {
        int current = 0;
        for (long id : deliveryIds) {
            if (isCurrent(a, id)) {
                current++;
            }
        }
        long[] ids = new long[current];
        int i = 0;
        for (long id : deliveryIds) {
            if (isCurrent(a, id)) {
                ids[i++] = id & ID_MASK;
            }
        }
        return ids;
    }

    // ---- lifecycle

    /** Releases sends the current broker holds for room; a lost connection holds none. */
    @Override
    public void stopWaiting() {
        Active a = active;
        if (a != null) {
            a.link.stopWaiting();
        }
    }

    @Override
    public void closing() {
        synchronized (state) {
            closing = true;
            state.notifyAll();
        }
    }

    @Override
    public void close() {
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

    /**
     * The link in use, waiting while a lost one is replaced.
     *
     * @throws IllegalStateException when the connection is closing or closed
     * @throws JMSException          when reconnection gave up, or the wait was interrupted
     */
    private Active awaitActive() throws JMSException {
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

    /** Makes a connected link the one in use; false (and the link closed) if this is closing. */
    private boolean publish(TcpBrokerLink link, long generation) {
        link.setFailureListener(e -> lost(link, e));
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

    /** A link in use failed: replace it, and drop what its consumers buffered. */
    private void lost(TcpBrokerLink link, JMSException cause) {
        synchronized (state) {
            lostLocked(link);
        }
        for (ReplayedConsumer consumer : consumers.values()) {
            consumer.detach(link);
        }
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
                replay(link, generation);
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

    /** Puts the connection's state on a new link: client ID, then every consumer with its credit. */
    private void replay(TcpBrokerLink link, long generation) throws JMSException {
        topology.lock();
        try {
            String id = clientId;
            if (id != null) {
                link.setClientId(id);
            }
            for (ReplayedConsumer consumer : consumers.values()) {
                consumer.detachAny();
            }
            for (ReplayedConsumer consumer : consumers.values()) {
                // A consumer on a temporary destination is not reopened: it died with the lost connection.
                if (!consumer.spec.destination().isTemporary()) {
                    consumer.reopen(link, generation);
                }
            }
        } finally {
            topology.unlock();
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

    @Override
    public String toString() {
        Active a = active;
        return "FailoverBrokerLink[" + (a == null ? "reconnecting" : a.link) + "]";
    }
}
