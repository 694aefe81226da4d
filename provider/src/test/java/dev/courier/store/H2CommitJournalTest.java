package dev.courier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.message.Address;
import dev.courier.message.BodyType;
import dev.courier.message.MessageRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The H2 store's use of its {@link CommitJournal}: replay of what H2's file lacks, wrapping, old stores. */
class H2CommitJournalTest {

    /** H2 writes nothing by itself for an hour and is never synced by time: only the journal has the groups. */
    private static final H2MessageStore.JournalSettings HELD_BACK =
            new H2MessageStore.JournalSettings(1024 * 1024, Long.MAX_VALUE, true);

    /** Like {@link #HELD_BACK} with 16 KiB halves: a cycle ends every hundred-odd sends. */
    private static final H2MessageStore.JournalSettings SMALL =
            new H2MessageStore.JournalSettings(16 * 1024, Long.MAX_VALUE, true);

    @TempDir
    Path dir;

    private Path data() {
        return dir.resolve("data");
    }

    private Connection raw() throws Exception {
        return DriverManager.getConnection("jdbc:h2:file:" + data().resolve(H2MessageStore.DATABASE_NAME)
                + ";IFEXISTS=TRUE", "", "");
    }

    private static StoreBatch send(long id) {
        MessageRecord r = MessageRecord.builder().messageId("ID:" + id).destination(Address.queue("q"))
                .body(BodyType.TEXT, "body " + id).build();
        return new StoreBatch().addMessage(new StoredMessage(id, r)).addReference("q", id);
    }

    private static List<String> queue(H2MessageStore store) throws Exception {
        return RecordingVisitor.recover(store).queue("q");
    }

    private static List<String> expected(long from, long to) {
        List<String> refs = new ArrayList<>();
        for (long id = from; id <= to; id++) {
            refs.add(id + ":0");
        }
        return refs;
    }

