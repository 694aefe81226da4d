package dev.courier.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The default durable store: an embedded H2 (MVStore) file database, {@code courier.mv.db} in a
 * directory, beside its commit journal {@code courier.journal}, with messages stored once (id, {@link dev.courier.message.MessageCodec} bytes),
 * references (queue, message id, delivery count, insertion order), durable subscriptions and a
 * format version (see {@link H2Schema}).
 *
 * <h2>Durability: H2 in memory, a commit journal on disk</h2>
 * What H2 2.3.232 does (read from its {@code TransactionStore}, {@code MVStore} and
 * {@code FileStore}): a JDBC commit marks the transaction committed in the MVStore's in-memory
 * maps; the changes reach the file when the MVStore writes a chunk, and H2 calls
 * {@code FileChannel.force} only for {@code CHECKPOINT SYNC} and on close. By default a
 * background thread writes the chunks, after a write delay; this store sets {@code WRITE_DELAY=0}
 * instead, under which H2 runs no such thread and writes a chunk (unsynced) when a transaction
 * commits, on the committing thread: the store's writer thread. The background writer is unsafe
 * for us: it captures the maps' roots one map after another while transactions go on (H2 issue
 * 2080 says so), so a chunk written while the writer thread commits can hold part of that
 * transaction's changes with its undo log already gone, and a SIGKILL right after leaves H2
 * opening with half a group: a row of group n beside a {@code journal_applied} of n - 1 (the
 * replay then fails on a duplicate key), or the mark of group n without its rows (the replay
 * skips it: a confirmed message lost). {@code H2StoreCrashTest}'s busy case caught both with a
 * short write delay (2 of some 70 kills); {@code BrokerCrashTest} had hit the first with the old
 * 500 ms delay. The price: H2 serializes its chunks on the writer thread instead of beside it.
 * The issue #8 persistent workloads moved within their noise (3 to 7 alternating runs each); a
 * store-level churn that keeps a 100,000-message backlog, more than netting removes, ran 0 to 14%
 * slower (three 60 s pairs). Without the background thread H2 does not compact either: over
 * 180 s of that churn its file peaked at 3.8 GiB, against 4.2 GiB with it (freed chunks are
 * reused either way). A chunk is 20-24 KiB appended at the file's end, and
 * fsyncing a growing file costs a file-system metadata commit each time (measured on the
 * development disk: 20 KiB append + fsync 1,871/s, 4 KiB in-place overwrite + fdatasync 6,402/s).
 * So durability comes from a write-ahead {@link CommitJournal}, {@code courier.journal}, a
 * preallocated file written in place. Per group, on the writer thread ({@link JournalledH2Writer}):
 * <ol>
 *   <li>the batches are applied in one H2 transaction that also sets the meta row
 *       {@code journal_applied} to the group's sequence number, and committed (H2 writes its
 *       chunk to the file, unsynced);</li>
 *   <li>the applied batches are written as one journal record ({@link JournalCodec}), from
 *       message bytes the committing threads encoded before queueing the batch
 *       ({@link StoreBatch}'s encoding: CPU only, so harmless on an application's thread, whereas
 *       journal I/O there would close the channel if that thread were interrupted), and, when a
 *       caller waits for the group and the durability is {@link Durability#FSYNC}, the journal is
 *       fdatasynced ({@code FileChannel.force(false)}); a group of {@link #commitLater} batches
 *       only (acknowledgements, delivery counts) is written but not flushed: the next flush
 *       carries it, and a machine crash before may undo it (a redelivery, never a loss);</li>
 *   <li>only then are the callers released.</li>
 * </ol>
 * Every second of activity, and whenever a record does not fit in the rest of the journal's
 * cycle, the group runs a checkpoint instead of writing a record: {@code CHECKPOINT SYNC} (H2's
 * file is then durable up to its mark), and the journal restarts in its other half in a new
 * cycle, whose first record carries the deferred groups H2 has not applied, if small enough (see
 * {@link JournalledH2Writer}, which also says how groups are deferred). Opening replays the
 * journal's records whose sequence is above H2's {@code journal_applied} (H2 lacked them: it was
 * killed before writing them, or the machine lost unsynced writes), each with its mark in one
 * transaction, then syncs H2 and restarts the journal. The mark commits atomically with its
 * group, so a group is never applied twice nor half. After a machine crash H2 opens at its
 * newest chunk whose whole chunk set is valid (its {@code findLastChunkWithCompleteValidChunkSet}); the
 * state of the last sync stays intact on disk because H2 reuses freed space only after its
 * retention time (45 s, left at the default), far longer than the one-second sync interval.
 * Guarantee: a confirmed commit survives SIGKILL under both settings (the record is in the
 * operating system's page cache); under {@code FSYNC} it also survives an operating-system crash
 * or power loss, as far as the disk honours flushes. {@code NO_FSYNC} never forces the journal.
 * Observed with {@code strace -f -e trace=pwrite64,fdatasync,fsync}: under {@code FSYNC} a
 * confirmed group is one {@code pwrite64} of its record and one {@code fdatasync} on the journal;
 * H2's chunk writes and an {@code fsync} of H2's file once a second come from the writer thread too.
 * {@code H2StoreCrashTest} kills committing JVMs (also with groups held in the journal only,
 * across journal wraps, and while checkpoints carry deferred groups) and finds every confirmed
 * commit; {@code H2CommitJournalTest} replays
 * groups H2 never wrote.
 *
 * <h2>Group commit</h2>
 * Concurrent {@link #commit} calls are combined by a {@link GroupCommitter}: one writer thread
 * applies every queued batch in submission order in one JDBC transaction with shared JDBC
 * batches ({@link H2BatchWriter}), commits, writes one journal record (one flush), then releases
 * all their callers.
 * A batch that violates a rule (a reference to a message that is not stored, a duplicate id or
 * reference) fails alone: the group is retried with one savepoint per batch. Any other failure
 * (I/O, a failed fsync) fails the whole group and the store: it must be reopened.
 *
 * <p>Rules shared with {@link InMemoryMessageStore}: removing a reference or updating a delivery
 * count that does not exist does nothing; adding a subscription replaces one with the same
 * client ID and name; a message without references that never lost one (added, reference still
 * to come in a later batch) is kept.
 *
 * <p>Thread-safe. Thread ownership: the writer connection and the {@link JournalledH2Writer}
 * (journal, codec, deferred groups) belong to the writer thread (to the opening thread until it
 * starts, for replay); {@link #recover} reads on the caller's thread with its own connection
 * and snapshot; open and close hold this object's monitor. A directory holds one live store:
 * H2's file lock refuses a second process, and {@link #OPEN_DIRECTORIES} a second store in this
 * JVM (where H2 would silently share its database between them, with two writers).
 */
public final class H2MessageStore implements MessageStore {

    /** The database file name, without H2's {@code .mv.db} suffix. */
    static final String DATABASE_NAME = "courier";

    /**
     * How the journal and H2 share the work; only tests change the defaults.
     *
     * @param journalCapacity    bytes in each of the journal file's two halves: one cycle's room
     * @param syncIntervalNanos  longest time H2 goes without {@code CHECKPOINT SYNC} while
     *                           groups are committed (H2 reuses freed file space only after 45 s,
     *                           so the last synced state stays intact on disk meanwhile)
     * @param holdH2Writes       tests only: H2 keeps committed changes in memory for an hour
     *                           instead of writing them at each commit, so only the journal
     *                           holds them (see the class comment for why production must not)
     * @param maxCarriedH2Operations see {@link JournalledH2Writer#MAX_CARRIED_H2_OPERATIONS}
     */
    record JournalSettings(long journalCapacity, long syncIntervalNanos, boolean holdH2Writes,
            int maxCarriedH2Operations) {

        JournalSettings(long journalCapacity, long syncIntervalNanos, boolean holdH2Writes) {
            this(journalCapacity, syncIntervalNanos, holdH2Writes, JournalledH2Writer.MAX_CARRIED_H2_OPERATIONS);
        }

        /**
         * A checkpoint stalls every commit while it runs: H2 gets the deferred groups (whatever
         * consumers have not acknowledged yet becomes rows, to be deleted again later) and syncs.
         * With a 16 MiB journal a persistent stream of 60,000 msg/s filled it 3 to 4 times a
         * second: queue-p-tx over tcp:// (probe build, 10 s measured) ran 39 to 46 checkpoints
         * that stalled the writer 1.0 to 1.6 s in all, up to 482 ms at once. At 64 MiB the one-second
         * interval comes first: 12 checkpoints, 0.34 s in all, at most 187 ms (two runs each;
         * throughput within noise). Those stalls were H2 getting the deferred groups, which a
         * checkpoint now carries instead when they are few (see {@link JournalledH2Writer}). The file,
         * two halves of this size, is preallocated, so a store takes 128 MiB of disk from its
         * first open.
         */
        static final JournalSettings DEFAULT = new JournalSettings(64L * 1024 * 1024, 1_000_000_000L, false);
    }

    /** Directories of the stores open in this JVM. */
    private static final Set<Path> OPEN_DIRECTORIES = ConcurrentHashMap.newKeySet();

    private final Path directory;
    private final Durability durability;
    private final JournalSettings settings;
    private String url;
    private Connection writerConnection;
    /** The writer thread's side: groups into H2 and the journal; set by {@link #open}. */
    private JournalledH2Writer journalledWriter;
    private H2QueueReader reader;
    /** Set once by {@link #open}; volatile so commits need not take the monitor. */
    private volatile GroupCommitter committer;
    private boolean closed;

    /** A store in {@code directory} (created if missing) that fsyncs each group commit. */
    public H2MessageStore(Path directory) {
        this(directory, Durability.FSYNC);
    }

    /** A store in {@code directory} (created if missing) with the given durability. */
    public H2MessageStore(Path directory, Durability durability) {
        this(directory, durability, JournalSettings.DEFAULT);
    }

    /** A store with other journal settings (tests: a small journal that wraps, H2 writes held back). */
    H2MessageStore(Path directory, Durability durability, JournalSettings settings) {
        this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
        this.durability = Objects.requireNonNull(durability, "durability");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public Path directory() {
        return directory;
    }

    public Durability durability() {
        return durability;
    }

    @Override
    public void recover(RecoveryVisitor visitor) throws StoreException {
        // On an open store H2 may lag behind the journal: an empty batch has the writer catch up.
        open().commit(new StoreBatch());
        try (Connection c = DriverManager.getConnection(url, "", "")) {
            H2Recovery.replay(c, visitor);
        } catch (SQLException e) {
            throw new StoreException("cannot read store " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void commit(StoreBatch batch) throws StoreException {
        GroupCommitter c = committer;
        // On the caller's thread, so the writer thread only copies bytes (see StoreBatch#encodeMessages).
        batch.encodeMessages();
        (c != null ? c : open()).commit(batch);
    }

    @Override
    public void commitThen(StoreBatch batch, Consumer<StoreException> whenDone) {
        try {
            GroupCommitter c = committer;
            batch.encodeMessages();
            (c != null ? c : open()).commitThen(batch, whenDone);
        } catch (StoreException e) {
            whenDone.accept(e);
        }
    }

    @Override
    public void commitLater(StoreBatch batch) throws StoreException {
        GroupCommitter c = committer;
        batch.encodeMessages();
        (c != null ? c : open()).submit(batch);
    }

    @Override
    public QueuePage readQueue(String queueName, long afterMessageId, int maxMessages, long maxBytes)
            throws StoreException {
        H2QueueReader r;
        GroupCommitter c;
        synchronized (this) {
            c = open();
            r = reader;
        }
        // H2 must hold every commit that returned: an empty batch has the writer apply what it deferred.
        c.commit(new StoreBatch());
        try {
            return r.read(queueName, afterMessageId, maxMessages, maxBytes);
        } catch (SQLException e) {
            throw new StoreException("cannot read queue " + queueName + " from store " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Group commits started so far (one journal record or H2 sync each), for measuring batching. */
    synchronized long groupCount() {
        return committer == null ? 0 : committer.groups();
    }

    /** Checkpoints so far that carried deferred groups into the next journal cycle. */
    synchronized long carries() {
        return journalledWriter == null ? 0 : journalledWriter.carries();
    }

    /** Journal groups the last open replayed into H2 (groups H2's file lacked). */
    synchronized long replayedGroups() {
        return journalledWriter == null ? 0 : journalledWriter.replayedGroups();
    }

    /** Opens the database on first use; later calls return the open committer. */
    private synchronized GroupCommitter open() throws StoreException {
        if (closed) {
            throw new StoreException("store " + directory + " is closed");
        }
        if (committer != null) {
            return committer;
        }
        if (directory.toString().indexOf(';') >= 0) {
            // H2 would read what follows a ';' in its URL as settings.
            throw new StoreException("store directory " + directory + " contains ';', which H2 URLs cannot hold");
        }
        if (!OPEN_DIRECTORIES.add(directory)) {
            throw new StoreException("store " + directory + " is already open in this JVM");
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            OPEN_DIRECTORIES.remove(directory);
            throw new StoreException("cannot create store directory " + directory + ": " + e.getMessage(), e);
        }
        // WRITE_DELAY=0: H2 writes a transaction's changes to its file (unsynced) when it commits,
        // on the committing thread, and runs no background writer, whose chunks could tear a
        // transaction (see the class comment). DB_CLOSE_ON_EXIT=FALSE: H2's shutdown hook must
        // not close the database under a commit in progress; close() does it. The database is
        // closed when the writer connection (the last one) closes.
        url = "jdbc:h2:file:" + directory.resolve(DATABASE_NAME) + ";WRITE_DELAY=" + (settings.holdH2Writes() ? 3_600_000 : 0)
                + ";DB_CLOSE_ON_EXIT=FALSE";
        Connection c = null;
        CommitJournal j = null;
        try {
            c = DriverManager.getConnection(url, "", "");
            c.setAutoCommit(false);
            H2Schema.open(c, directory.toString());
            H2BatchWriter w = new H2BatchWriter(c);
            j = CommitJournal.open(directory.resolve(CommitJournal.FILE_NAME), settings.journalCapacity());
            JournalledH2Writer g = JournalledH2Writer.replay(directory, durability, settings, w, j);
            reader = new H2QueueReader(DriverManager.getConnection(url, "", ""));
            writerConnection = c;
            journalledWriter = g;
            committer = new GroupCommitter("courier-store-writer " + directory.getFileName(), g);
            return committer;
        } catch (SQLException e) {
            closeQuietly(c, j);
            OPEN_DIRECTORIES.remove(directory);
            throw new StoreException(describe(e), e);
        } catch (IOException e) {
            closeQuietly(c, j);
            OPEN_DIRECTORIES.remove(directory);
            throw new StoreException("cannot open journal of store " + directory + ": " + e.getMessage(), e);
        } catch (StoreException | RuntimeException e) {
            closeQuietly(c, j);
            OPEN_DIRECTORIES.remove(directory);
            throw e;
        }
    }

    private String describe(SQLException e) {
        switch (e.getErrorCode()) {
            case 90020:
                return "store " + directory + " is in use by another process: " + e.getMessage();
            case 90030:
            case 90048:
            case 90049:
                return "store " + directory + " is not a readable H2 database (corrupt, or not an H2 file): "
                        + e.getMessage();
            default:
                return "cannot open store " + directory + ": " + e.getMessage();
        }
    }

    /** Commits what callers already queued, then closes the database (H2 writes and syncs on close). */
    @Override
    public void close() {
        GroupCommitter c;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            c = committer;
        }
        if (c != null) {
            c.close();
            journalledWriter.close();
            try {
                reader.close();
            } catch (SQLException ignored) {
                // Read-only: nothing of it needs saving.
            }
            closeQuietly(writerConnection);
            OPEN_DIRECTORIES.remove(directory);
        }
    }

    private static void closeQuietly(Connection c, CommitJournal j) {
        closeQuietly(c);
        if (j != null) {
            try {
                j.close();
            } catch (IOException ignored) {
                // Opening failed already; that failure is the one reported.
            }
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // Nothing more to release; the database file stays consistent (MVStore chunks).
            }
        }
    }
}
