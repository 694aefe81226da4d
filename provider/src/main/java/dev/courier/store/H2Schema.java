package dev.courier.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * The H2 store's tables and their format version: creates them in an empty database, checks the
 * version of an existing one and refuses one it cannot read. Used once, on open, by the thread
 * opening the store.
 */
final class H2Schema {

    /** The layout of the tables below; bump it (and teach {@link #open} the old one) on any change. */
    static final int FORMAT_VERSION = 2;

    static final String META = "COURIER_META";
    static final String MESSAGE = "COURIER_MESSAGE";
    static final String REFERENCE = "COURIER_REFERENCE";
    static final String SUBSCRIPTION = "COURIER_SUBSCRIPTION";

    static final String KEY_FORMAT_VERSION = "format_version";
    static final String KEY_LAST_MESSAGE_ID = "last_message_id";
    /** The last commit-journal group applied (version 2; see {@link CommitJournal}). */
    static final String KEY_JOURNAL_APPLIED = "journal_applied";

    private H2Schema() {
    }

    /**
     * Creates the tables in a new database, or checks an existing database's version.
     *
     * @throws StoreException when the database holds something other than a Courier store, or a
     *                        format version this code does not know
     */
    static void open(Connection c, String where) throws SQLException, StoreException {
        Set<String> tables = tables(c);
        if (tables.contains(META)) {
            Long version = readMeta(c, KEY_FORMAT_VERSION);
            if (version != null) {
                if (version == 1) {
                    upgradeFromVersion1(c);
                    return;
                }
                if (version != FORMAT_VERSION) {
                    throw new StoreException("store " + where + " has format version " + version
                            + "; this Courier reads versions 1 to " + FORMAT_VERSION);
                }
                return;
            }
        }
        Set<String> foreign = new HashSet<>(tables);
        foreign.removeAll(Set.of(META, MESSAGE, REFERENCE, SUBSCRIPTION));
        if (!foreign.isEmpty()) {
            throw new StoreException("store " + where + " is an H2 database but not a Courier store (tables "
                    + foreign + ")");
        }
        create(c);
    }

    /**
     * Creates whatever is missing, idempotently, and writes the version last: a crash during
     * creation leaves a database without a version, which the next open completes.
     */
    private static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + MESSAGE + " (id BIGINT PRIMARY KEY, record VARBINARY NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS " + REFERENCE + " (queue_name VARCHAR NOT NULL,"
                    + " message_id BIGINT NOT NULL REFERENCES " + MESSAGE + "(id),"
                    + " delivery_count INT NOT NULL, seq BIGINT NOT NULL,"
                    + " PRIMARY KEY (queue_name, message_id))");
            s.execute("CREATE INDEX IF NOT EXISTS COURIER_REFERENCE_ORDER ON " + REFERENCE + " (queue_name, seq)");
            s.execute("CREATE TABLE IF NOT EXISTS " + SUBSCRIPTION + " (sub_key VARCHAR PRIMARY KEY,"
                    + " client_id VARCHAR, name VARCHAR NOT NULL, topic VARCHAR NOT NULL, selector VARCHAR,"
                    + " no_local BOOLEAN NOT NULL, shared BOOLEAN NOT NULL, queue_name VARCHAR NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS " + META + " (name VARCHAR PRIMARY KEY, val BIGINT NOT NULL)");
            s.execute("MERGE INTO " + META + " KEY (name) VALUES ('" + KEY_LAST_MESSAGE_ID + "', 0)");
            s.execute("MERGE INTO " + META + " KEY (name) VALUES ('" + KEY_JOURNAL_APPLIED + "', 0)");
            s.execute("MERGE INTO " + META + " KEY (name) VALUES ('" + KEY_FORMAT_VERSION + "', " + FORMAT_VERSION + ")");
            c.commit();
            s.execute("CHECKPOINT SYNC");
        }
    }

    /**
     * Version 1 (before the commit journal) had no journal: it gains the applied-group row, at 0,
     * and version 2, in one transaction. A version-1 Courier then refuses the store, as it must:
     * it would ignore journal records H2 does not have yet.
     */
    private static void upgradeFromVersion1(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("MERGE INTO " + META + " KEY (name) VALUES ('" + KEY_JOURNAL_APPLIED + "', 0)");
            s.execute("UPDATE " + META + " SET val = " + FORMAT_VERSION + " WHERE name = '" + KEY_FORMAT_VERSION + "'");
            c.commit();
            s.execute("CHECKPOINT SYNC");
        }
    }

    static Long readMeta(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT val FROM " + META + " WHERE name = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static Set<String> tables(Connection c) throws SQLException {
        Set<String> names = new HashSet<>();
        DatabaseMetaData md = c.getMetaData();
        try (ResultSet rs = md.getTables(null, "PUBLIC", "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME"));
            }
        }
        return names;
    }
}
