package dev.courier.store;

import dev.courier.message.MessageCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a group of {@link StoreBatch}es into JDBC work on the writer connection, with prepared
 * statements made once and JDBC batches ({@code addBatch}) shared by the whole group.
 *
 * <p>Operations are queued per statement and the statements run in a fixed order (insert
 * messages, insert references, update delivery counts, delete references, upsert
 * subscriptions, then delete messages left without references). That reorders operations, which
 * is only safe between operations that commute; operations on different messages do. So before
 * queueing an operation that touches a message for which a later-running statement is already
 * queued (say an added reference after a removal of the same message), the queued work is
 * executed first. {@code RemoveSubscription}, which deletes a whole queue's references, is
 * executed on its own after flushing. The result equals applying every operation in submission
 * order.
 *
 * <p>Thread ownership: used only by the store's writer thread (see {@link GroupCommitter}).
 */
final class H2BatchWriter implements AutoCloseable {

    private static final int INSERT_MESSAGE = 1;
    private static final int INSERT_REFERENCE = 2;
    private static final int UPDATE_COUNT = 3;
    private static final int DELETE_REFERENCE = 4;
    private static final int MERGE_SUBSCRIPTION = 5;
    /** Messages a group's encoding cache holds without growing; a larger group's cache is dropped after it. */
    private static final int SMALL_GROUP_MESSAGES = 32;

    private final Connection connection;
    private final PreparedStatement insertMessage;
    private final PreparedStatement insertReference;
    private final PreparedStatement updateCount;
    private final PreparedStatement deleteReference;
    private final PreparedStatement mergeSubscription;
    private final PreparedStatement selectSubscriptionQueue;
    private final PreparedStatement selectQueueMessages;
    private final PreparedStatement deleteQueue;
    private final PreparedStatement deleteSubscription;
    private final PreparedStatement deleteOrphan;
    private final PreparedStatement raiseLastMessageId;
    private final PreparedStatement setJournalApplied;
    private final Statement checkpoint;

    /** Statements with work queued by {@link #queue}, indexed by the constants above. */
    private final int[] queuedCounts = new int[6];
    /** Per message id, the latest-running statement queued for it. */
    private final Map<Long, Integer> queuedPhaseByMessage = new HashMap<>();
    /** Messages that lost a reference in the queued work: deleted if that was their last. */
    private final Set<Long> orphanCandidates = new LinkedHashSet<>();
    /**
     * Codec bytes of the group's messages, made once for H2 and the journal; emptied per group.
     * {@code IdentityHashMap.clear()} walks the whole table, which never shrinks, so a map grown by
     * one large group (applying deferred groups puts thousands here) is replaced, not cleared: it
     * cost every later one-message group about 10 µs on the writer thread.
     */
    private Map<StoredMessage, byte[]> encoded = newEncodedCache();
    private long nextSequence;
    private long lastMessageId;

