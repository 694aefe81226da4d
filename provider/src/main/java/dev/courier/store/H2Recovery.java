package dev.courier.store;

import dev.courier.message.MessageCodec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Replays an H2 store into a {@link RecoveryVisitor}: subscriptions, then references by queue
 * in insertion order with their messages, then the last message id. Runs on the caller's thread
 * with its own connection, in one snapshot transaction, streaming rows (lazy query execution)
 * so a large backlog is not materialized twice.
 */
final class H2Recovery {

    /** Shares one decoded record among the queues holding it (topic fan-out) without keeping all. */
    private static final int DECODED_CACHE = 1024;

    private H2Recovery() {
    }

    static void replay(Connection c, RecoveryVisitor visitor) throws SQLException {
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try (Statement s = c.createStatement()) {
            s.execute("SET LAZY_QUERY_EXECUTION TRUE");
            try (ResultSet rs = s.executeQuery("SELECT client_id, name, topic, selector, no_local, shared, queue_name"
                    + " FROM " + H2Schema.SUBSCRIPTION + " ORDER BY sub_key")) {
                while (rs.next()) {
                    visitor.subscription(new SubscriptionDefinition(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getBoolean(5), rs.getBoolean(6), rs.getString(7)));
                }
            }
            Map<Long, StoredMessage> decoded = new LinkedHashMap<>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, StoredMessage> eldest) {
                    return size() > DECODED_CACHE;
                }
            };
            try (ResultSet rs = s.executeQuery("SELECT r.queue_name, r.message_id, r.delivery_count, m.record"
                    + " FROM " + H2Schema.REFERENCE + " r JOIN " + H2Schema.MESSAGE + " m ON m.id = r.message_id"
                    + " ORDER BY r.queue_name, r.seq")) {
                while (rs.next()) {
                    String queue = rs.getString(1);
                    long id = rs.getLong(2);
                    if (!visitor.wantsMessage(queue, id)) {
                        visitor.pagedReference(queue, id);
                        continue;
                    }
                    StoredMessage message = decoded.get(id);
                    if (message == null) {
                        try {
                            message = new StoredMessage(id, MessageCodec.decode(rs.getBytes(4)));
                        } catch (IllegalArgumentException e) {
                            visitor.corrupt("message " + id + " held by queue " + queue, e);
                            continue;
                        }
                        decoded.put(id, message);
                    }
                    visitor.reference(queue, message, rs.getInt(3));
                }
            }
            Long recorded = H2Schema.readMeta(c, H2Schema.KEY_LAST_MESSAGE_ID);
            long last = recorded == null ? 0 : recorded;
            try (ResultSet rs = s.executeQuery("SELECT MAX(id) FROM " + H2Schema.MESSAGE)) {
                if (rs.next()) {
                    last = Math.max(last, rs.getLong(1));
                }
            }
            visitor.lastMessageId(last);
        } finally {
            c.rollback();
        }
    }
}
