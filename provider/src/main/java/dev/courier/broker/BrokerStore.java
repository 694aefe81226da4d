package dev.courier.broker;

import dev.courier.store.MessageStore;
import dev.courier.store.StoreBatch;
import dev.courier.store.StoreException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The broker's use of its {@link MessageStore}: which messages are stored, the ids they get,
 * the names queues have in the store, and store failures as broker errors. With no store
 * (a non-persistent broker) every operation is skipped.
 *
 * <p>Thread-safe: the store does its own group commit; ids come from an atomic counter.
 */
final class BrokerStore {

    private static final System.Logger LOG = System.getLogger(BrokerStore.class.getName());

    private final MessageStore store;
    private final AtomicLong lastMessageId = new AtomicLong();

    BrokerStore(MessageStore store) {
        this.store = store;
    }

    boolean isEnabled() {
        return store != null;
    }

    MessageStore store() {
        return store;
    }

    /** Whether a message put on this queue must be stored first. */
    boolean stores(boolean persistent, MessageQueue queue) {
        return store != null && persistent && queue.storeName() != null;
    }

    long nextMessageId() {
        return lastMessageId.incrementAndGet();
    }

    /** Ids continue past what the store already holds. */
    void recoveredMessageId(long id) {
        lastMessageId.accumulateAndGet(id, Math::max);
    }

    /** Makes the batch durable; a failure refuses the operation that needed it. */
    void commit(StoreBatch batch) throws BrokerException {
        if (store == null || batch.isEmpty()) {
            return;
        }
        try {
            store.commit(batch);
        } catch (StoreException e) {
            throw storeFailed(e);
        }
    }

    /**
     * Makes the batch durable without waiting: {@code whenDone} runs once, with null or the
     * failure as a broker error, on the store's thread (see {@link MessageStore#commitThen}), or
     * at once when there is nothing to store.
     */
    void commitThen(StoreBatch batch, Consumer<BrokerException> whenDone) {
        if (store == null || batch.isEmpty()) {
            whenDone.accept(null);
            return;
        }
        store.commitThen(batch, failure -> whenDone.accept(failure == null ? null : storeFailed(failure)));
    }

    private static BrokerException storeFailed(StoreException e) {
        return new BrokerException(ErrorCode.GENERAL, "the message store failed: " + e.getMessage());
    }

    /**
     * Queues the batch for the store's next group commit without waiting, where losing it in a
     * crash only means a redelivery (acknowledgements, delivery counts). A failure is logged.
     */
    void commitLater(StoreBatch batch) {
        if (store == null || batch.isEmpty()) {
            return;
        }
        try {
            store.commitLater(batch);
        } catch (StoreException e) {
            LOG.log(System.Logger.Level.ERROR, "the message store failed: " + e.getMessage());
        }
    }

    /** Makes the batch durable where no caller can be refused; a failure is logged and returns false. */
    boolean commitOrLog(StoreBatch batch) {
        try {
            commit(batch);
            return true;
        } catch (BrokerException e) {
            LOG.log(System.Logger.Level.ERROR, e.getMessage());
            return false;
        }
    }

    static String queueStoreName(String queueName) {
        return "queue:" + queueName;
    }

    static String subscriptionStoreName(String clientId, String subscriptionName) {
        // The length prefix keeps "a:b" + "c" apart from "a" + "b:c".
        String client = clientId == null ? "" : clientId;
        return "subscription:" + client.length() + ":" + client + ":" + subscriptionName;
    }

    void close() {
        if (store != null) {
            store.close();
        }
    }
}
