package dev.courier.client;

import dev.courier.broker.ConsumerSpec;
import dev.courier.message.Address;
import dev.courier.message.MessageRecord;
import dev.courier.client.Reconnector.Active;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.TransactionRolledBackException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>This class forwards the calls and keeps what is replayed; its {@link Reconnector} keeps the
 * link in use, makes the connections and runs the reconnect thread.
 *
 * <p>Threads: any thread may call; hot paths (send, acknowledge, credit) read the link in use
 * without locking. The replay runs on the reconnector's thread. {@link #topology} serializes
 * changes to what is replayed (consumers, client ID) with a replay; it is held across broker
 * calls, but only on these rare paths. Each {@link ReplayedConsumer} guards its credit and live
 * link with its own monitor, which the deliveries of its link take too, so that a delivery from
 * a lost link can never land in a consumer's buffer after the consumer was emptied for a replay.
 */
public final class FailoverBrokerLink implements BrokerLink {

    private static final int ID_BITS = ReplayedConsumer.ID_BITS;
    private static final long ID_MASK = ReplayedConsumer.ID_MASK;

    private final Reconnector reconnector;
    private final ReentrantLock topology = new ReentrantLock();
    private final Map<Long, ReplayedConsumer> consumers = new ConcurrentHashMap<>();
    /** Temporary destinations this connection created, with the generation that created them. */
    private final Map<Address, Long> temporaries = new ConcurrentHashMap<>();
    private volatile String clientId;

    private FailoverBrokerLink(ConnectionUrl url, String user, String password) {
        this.reconnector = new Reconnector(url, user, password, this::replay, this::detachConsumers);
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
        link.reconnector.connect();
        return link;
    }

    /** The listener is told only when reconnection gives up. */
    @Override
    public void setFailureListener(Consumer<JMSException> listener) {
        reconnector.setFailureListener(listener);
    }

    // ---- calls that wait for a connection

    @Override
    public void setClientId(String id) throws JMSException {
        while (true) {
            Active a = reconnector.awaitActive();
            topology.lock();
            try {
                if (reconnector.current() != a) {
                    continue;
                }
                a.link().setClientId(id);
                clientId = id;
                return;
            } catch (JMSException e) {
                if (!a.link().hasFailed()) {
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
            a.link().send(record);
            return null;
        });
    }

    @Override
    public void commit(List<MessageRecord> sends, long[] acknowledgements) throws JMSException {
        while (true) {
            Active a = reconnector.awaitActive();
            long[] ids = new long[acknowledgements.length];
            for (int i = 0; i < ids.length; i++) {
                if (!isCurrent(a, acknowledgements[i])) {
                    throw new TransactionRolledBackException("the connection to the broker was lost and"
                            + " re-established during the transaction; its received messages will be redelivered");
                }
                ids[i] = acknowledgements[i] & ID_MASK;
            }
            try {
                a.link().commit(sends, ids);
                return;
            } catch (NotSentException e) {
                // The broker never saw it: try again on the next connection.
            } catch (JMSException e) {
                if (!a.link().hasFailed()) {
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
            Active a = reconnector.awaitActive();
            topology.lock();
            try {
                if (reconnector.current() != a) {
                    continue;
                }
                consumer.open(a.link(), a.generation());
                consumers.put(consumerId, consumer);
                return;
            } catch (JMSException e) {
                if (!a.link().hasFailed()) {
                    throw e;
                }
                consumer.detach(a.link());
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
        return untilDone(a -> a.link().browse(queue, selector));
    }

    @Override
    public Address createTemporary(Address.Kind kind) throws JMSException {
        return untilDone(a -> {
            Address address = a.link().createTemporary(kind);
            temporaries.put(address, a.generation());
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
            a.link().unsubscribe(subscriptionName);
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
            Active a = reconnector.awaitActive();
            try {
                return call.call(a);
            } catch (JMSException e) {
                if (!a.link().hasFailed()) {
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
            consumer.addCredit(credit, false);
        }
    }

    @Override
    public void topUpCredit(long consumerId, int credit) throws JMSException {
        ReplayedConsumer consumer = consumers.get(consumerId);
        if (consumer != null) {
            consumer.addCredit(credit, true);
        }
    }

    @Override
    public void acknowledge(long deliveryId) throws JMSException {
        Active a = reconnector.current();
        if (!isCurrent(a, deliveryId)) {
            return;
        }
        try {
            a.link().acknowledge(deliveryId & ID_MASK);
        } catch (JMSException e) {
            if (!a.link().hasFailed()) {
                throw e;
            }
        }
    }

    /** Like {@link #acknowledge(long)}: deliveries of a lost connection are skipped. */
    @Override
    public void acknowledgeConsumed(long[] deliveryIds, int count) throws JMSException {
        Active a = reconnector.current();
        long[] ids = currentIds(a, deliveryIds, count);
        if (ids.length == 0) {
            return;
        }
        try {
            a.link().acknowledgeConsumed(ids, ids.length);
        } catch (JMSException e) {
            if (!a.link().hasFailed()) {
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
        Active a = reconnector.current();
        long[] ids = currentIds(a, deliveryIds, deliveryIds.length);
        if (ids.length == 0) {
            return;
        }
        try {
            a.link().acknowledge(ids);
        } catch (JMSException e) {
            if (!a.link().hasFailed()) {
                throw e;
            }
        }
    }

    @Override
    public void release(long[] deliveryIds, boolean delivered) throws JMSException {
        Active a = reconnector.current();
        long[] ids = currentIds(a, deliveryIds, deliveryIds.length);
        if (ids.length == 0) {
            return;
        }
        try {
            a.link().release(ids, delivered);
        } catch (JMSException e) {
            if (!a.link().hasFailed()) {
                throw e;
            }
        }
    }

    /** A temporary destination of a lost connection is gone already. */
    @Override
    public void deleteTemporary(Address address) throws JMSException {
        Long generation = temporaries.get(address);
        Active a = reconnector.current();
        if (generation == null || a == null || generation != a.generation()) {
            temporaries.remove(address);
            return;
        }
        try {
            a.link().deleteTemporary(address);
        } catch (JMSException e) {
            if (!a.link().hasFailed()) {
                throw e;
            }
        }
        temporaries.remove(address);
    }

    private static boolean isCurrent(Active a, long deliveryId) {
        return a != null && deliveryId >>> ID_BITS == a.generation() && !a.link().hasFailed();
    }

    /** The first {@code count} ids that belong to the link in use, without their generation bits. */
    private static long[] currentIds(Active a, long[] deliveryIds, int count) {
        long[] ids = new long[count];
        int current = 0;
        for (int i = 0; i < count; i++) {
            if (isCurrent(a, deliveryIds[i])) {
                ids[current++] = deliveryIds[i] & ID_MASK;
            }
        }
        return current == count ? ids : Arrays.copyOf(ids, current);
    }

    // ---- lifecycle

    /** Releases sends the current broker holds for room; a lost connection holds none. */
    @Override
    public void stopWaiting() {
        Active a = reconnector.current();
        if (a != null) {
            a.link().stopWaiting();
        }
    }

    @Override
    public void closing() {
        reconnector.closing();
    }

    @Override
    public void close() {
        reconnector.close();
    }

    // ---- what is replayed on a new link

    /** A link in use failed: what its consumers buffered goes with it. */
    private void detachConsumers(TcpBrokerLink link) {
        for (ReplayedConsumer consumer : consumers.values()) {
            consumer.detach(link);
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

    @Override
    public String toString() {
        Active a = reconnector.current();
        return "FailoverBrokerLink[" + (a == null ? "reconnecting" : a.link()) + "]";
    }
}
