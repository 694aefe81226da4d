package dev.courier.store;

import dev.courier.message.MessageCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a queue's messages after a message id for {@link H2MessageStore#readQueue}: one
 * read-only connection of its own (H2's MVCC lets it read beside the writer without blocking
 * it) and one prepared statement, walking the reference table's primary key (queue, message id).
 * The ORDER BY names both key columns: with the message id alone H2 2.3 sorts every row after
 * the cursor before applying the LIMIT (EXPLAIN shows no "index sorted"), which makes paging
 * through a long tail quadratic.
 *
 * <p>Threading: callers (a broker's pager thread, browsers) are serialized on this object.
 */
final class H2QueueReader implements AutoCloseable {

    private final Connection connection;
    private final PreparedStatement select;

    H2QueueReader(Connection connection) throws SQLException {
        this.connection = connection;
        connection.setAutoCommit(true);
        select = connection.prepareStatement("SELECT r.message_id, r.delivery_count, m.record FROM "
                + H2Schema.REFERENCE + " r JOIN " + H2Schema.MESSAGE + " m ON m.id = r.message_id"
                + " WHERE r.queue_name = ? AND r.message_id > ? ORDER BY r.queue_name, r.message_id LIMIT ?");
    }

    synchronized QueuePage read(String queueName, long afterMessageId, int maxMessages, long maxBytes)
            throws SQLException {
        select.setString(1, queueName);
        select.setLong(2, afterMessageId);
        select.setInt(3, Math.max(1, maxMessages));
        List<StoredReference> messages = new ArrayList<>(Math.min(maxMessages, 256));
        long last = afterMessageId;
        int unreadable = 0;
        long bytes = 0;
        try (ResultSet rs = select.executeQuery()) {
            while (bytes < maxBytes && rs.next()) {
                long id = rs.getLong(1);
                byte[] record = rs.getBytes(3);
                last = id;
                bytes += record.length;
                try {
                    messages.add(new StoredReference(new StoredMessage(id, MessageCodec.decode(record)), rs.getInt(2)));
                } catch (IllegalArgumentException e) {
                    unreadable++;
                }
            }
        }
        return new QueuePage(messages, last, unreadable);
    }

    @Override
    public synchronized void close() throws SQLException {
        select.close();
        connection.close();
    }
}
