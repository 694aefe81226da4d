package dev.courier.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The writer thread's side of {@link H2MessageStore}: what happens to each group the
 * {@link GroupCommitter} hands over. A group goes to H2 at once or waits as a deferred group,
 * is written to the {@link CommitJournal} as one record (flushed when a caller waits), and now
 * and then a checkpoint syncs H2 and starts the journal's next cycle. At open it replays the
 * journal's groups H2 lacks. {@link H2MessageStore}'s class comment says why the journal makes
 * the store durable and H2 need not be synced per group.
 *
 * <h2>Deferred groups: what is consumed at once never reaches H2</h2>
 * A group whose every batch H2 cannot reject ({@link DeferredBatches#canDefer}: sends of new
 * messages, acknowledgements, delivery counts) skips H2's transaction (step 1 in {@link H2MessageStore}): it is journalled, its callers are
 * released, and it waits in {@link DeferredBatches} with its sequence. H2 gets the waiting groups,
 * netted (a message sent and acknowledged meanwhile is dropped with its acknowledgement), in one
 * transaction that sets {@code journal_applied} to the last of them: when the writer has had no
 * batch for {@link GroupCommitter#IDLE_APPLY_MILLIS}, before any group that is not deferred (H2
 * must hold everything before it judges a batch), when {@link #MAX_DEFERRED_OPERATIONS} wait or
 * their messages take {@link #MAX_DEFERRED_HEAP_SHARE} of the heap, at a checkpoint unless they
 * are carried (below), before a read ({@link H2MessageStore#readQueue} and
 * {@link H2MessageStore#recover} queue an empty batch, which has the writer catch up), and on
 * close. Nothing changes for recovery: the deferred
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
 * <p>Thread ownership: the H2 batch writer (its JDBC connection), the journal, its codec and the
 * deferred groups belong to the store's writer thread, and to the opening thread before that
 * thread starts (for the replay). {@link #carries} and {@link #replayedGroups} are read by tests
 * on other threads.
 */
final class JournalledH2Writer implements GroupCommitter.Handler {

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

    private final Path directory;
    private final Durability durability;
    private final H2MessageStore.JournalSettings settings;
    private final H2BatchWriter writer;
    private final CommitJournal journal;
    private final JournalCodec journalCodec = new JournalCodec();
    /** Journalled groups H2 has not applied yet. */
    private final DeferredBatches deferred = new DeferredBatches();
    /** Codec bytes the deferred groups may hold (see {@link #MAX_DEFERRED_HEAP_SHARE}). */
    private final long maxDeferredBytes = Runtime.getRuntime().maxMemory() / MAX_DEFERRED_HEAP_SHARE;
    /** Journal groups the replay applied to H2; read by tests. */
    private volatile long replayedGroups;
    /** Checkpoints that carried deferred groups into the next cycle; read by tests. */
    private volatile long carries;
    /** The next group's journal sequence number. */
    private long nextGroupSequence;
    /** When H2 was last made durable ({@code CHECKPOINT SYNC}). */
    private long lastSyncNanos;

    private JournalledH2Writer(Path directory, Durability durability, H2MessageStore.JournalSettings settings,
            H2BatchWriter writer, CommitJournal journal) {
        this.directory = directory;
        this.durability = durability;
        this.settings = settings;
        this.writer = writer;
        this.journal = journal;
    }

    /**
     * Replays the journal's groups that H2 lacks, on the calling thread, and starts a new journal
     * cycle; the writer returned then belongs to the store's writer thread. {@code directory}
     * names the store in errors.
     */
    static JournalledH2Writer replay(Path directory, Durability durability, H2MessageStore.JournalSettings settings,
            H2BatchWriter writer, CommitJournal journal) throws SQLException, StoreException, IOException {
        JournalledH2Writer w = new JournalledH2Writer(directory, durability, settings, writer, journal);
        w.nextGroupSequence = w.replayJournal() + 1;
        w.lastSyncNanos = System.nanoTime();
        return w;
    }

    /** Checkpoints so far that carried deferred groups into the next journal cycle. */
    long carries() {
        return carries;
    }

    /** Journal groups the replay applied to H2 (groups H2's file lacked). */
    long replayedGroups() {
        return replayedGroups;
    }

    /**
     * Applies the journal's groups that H2 lacks (sequence above its applied mark), each with its
     * mark in one transaction, then makes H2 durable and starts a new journal cycle: only then may
     * records be overwritten. Runs on the opening thread, before the writer thread exists.
     *
     * @return the last group sequence H2 has applied
     */
    private long replayJournal()
            throws SQLException, StoreException, IOException {
        long[] applied = {writer.journalApplied()};
        long[] replayed = {0};
        journal.scan((sequence, payload) -> {
            if (sequence <= applied[0]) {
                return;
            }
            JournalCodec.Decoded record = JournalCodec.decodeRecord(payload, writer.encodedCache());
            long first = record.carry() ? record.firstSequence() : sequence;
            if (first != applied[0] + 1) {
                throw new StoreException("store " + directory + " is inconsistent: its journal continues at group "
                        + first + " but H2 has applied only up to group " + applied[0]);
            }
            try {
                writer.applyAll(record.batches());
                writer.raiseLastMessageId(record.maxMessageId());
                writer.markJournalApplied(sequence);
                writer.commit();
            } catch (SQLException e) {
                throw new StoreException("cannot replay journal group " + sequence + " into store " + directory
                        + ": " + e.getMessage(), e);
            } finally {
                writer.endGroup();
            }
            applied[0] = sequence;
            replayed[0]++;
        });
        replayedGroups = replayed[0];
        // Also after a SIGKILL without records to replay: what H2 holds may be in the page cache only.
        writer.checkpointSync();
        journal.begin();
        return applied[0];
    }

    @Override
    public List<StoreException> commitGroup(List<StoreBatch> batches, boolean sync) throws StoreException {
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
            applyNetted(deferred.net());
        }
    }

    /** Gives H2 {@code netted}, the deferred groups' {@link DeferredBatches#net}, then forgets them. */
    private void applyNetted(StoreBatch netted) throws SQLException {
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
            applyNetted(netted);
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

    /** Whether confirmed groups wait for H2. */
    @Override
    public boolean hasDeferredWork() {
        return !deferred.isEmpty();
    }

    /** When the writer is idle or closing: H2 gets what waits. */
    @Override
    public void applyDeferred() throws StoreException {
        try {
            applyDeferredBatches();
        } catch (SQLException e) {
            throw new StoreException("commit to store " + directory + " failed; reopen the store: " + e.getMessage(), e);
        }
    }

    /**
     * After the writer thread ended: syncs H2 and closes the journal and the batch writer's
     * statements. Failures are ignored: the journal still holds what H2 may lack, and the next
     * open replays it.
     */
    void close() {
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
            // Closing the connection releases the statements anyway.
        }
    }
}