    /**
     * Stops H2 the way a kill would: {@code SHUTDOWN IMMEDIATELY} closes the database without
     * writing what is still in its memory. The store object is then dead and is closed.
     */
    private void killH2(H2MessageStore store) throws Exception {
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN IMMEDIATELY");
        }
        store.close();
    }

    @Test
    void groupsThatH2NeverWroteAreReplayedFromTheJournal() throws Exception {
        H2MessageStore store = new H2MessageStore(data(), Durability.FSYNC, HELD_BACK);
        store.commit(send(1));
        store.commit(send(2).removeReference("q", 1));
        store.commitLater(new StoreBatch().updateDeliveryCount("q", 2, 4));
        store.commit(send(3));
        killH2(store);
        try (Connection c = raw(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + H2Schema.MESSAGE)) {
            rs.next();
            assertEquals(0, rs.getLong(1), "H2's file should not hold the groups: nothing to replay");
        }

        try (H2MessageStore reopened = new H2MessageStore(data(), Durability.FSYNC)) {
            assertEquals(List.of("2:4", "3:0"), queue(reopened));
            // The acknowledgement-only group may have been joined by the next commit.
            assertTrue(reopened.replayedGroups() >= 3, "replayed " + reopened.replayedGroups());
            reopened.commit(send(4));
        }
        try (H2MessageStore again = new H2MessageStore(data(), Durability.FSYNC)) {
            assertEquals(List.of("2:4", "3:0", "4:0"), queue(again));
            assertEquals(0, again.replayedGroups(), "a clean close leaves nothing to replay");
        }
    }

    @Test
    void replayAfterAReplayDoesNotRepeatOrLoseGroups() throws Exception {
        H2MessageStore store = new H2MessageStore(data(), Durability.FSYNC, HELD_BACK);
        store.commit(send(1));
        killH2(store);
        store = new H2MessageStore(data(), Durability.FSYNC, HELD_BACK);
        assertEquals(List.of("1:0"), queue(store));
        store.commit(send(2));
        killH2(store);
        try (H2MessageStore reopened = new H2MessageStore(data(), Durability.FSYNC)) {
            assertEquals(List.of("1:0", "2:0"), queue(reopened));
            assertEquals(1, reopened.replayedGroups());
        }
    }

    @Test
    void fullJournalSyncsH2AndWrapsWithoutLosingGroups() throws Exception {
        // About 90 bytes a record: a 4 KiB journal wraps every forty-odd groups.
        H2MessageStore.JournalSettings tiny = new H2MessageStore.JournalSettings(4096, Long.MAX_VALUE, true);
        H2MessageStore store = new H2MessageStore(data(), Durability.FSYNC, tiny);
        for (long id = 1; id <= 100; id++) {
            store.commit(send(id));
        }
        killH2(store);
        try (H2MessageStore reopened = new H2MessageStore(data(), Durability.FSYNC)) {
            assertEquals(expected(1, 100), queue(reopened));
            long replayed = reopened.replayedGroups();
            assertTrue(replayed > 0 && replayed < 100, "replayed only the groups since the last wrap: " + replayed);
        }
    }

    /**
     * A consumer trailing its producer by five messages: at each checkpoint the few unconsumed
     * messages are carried into the next journal cycle instead of being written to H2, and after
     * a kill the carry records (with the groups after them) bring back exactly those five.
     */
    @Test
    void unconsumedMessagesCarriedAcrossJournalCyclesAreReplayed() throws Exception {
        H2MessageStore store = new H2MessageStore(data(), Durability.FSYNC, SMALL);
        for (long id = 1; id <= 2000; id++) {
            store.commit(send(id));
            if (id > 5) {
                store.commit(new StoreBatch().removeReference("q", id - 5));
            }
        }
        assertTrue(store.carries() >= 10, "carries: " + store.carries());
        killH2(store);
        try (H2MessageStore reopened = new H2MessageStore(data(), Durability.FSYNC)) {
            assertEquals(expected(1996, 2000), queue(reopened));
            assertTrue(reopened.replayedGroups() > 0);
        }
    }

    /** Without a consumer the backlog outgrows half a journal cycle: H2 takes it, nothing is carried. */
    @Test
    void aBacklogTooLargeToCarryGoesToH2() throws Exception {
        H2MessageStore store = new H2MessageStore(data(), Durability.FSYNC, SMALL);
        for (long id = 1; id <= 1000; id++) {
            store.commit(send(id));
        }
        assertEquals(0, store.carries());
        killH2(store);
        try (H2MessageStore reopened = new H2MessageStore(data(), Durability.FSYNC)) {
            assertEquals(expected(1, 1000), queue(reopened));
            assertTrue(reopened.replayedGroups() < 200, "replayed " + reopened.replayedGroups());
        }
    }

    /**
     * Draining a backlog H2 holds: netting never cancels those acknowledgements, so a checkpoint
     * carries at most {@code maxCarriedH2Operations} of them (50 here) and then gives them to H2,
     * instead of putting every one off into a single huge H2 transaction. A checkpoint follows
     * every group here (sync interval 0).
     */
    @Test
    void acknowledgementsOfMessagesH2HoldsAreCarriedOnlyUpToTheirBound() throws Exception {
        H2MessageStore.JournalSettings everyGroup = new H2MessageStore.JournalSettings(1024 * 1024, 0, true, 50);
        H2MessageStore store = new H2MessageStore(data(), Durability.FSYNC, everyGroup);
        StoreBatch all = new StoreBatch();
        for (long id = 1; id <= 200; id++) {
            all.operations().addAll(send(id).operations());
        }
        store.commit(all);
        // A read has the writer give H2 what it deferred: H2 now holds the 200 messages.
        assertEquals(expected(1, 200), queue(store));
        for (long id = 1; id <= 200; id++) {
            store.commit(new StoreBatch().removeReference("q", id));
        }
        long carries = store.carries();
        assertTrue(carries > 0 && carries < 200, "carries: " + carries);
        killH2(store);
        try (Connection c = raw(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + H2Schema.MESSAGE)) {
            rs.next();
            assertTrue(rs.getLong(1) <= 50, "H2 holds " + rs.getLong(1) + " messages, at most 50 should wait");
        }
        try (H2MessageStore reopened = new H2MessageStore(data(), Durability.FSYNC)) {
            assertEquals(List.of(), queue(reopened));
        }
    }

    @Test
    void groupTooLargeForTheJournalIsMadeDurableInH2() throws Exception {
        H2MessageStore.JournalSettings tiny = new H2MessageStore.JournalSettings(4096, Long.MAX_VALUE, true);
        H2MessageStore store = new H2MessageStore(data(), Durability.FSYNC, tiny);
        StoreBatch big = new StoreBatch();
        for (long id = 1; id <= 200; id++) {
            StoreBatch one = send(id);
            big.operations().addAll(one.operations());
        }
        store.commit(big);
        killH2(store);
        try (H2MessageStore reopened = new H2MessageStore(data(), Durability.FSYNC)) {
            assertEquals(expected(1, 200), queue(reopened));
            assertEquals(0, reopened.replayedGroups());
        }
    }

    @Test
    void storeOfFormatVersion1WithoutJournalOpensAndUpgrades() throws Exception {
        try (H2MessageStore store = new H2MessageStore(data(), Durability.FSYNC)) {
            store.commit(send(1));
        }
        // What Courier wrote before the journal existed: version 1, no applied-group row, no journal file.
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM " + H2Schema.META + " WHERE name = '" + H2Schema.KEY_JOURNAL_APPLIED + "'");
            s.executeUpdate("UPDATE " + H2Schema.META + " SET val = 1 WHERE name = '" + H2Schema.KEY_FORMAT_VERSION + "'");
        }
        Files.delete(data().resolve(CommitJournal.FILE_NAME));

        try (H2MessageStore store = new H2MessageStore(data(), Durability.FSYNC)) {
            assertEquals(List.of("1:0"), queue(store));
            store.commit(send(2));
        }
        try (Connection c = raw()) {
            assertEquals(2L, H2Schema.readMeta(c, H2Schema.KEY_FORMAT_VERSION));
            assertEquals(CommitJournal.LAYOUT_BLOCK + 2 * H2MessageStore.JournalSettings.DEFAULT.journalCapacity(),
                    Files.size(data().resolve(CommitJournal.FILE_NAME)));
        }
    }
}