    H2BatchWriter(Connection connection) throws SQLException {
        this.connection = connection;
        insertMessage = connection.prepareStatement("INSERT INTO " + H2Schema.MESSAGE + " (id, record) VALUES (?, ?)");
        insertReference = connection.prepareStatement("INSERT INTO " + H2Schema.REFERENCE
                + " (queue_name, message_id, delivery_count, seq) VALUES (?, ?, 0, ?)");
        updateCount = connection.prepareStatement("UPDATE " + H2Schema.REFERENCE
                + " SET delivery_count = ? WHERE queue_name = ? AND message_id = ?");
        deleteReference = connection.prepareStatement("DELETE FROM " + H2Schema.REFERENCE
                + " WHERE queue_name = ? AND message_id = ?");
        mergeSubscription = connection.prepareStatement("MERGE INTO " + H2Schema.SUBSCRIPTION
                + " (sub_key, client_id, name, topic, selector, no_local, shared, queue_name) KEY (sub_key)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        selectSubscriptionQueue = connection.prepareStatement("SELECT queue_name FROM " + H2Schema.SUBSCRIPTION
                + " WHERE sub_key = ?");
        selectQueueMessages = connection.prepareStatement("SELECT message_id FROM " + H2Schema.REFERENCE
                + " WHERE queue_name = ?");
        deleteQueue = connection.prepareStatement("DELETE FROM " + H2Schema.REFERENCE + " WHERE queue_name = ?");
        deleteSubscription = connection.prepareStatement("DELETE FROM " + H2Schema.SUBSCRIPTION + " WHERE sub_key = ?");
        deleteOrphan = connection.prepareStatement("DELETE FROM " + H2Schema.MESSAGE + " WHERE id = ?"
                + " AND NOT EXISTS (SELECT 1 FROM " + H2Schema.REFERENCE + " WHERE message_id = ?)");
        raiseLastMessageId = connection.prepareStatement("UPDATE " + H2Schema.META + " SET val = ?"
                + " WHERE name = '" + H2Schema.KEY_LAST_MESSAGE_ID + "' AND val < ?");
        setJournalApplied = connection.prepareStatement("UPDATE " + H2Schema.META + " SET val = ?"
                + " WHERE name = '" + H2Schema.KEY_JOURNAL_APPLIED + "'");
        checkpoint = connection.createStatement();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM " + H2Schema.REFERENCE)) {
            rs.next();
            nextSequence = rs.getLong(1) + 1;
        }
        Long last = H2Schema.readMeta(connection, H2Schema.KEY_LAST_MESSAGE_ID);
        lastMessageId = last == null ? 0 : last;
        connection.commit();
    }

    /**
     * Applies the group in one transaction with shared JDBC batches. On a failure the caller
     * rolls back and, to find the offending batch, uses {@link #applyEach}.
     */
    void applyAll(List<StoreBatch> batches) throws SQLException {
        long groupLast = lastMessageId;
        try {
            for (StoreBatch batch : batches) {
                for (StoreBatch.Operation op : batch.operations()) {
                    queue(op);
                }
            }
            flush();
        } finally {
            clearQueued();
        }
        for (StoreBatch batch : batches) {
            groupLast = Math.max(groupLast, maxMessageId(batch));
        }
        raiseLastMessageId(groupLast);
    }

    /**
     * Applies each batch under its own savepoint in one transaction, so a batch that violates a
     * constraint (a reference to a message that is not stored, a duplicate id) is undone alone.
     *
     * @return per batch, null or the constraint violation that rejected it
     * @throws SQLException on any other failure, which fails the group
     */
    List<StoreException> applyEach(List<StoreBatch> batches) throws SQLException {
        List<StoreException> results = new ArrayList<>(batches.size());
        long groupLast = lastMessageId;
        for (StoreBatch batch : batches) {
            Savepoint savepoint = connection.setSavepoint();
            try {
                for (StoreBatch.Operation op : batch.operations()) {
                    queue(op);
                }
                flush();
                results.add(null);
                groupLast = Math.max(groupLast, maxMessageId(batch));
            } catch (SQLException e) {
                if (!isConstraintViolation(e)) {
                    throw e;
                }
                connection.rollback(savepoint);
                results.add(new StoreException("batch rejected: " + e.getMessage(), e));
            } finally {
                clearQueued();
            }
        }
        raiseLastMessageId(groupLast);
        return results;
    }

    /**
     * Records, in the open transaction, that the journal group {@code sequence} is applied: it
     * commits atomically with the group, so recovery knows which journal records H2 already has.
     */
    void markJournalApplied(long sequence) throws SQLException {
        setJournalApplied.setLong(1, sequence);
        if (setJournalApplied.executeUpdate() != 1) {
            throw new SQLException("meta row " + H2Schema.KEY_JOURNAL_APPLIED + " is missing");
        }
    }

    /** The last journal group H2 has applied (committed; not necessarily on disk). */
    long journalApplied() throws SQLException {
        Long v = H2Schema.readMeta(connection, H2Schema.KEY_JOURNAL_APPLIED);
        connection.commit();
        return v == null ? 0 : v;
    }

    /**
     * Commits the transaction; H2 writes it to its file, unsynced, before returning (the store
     * opens H2 with {@code WRITE_DELAY=0}). Durability comes from the journal record the store
     * writes next.
     */
    void commit() throws SQLException {
        connection.commit();
    }

    /** Writes every unsaved H2 change to its file and fsyncs it ({@code CHECKPOINT SYNC}). */
    void checkpointSync() throws SQLException {
        checkpoint.execute("CHECKPOINT SYNC");
    }

    /** A message's codec bytes, encoded once per group. */
    byte[] encoded(StoredMessage m) {
        byte[] bytes = encoded.get(m);
        if (bytes == null) {
            bytes = MessageCodec.encode(m.record());
            encoded.put(m, bytes);
        }
        return bytes;
    }

    /** The per-group encoding cache, which journal replay fills with the bytes it read. */
    Map<StoredMessage, byte[]> encodedCache() {
        return encoded;
    }

    /** Forgets the group's encoded messages. */
    void endGroup() {
        if (encoded.size() > SMALL_GROUP_MESSAGES) {
            encoded = newEncodedCache();
        } else if (!encoded.isEmpty()) {
            encoded.clear();
        }
    }

    private static Map<StoredMessage, byte[]> newEncodedCache() {
        return new IdentityHashMap<>(SMALL_GROUP_MESSAGES);
    }

    /** Forgets what the failed transaction changed, including the in-memory last id. */
    void rollback(long lastMessageIdBefore) throws SQLException {
        lastMessageId = lastMessageIdBefore;
        connection.rollback();
    }

    long lastMessageId() {
        return lastMessageId;
    }

    /** A batch's own fault (SQL state class 23), as opposed to a failing database or disk. */
    private static boolean isConstraintViolation(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                String state = ((SQLException) t).getSQLState();
                if (state != null && state.startsWith("23")) {
                    return true;
                }
                SQLException next = ((SQLException) t).getNextException();
                if (next != null && next != t && next.getSQLState() != null && next.getSQLState().startsWith("23")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static long maxMessageId(StoreBatch batch) {
        long max = Long.MIN_VALUE;
        for (StoreBatch.Operation op : batch.operations()) {
            if (op instanceof StoreBatch.AddMessage) {
                max = Math.max(max, ((StoreBatch.AddMessage) op).message().id());
            }
        }
        return max;
    }

    /** Raises the highest message id H2 records (it never goes down: ids are not reused). */
    void raiseLastMessageId(long last) throws SQLException {
        if (last > lastMessageId) {
            raiseLastMessageId.setLong(1, last);
            raiseLastMessageId.setLong(2, last);
            raiseLastMessageId.executeUpdate();
            lastMessageId = last;
        }
    }

    private void queue(StoreBatch.Operation op) throws SQLException {
        if (op instanceof StoreBatch.AddMessage) {
            StoredMessage m = ((StoreBatch.AddMessage) op).message();
            byte[] record;
            try {
                record = encoded(m);
            } catch (IllegalArgumentException e) {
                throw new SQLException("message " + m.id() + " cannot be encoded: " + e.getMessage(), "23000", e);
            }
            before(m.id(), INSERT_MESSAGE);
            insertMessage.setLong(1, m.id());
            insertMessage.setBytes(2, record);
            insertMessage.addBatch();
        } else if (op instanceof StoreBatch.AddReference) {
            StoreBatch.AddReference a = (StoreBatch.AddReference) op;
            before(a.messageId(), INSERT_REFERENCE);
            insertReference.setString(1, a.queueName());
            insertReference.setLong(2, a.messageId());
            insertReference.setLong(3, nextSequence++);
            insertReference.addBatch();
        } else if (op instanceof StoreBatch.UpdateDeliveryCount) {
            StoreBatch.UpdateDeliveryCount u = (StoreBatch.UpdateDeliveryCount) op;
            before(u.messageId(), UPDATE_COUNT);
            updateCount.setInt(1, u.deliveryCount());
            updateCount.setString(2, u.queueName());
            updateCount.setLong(3, u.messageId());
            updateCount.addBatch();
        } else if (op instanceof StoreBatch.RemoveReference) {
            StoreBatch.RemoveReference r = (StoreBatch.RemoveReference) op;
            before(r.messageId(), DELETE_REFERENCE);
            deleteReference.setString(1, r.queueName());
            deleteReference.setLong(2, r.messageId());
            deleteReference.addBatch();
            orphanCandidates.add(r.messageId());
        } else if (op instanceof StoreBatch.AddSubscription) {
            SubscriptionDefinition s = ((StoreBatch.AddSubscription) op).subscription();
            queuedCounts[MERGE_SUBSCRIPTION]++;
            mergeSubscription.setString(1, SubscriptionKey.of(s));
            mergeSubscription.setString(2, s.clientId());
            mergeSubscription.setString(3, s.name());
            mergeSubscription.setString(4, s.topic());
            mergeSubscription.setString(5, s.selector());
            mergeSubscription.setBoolean(6, s.noLocal());
            mergeSubscription.setBoolean(7, s.shared());
            mergeSubscription.setString(8, s.queueName());
            mergeSubscription.addBatch();
        } else if (op instanceof StoreBatch.RemoveSubscription) {
            StoreBatch.RemoveSubscription r = (StoreBatch.RemoveSubscription) op;
            flush();
            removeSubscription(SubscriptionKey.of(r.clientId(), r.name()));
        } else {
            throw new SQLException("unknown operation " + op, "23000");
        }
    }

    /** Runs the queued work first if a statement running later than {@code phase} touches the message. */
    private void before(long messageId, int phase) throws SQLException {
        Integer queued = queuedPhaseByMessage.get(messageId);
        if (queued != null && queued > phase) {
            flush();
            queued = null;
        }
        queuedPhaseByMessage.put(messageId, queued == null ? phase : Math.max(queued, phase));
        queuedCounts[phase]++;
    }

    private void removeSubscription(String key) throws SQLException {
        selectSubscriptionQueue.setString(1, key);
        String queueName = null;
        try (ResultSet rs = selectSubscriptionQueue.executeQuery()) {
            if (rs.next()) {
                queueName = rs.getString(1);
            }
        }
        if (queueName == null) {
            return;
        }
        selectQueueMessages.setString(1, queueName);
        try (ResultSet rs = selectQueueMessages.executeQuery()) {
            while (rs.next()) {
                orphanCandidates.add(rs.getLong(1));
            }
        }
        deleteQueue.setString(1, queueName);
        deleteQueue.executeUpdate();
        deleteSubscription.setString(1, key);
        deleteSubscription.executeUpdate();
        deleteOrphans();
    }

    private void flush() throws SQLException {
        run(INSERT_MESSAGE, insertMessage);
        run(INSERT_REFERENCE, insertReference);
        run(UPDATE_COUNT, updateCount);
        run(DELETE_REFERENCE, deleteReference);
        run(MERGE_SUBSCRIPTION, mergeSubscription);
        deleteOrphans();
        queuedPhaseByMessage.clear();
    }

    private void run(int phase, PreparedStatement statement) throws SQLException {
        if (queuedCounts[phase] > 0) {
            queuedCounts[phase] = 0;
            statement.executeBatch();
        }
    }

    private void deleteOrphans() throws SQLException {
        if (orphanCandidates.isEmpty()) {
            return;
        }
        for (long id : orphanCandidates) {
            deleteOrphan.setLong(1, id);
            deleteOrphan.setLong(2, id);
            deleteOrphan.addBatch();
        }
        orphanCandidates.clear();
        deleteOrphan.executeBatch();
    }

    /** Drops queued work after a failure, so the next group starts clean. */
    private void clearQueued() throws SQLException {
        for (int phase = 1; phase < queuedCounts.length; phase++) {
            queuedCounts[phase] = 0;
        }
        for (PreparedStatement s : new PreparedStatement[] {insertMessage, insertReference, updateCount,
                deleteReference, mergeSubscription, deleteOrphan}) {
            s.clearBatch();
        }
        queuedPhaseByMessage.clear();
        orphanCandidates.clear();
    }

    @Override
    public void close() throws SQLException {
        for (Statement s : new Statement[] {insertMessage, insertReference, updateCount, deleteReference,
                mergeSubscription, selectSubscriptionQueue, selectQueueMessages, deleteQueue, deleteSubscription,
                deleteOrphan, raiseLastMessageId, setJournalApplied, checkpoint}) {
            s.close();
        }
    }
}
