package dev.courier.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
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
 * preallocated file written in place. Per group, on the writer thread:
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
 * below). Opening replays the journal's records whose sequence is above H2's
 * {@code journal_applied} (H2 lacked them: it was killed before writing them, or the machine lost
 * unsynced writes), each with its mark in one transaction, then syncs H2 and restarts the
 * journal. The mark commits atomically with its group, so a group is never applied twice nor
 * half. After a machine crash H2 opens at its newest
 * chunk whose whole chunk set is valid (its {@code findLastChunkWithCompleteValidChunkSet}); the
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
 * <h2>Deferred groups: what is consumed at once never reaches H2</h2>
 * A group whose every batch H2 cannot reject ({@link DeferredBatches#canDefer}: sends of new
 * messages, acknowledgements, delivery counts) skips step 1: it is journalled, its callers are
 * released, and it waits in {@link DeferredBatches} with its sequence. H2 gets the waiting groups,
 * netted (a message sent and acknowledged meanwhile is dropped with its acknowledgement), in one
 * transaction that sets {@code journal_applied} to the last of them: when the writer has had no
 * batch for {@link GroupCommitter#IDLE_APPLY_MILLIS}, before any group that is not deferred (H2
 * must hold everything before it judges a batch), when {@link #MAX_DEFERRED_OPERATIONS} wait or
 * their messages take {@link #MAX_DEFERRED_HEAP_SHARE} of the heap, at a checkpoint unless they
 * are carried (below), before a read ({@link #readQueue} and {@link #recover} queue an empty
 * batch, which has the writer catch up), and on close. Nothing changes for recovery: the deferred
 * groups are journal records above H2's mark, replayed in order. On a queue whose consumers keep
 * up, H2's per-message work (rows, three indexes, undo log) leaves the send path: measured on the
 * development VM, queue-p-sync 1,816 to 2,709 msg/s and queue-p-tx 33,478 to 46,713 msg/s (medians
 * of 3 alternating runs each, raw fdatasync about 3,500/s). Applying the deferred groups stays on
 * the writer thread, so commits wait while it runs: a JFR profile of queue-p-4x4 and queue-p-tx
 * over vm:// found the writer in the journal's fdatasync in 165 of its 173 native samples and in
 * H2 work (netting, applying) in 3 of its 77 Java samples, too little to justify a second thread
 * on the JDBC connection's side.
 *
 * <p>At a checkpoint the netted deferred groups are carried rather than applied when they would
 * take at most half a journal cycle ({@link #MAX_CARRY_SHARE}) and hold few acknowledgements of
 * messages H2 holds ({@link #MAX_CARRIED_H2_OPERATIONS}): H2 is synced up to its mark (the
 * group before the first deferred one), and the new cycle starts with one carry record
 * ({@link JournalCodec}) standing for every deferred group, flushed, in the half of the journal
 * the old cycle did not use, so the old cycle's records stay readable until the carry record is
 * durable ({@link CommitJournal} scans the half whose chain ends at the higher sequence).
 * Replay applies a carry record like the groups it stands for. Without carrying, each checkpoint
 * wrote a row for every message a consumer had not yet taken, to be deleted a moment later: with
 * queue-p-tx's consumer trailing by up to 20,000 messages that stalled every commit for 260 to
 * 430 ms about every 0.6 s (probe build); over {@code tcp://} it ran 36k to 94k msg/s (median
 * 57k) against 75k to 121k (median 105k) carried, six interleaved 10 s runs each. A backlog
 * that stays (no consumer) outgrows the share and goes to H2 as before.
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
 * <p>Thread-safe. Thread ownership: the writer connection, the journal, its codec and the
 * deferred groups belong to the writer thread (to the opening thread until it starts, for replay);
 * {@link #recover} reads on the caller's thread with its own connection and snapshot; open and
 * close hold this object's monitor. A directory holds one live store: H2's file lock refuses a
 * second process, and {@link #OPEN_DIRECTORIES} a second store in this JVM (where H2 would
 * silently share its database between them, with two writers).
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
     * @param maxCarriedH2Operations see {@link #MAX_CARRIED_H2_OPERATIONS}
     */
    record JournalSettings(long journalCapacity, long syncIntervalNanos, boolean holdH2Writes,
            int maxCarriedH2Operations) {

        JournalSettings(long journalCapacity, long syncIntervalNanos, boolean holdH2Writes) {
            this(journalCapacity, syncIntervalNanos, holdH2Writes, MAX_CARRIED_H2_OPERATIONS);
        }

        /**
         * A checkpoint stalls every commit while it runs: H2 gets the deferred groups (whatever
         * consumers have not acknowledged yet becomes rows, to be deleted again later) and syncs.
         * With a 16 MiB journal a persistent stream of 60,000 msg/s filled it 3 to 4 times a
         * second: queue-p-tx over tcp:// (probe build, 10 s measured) ran 39 to 46 checkpoints
         * that stalled the writer 1.0 to 1.6 s in all, up to 482 ms at once. At 64 MiB the one-second
         * interval comes first: 12 checkpoints, 0.34 s in all, at most 187 ms (two runs each;
         * throughput within noise). Those stalls were H2 getting the deferred groups, which a
         * checkpoint now carries instead when they are few (see the class comment). The file,
         * two halves of this size, is preallocated, so a store takes 128 MiB of disk from its
         * first open.
         */
        static final JournalSettings DEFAULT = new JournalSettings(64L * 1024 * 1024, 1_000_000_000L, false);
    }

    /**
     * Deferred operations beyond which a group is applied at once. The bytes they hold are bounded
     * by the journal, which holds them too; this bounds the objects. A message costs about three
     * (add, reference, acknowledgement), so a consumer may trail its producers by some 87,000
     * messages before rows are written for messages about to be acknowledged; with 1 KiB messages
     * the 64 MiB journal cycle fills first (at about 58,000), so H2 gets the deferred groups no
     * sooner than the checkpoint (which carries them instead when they are few). Each early apply
     * writes a row for every message still unconsumed and stalls every commit while it runs. At
     * 16,384 the groups were applied every 5,500 messages, and a JFR profile of queue-p-tx over
     * vm:// found the writer thread in H2 for 80% of its samples; at 65,536, queue-p-tx over
     * tcp://, whose consumer trails by thousands of messages, was applied one to four times a
     * second, stalling 50 to 465 ms each time (probe build), and ran at 33k to 93k msg/s; at
     * 262,144, 72k to 115k (six interleaved 10-12 s runs each, medians 53k and 77k). The bytes are
     * bounded by {@link #MAX_DEFERRED_HEAP_SHARE} too.
     */
    static final int MAX_DEFERRED_OPERATIONS = 262_144;

    /**
     * The share of the maximum heap the deferred messages' bytes may take before a group is
     * applied at once: H2 then holds a copy of them in its transaction while it applies them. With
     * only the journal (64 MiB) bounding them, {@code paging-soak} (32 producers, no consumer,
     * {@code -Xmx256m}) ran out of heap at its first checkpoint; at 1/16 the bound is the
     * journal's from a 1 GiB heap up.
     */
    static final int MAX_DEFERRED_HEAP_SHARE = 16;

    /**
     * At a checkpoint the deferred groups, netted, are carried into the next journal cycle when
     * they would take at most this share of it, and given to H2 otherwise.
     */
    static final int MAX_CARRY_SHARE = 2;

    /**
     * Acknowledgements and delivery counts of messages H2 holds beyond which a checkpoint gives
     * the deferred groups to H2 rather than carrying them: netting never cancels them, so carrying
     * only puts them off, and H2 copies each such message's row into its transaction's undo log
     * when it applies them. Draining a backlog from H2 (tens of thousands of acknowledgements a
     * second) thus still hands H2 its deletes at each checkpoint, not
     * {@link #MAX_DEFERRED_OPERATIONS} of them at once.
     */
    static final int MAX_CARRIED_H2_OPERATIONS = 16_384;

    /** Directories of the stores open in this JVM. */
    private static final Set<Path> OPEN_DIRECTORIES = ConcurrentHashMap.newKeySet();

    private final Path directory;
    private final Durability durability;
    private final JournalSettings settings;
    /** Journal groups replayed by the last open; read by tests. */
    private volatile long replayedGroups;
    /** Checkpoints that carried deferred groups into the next cycle; written by the writer, read by tests. */
    private volatile long carries;
    private String url;
    private CommitJournal journal;
    private final JournalCodec journalCodec = new JournalCodec();
    /** Journalled groups H2 has not applied yet; writer thread only. */
    private final DeferredBatches deferred = new DeferredBatches();
    /** Codec bytes the deferred groups may hold (see {@link #MAX_DEFERRED_HEAP_SHARE}). */
    private final long maxDeferredBytes = Runtime.getRuntime().maxMemory() / MAX_DEFERRED_HEAP_SHARE;
    /** The next group's journal sequence number; writer thread only after open. */
    private long nextGroupSequence;
    /** When H2 was last made durable ({@code CHECKPOINT SYNC}); writer thread only after open. */
    private long lastSyncNanos;
    private Connection writerConnection;
    private H2BatchWriter writer;
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
    long carries() {
        return carries;
    }

    /** Journal groups the last open replayed into H2 (groups H2's file lacked). */
    long replayedGroups() {
        return replayedGroups;
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
            nextGroupSequence = replayJournal(j, w) + 1;
            reader = new H2QueueReader(DriverManager.getConnection(url, "", ""));
            writerConnection = c;
            writer = w;
            journal = j;
            lastSyncNanos = System.nanoTime();
            committer = new GroupCommitter("courier-store-writer " + directory.getFileName(), new GroupCommitter.Handler() {
                @Override
                public List<StoreException> commitGroup(List<StoreBatch> batches, boolean sync) throws StoreException {
                    return H2MessageStore.this.commitGroup(batches, sync);
                }

                @Override
                public boolean hasDeferredWork() {
                    return H2MessageStore.this.hasDeferredWork();
                }

                @Override
                public void applyDeferred() throws StoreException {
                    applyDeferredWhenIdle();
                }
            });
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

    /**
     * Applies the journal's groups that H2 lacks (sequence above its applied mark), each with its
     * mark in one transaction, then makes H2 durable and starts a new journal cycle: only then may
     * records be overwritten. Runs on the opening thread, before the writer thread exists.
     *
     * @return the last group sequence H2 has applied
     */
    private long replayJournal(CommitJournal j, H2BatchWriter w)
            throws SQLException, StoreException, IOException {
        long[] applied = {w.journalApplied()};
        long[] replayed = {0};
        j.scan((sequence, payload) -> {
            if (sequence <= applied[0]) {
                return;
            }
            JournalCodec.Decoded record = JournalCodec.decodeRecord(payload, w.encodedCache());
            long first = record.carry() ? record.firstSequence() : sequence;
            if (first != applied[0] + 1) {
                throw new StoreException("store " + directory + " is inconsistent: its journal continues at group "
                        + first + " but H2 has applied only up to group " + applied[0]);
            }
            try {
                w.applyAll(record.batches());
                w.raiseLastMessageId(record.maxMessageId());
                w.markJournalApplied(sequence);
                w.commit();
            } catch (SQLException e) {
                throw new StoreException("cannot replay journal group " + sequence + " into store " + directory
                        + ": " + e.getMessage(), e);
            } finally {
                w.endGroup();
            }
            applied[0] = sequence;
            replayed[0]++;
        });
        replayedGroups = replayed[0];
        // Also after a SIGKILL without records to replay: what H2 holds may be in the page cache only.
        w.checkpointSync();
        j.begin();
        return applied[0];
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

    /** Runs on the writer thread only. */
    private List<StoreException> commitGroup(List<StoreBatch> batches, boolean sync) throws StoreException {
        long lastBefore = writer.lastMessageId();
        try {
            if (isReadBarrier(batches)) {
                // Only readers waiting for H2 to hold every confirmed commit: nothing to journal.
                applyDeferredBatches();
                return nulls(batches.size());
            }
            boolean defer = canDeferAll(batches);
            if (!defer) {
                // H2 must hold everything confirmed before it judges a batch it may reject.
                applyDeferredBatches();
            }
            // After applying the deferred groups, which ends their encoding cache.
            shareEncodings(batches);
            List<StoreException> results;
            long sequence = nextGroupSequence;
            if (defer) {
                results = nulls(batches.size());
            } else {
                lastBefore = writer.lastMessageId();
                results = apply(batches, lastBefore);
                writer.markJournalApplied(sequence);
                writer.commit();
            }
            nextGroupSequence++;
            journal(sequence, batches, results, sync, defer);
            return results;
        } catch (SQLException e) {
            try {
                writer.rollback(lastBefore);
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new StoreException("commit to store " + directory + " failed; reopen the store: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new StoreException("journal write of store " + directory + " failed; reopen the store: "
                    + e.getMessage(), e);
        } finally {
            writer.endGroup();
        }
    }

    /** Writer thread: the group's caller-made codec bytes into the writer's per-group cache. */
    private void shareEncodings(List<StoreBatch> batches) {
        for (StoreBatch batch : batches) {
            batch.shareEncodings(writer.encodedCache());
        }
    }

    /** Applies the group in H2's open transaction: per batch, null or the rule it broke. */
    private List<StoreException> apply(List<StoreBatch> batches, long lastBefore) throws SQLException {
        try {
            writer.applyAll(batches);
            return nulls(batches.size());
        } catch (SQLException whole) {
            writer.rollback(lastBefore);
            return writer.applyEach(batches);
        }
    }

    private boolean canDeferAll(List<StoreBatch> batches) {
        if (deferred.operations() >= MAX_DEFERRED_OPERATIONS || deferred.bytes() >= maxDeferredBytes) {
            return false;
        }
        long h2Last = writer.lastMessageId();
        for (StoreBatch batch : batches) {
            if (!deferred.canDefer(batch, h2Last)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isReadBarrier(List<StoreBatch> batches) {
        for (StoreBatch batch : batches) {
            if (!batch.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static List<StoreException> nulls(int n) {
        List<StoreException> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            results.add(null);
        }
        return results;
    }

    /**
     * Gives H2 the deferred groups, netted, in one transaction with their applied mark (writer
     * thread). H2's state then equals what applying every group in turn would have left.
     */
    private void applyDeferredBatches() throws SQLException {
        if (!deferred.isEmpty()) {
            applyDeferred(deferred.net());
        }
    }

    /** Gives H2 {@code netted}, the deferred groups' {@link DeferredBatches#net}, then forgets them. */
    private void applyDeferred(StoreBatch netted) throws SQLException {
        long lastBefore = writer.lastMessageId();
        try {
            writer.encodedCache().putAll(deferred.encodings());
            writer.applyAll(List.of(netted));
            writer.raiseLastMessageId(deferred.maxMessageId());
            writer.markJournalApplied(deferred.lastSequence());
            writer.commit();
        } catch (SQLException e) {
            writer.rollback(lastBefore);
            throw e;
        } finally {
            writer.endGroup();
        }
        deferred.clear();
    }

    /**
     * Makes the group survive a crash: one journal record, flushed (fdatasync) when a caller
     * waits and the durability is {@link Durability#FSYNC}. A group already in H2's memory is
     * then done; a deferred one waits in {@link #deferred} for H2. When the record does not fit,
     * or H2 has not been synced for {@link JournalSettings#syncIntervalNanos}, a
     * {@link #checkpoint} covers this group instead. Writer thread only.
     */
    private void journal(long sequence, List<StoreBatch> batches, List<StoreException> results, boolean sync,
            boolean defer) throws SQLException, IOException {
        ByteBuffer record = journalCodec.encode(batches, results, writer::encoded);
        long now = System.nanoTime();
        if (!journal.fits(record.limit() - CommitJournal.HEADER) || now - lastSyncNanos >= settings.syncIntervalNanos()) {
            if (defer) {
                deferred.add(batches, sequence, writer::encoded);
            }
            checkpoint();
            lastSyncNanos = now;
            return;
        }
        journal.append(sequence, record, sync && durability == Durability.FSYNC);
        if (defer) {
            deferred.add(batches, sequence, writer::encoded);
        }
    }

    /**
     * Syncs H2 and starts a new journal cycle, which the old one's records need not survive: H2
     * holds everything up to its applied mark, and the deferred groups after it either go to H2
     * first or, when their netted operations are small beside the journal
     * ({@link #MAX_CARRY_SHARE}) and touch few messages H2 holds
     * ({@link JournalSettings#maxCarriedH2Operations}), are written as the new cycle's first
     * record, a carry record, and flushed. The old cycle's half of the journal stays intact until
     * that record is durable (see {@link CommitJournal}). Carrying spares H2 the rows of messages
     * a consumer takes a moment later; a backlog that stays (no consumer) outgrows the share and
     * goes to H2. Writer thread only.
     */
    private void checkpoint() throws SQLException, IOException {
        StoreBatch netted = deferred.isEmpty() ? null : deferred.net();
        ByteBuffer carry = null;
        if (netted != null && !netted.isEmpty()
                && deferred.carrySizeEstimate(netted) <= journal.capacity() / MAX_CARRY_SHARE
                && deferred.operationsOnH2Messages(netted) <= settings.maxCarriedH2Operations()) {
            carry = journalCodec.encodeCarry(deferred.firstSequence(), deferred.maxMessageId(), netted,
                    deferred.encodings()::get);
            if (carry.limit() > journal.capacity()) {
                // Long queue names beat the estimate: H2 takes it.
                carry = null;
            }
        }
        if (carry == null && netted != null) {
            applyDeferred(netted);
        }
        // H2 holds everything up to its mark: with a carry, the groups before the first deferred one.
        writer.checkpointSync();
        journal.restart();
        if (carry != null) {
            journal.append(deferred.lastSequence(), carry, durability == Durability.FSYNC);
            deferred.carried(netted);
            carries++;
        }
    }

    /** Writer thread: whether confirmed groups wait for H2. */
    private boolean hasDeferredWork() {
        return !deferred.isEmpty();
    }

    /** Writer thread, when idle or closing: H2 gets what waits. */
    private void applyDeferredWhenIdle() throws StoreException {
        try {
            applyDeferredBatches();
        } catch (SQLException e) {
            throw new StoreException("commit to store " + directory + " failed; reopen the store: " + e.getMessage(), e);
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
            try {
                // Closing H2 writes and syncs too; done here so a failure is not hidden by the close.
                writer.checkpointSync();
            } catch (SQLException ignored) {
                // The journal still holds what H2 may lack; the next open replays it.
            }
            try {
                journal.close();
            } catch (IOException ignored) {
                // Nothing buffered in Java: records were written by append.
            }
            try {
                writer.close();
            } catch (SQLException ignored) {
                // Closing the connection below releases the statements anyway.
            }
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
