package dev.courier.store;

import java.util.function.Consumer;

/**
 * Where a broker keeps what must survive a restart: persistent messages, which queues and
 * durable subscriptions hold them (with their delivery counts), durable subscription
 * definitions, and scheduled (delayed) messages.
 *
 * <p>A message is stored once ({@link StoredMessage}) and referenced by each queue or durable
 * subscription that holds it; it is deleted with its last reference. All changes go through
 * {@link #commit(StoreBatch)}, which applies a batch atomically and returns only once it is
 * durable (per the store's durability setting). Implementations batch the commits of
 * concurrent callers into one durable write (group commit).
 *
 * <p>Implementations are thread-safe. The SPI names no broker type, so a PostgreSQL (or any
 * other) implementation needs no broker change.
 */
public interface MessageStore extends AutoCloseable {

    /**
     * Opens the store and replays its content into {@code visitor}: subscriptions first, then
     * every message reference in the order it was added (per queue). Corrupt rows are reported to
     * the visitor and skipped.
     *
     * @throws StoreException when the data cannot be read at all (for example an unknown format version)
     */
    void recover(RecoveryVisitor visitor) throws StoreException;

    /** Applies every operation of the batch atomically; returns once it is durable. */
    void commit(StoreBatch batch) throws StoreException;

    /**
     * Applies the batch as {@link #commit} does, without waiting for it: {@code whenDone} runs
     * once, with null when the batch is durable or with the failure that refused it, in
     * submission order relative to the other batches. For callers that must not hold a thread
     * while the disk works (the TCP server). It runs on the store's thread (or on the caller's,
     * when the outcome is known at once) and must not block: every later commit waits for it.
     * This method itself must not wait for I/O either: the TCP server calls it on its selector
     * thread.
     */
    void commitThen(StoreBatch batch, Consumer<StoreException> whenDone);

    /**
     * Applies the batch atomically with a later group and returns without waiting, for changes
     * whose loss in a crash only means a redelivery (acknowledgements, delivery counts). Batches
     * still apply in the order they were submitted, relative to {@link #commit} calls too.
     */
    default void commitLater(StoreBatch batch) throws StoreException {
        commit(batch);
    }

    /**
     * Reads the next messages a queue holds, in ascending message id (the order the broker gave
     * them ids, which is arrival order per producer), starting after {@code afterMessageId}. Sees
     * every commit that returned before the call. Used by a broker to page a backlog that it does
     * not keep in memory back in, and to browse it.
     *
     * @param maxMessages at most this many rows are scanned (at least 1)
     * @param maxBytes    reading stops after the row that reaches this many bytes of encoded messages
     */
    QueuePage readQueue(String queueName, long afterMessageId, int maxMessages, long maxBytes) throws StoreException;

    /** Flushes and closes; later calls fail. Idempotent. */
    @Override
    void close();
}
