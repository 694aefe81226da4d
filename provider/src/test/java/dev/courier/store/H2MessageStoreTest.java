package dev.courier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2MessageStoreTest extends MessageStoreContractTest {

    @TempDir
    Path dir;

    @Override
    protected MessageStore create() {
        return new H2MessageStore(dir.resolve("data"), Durability.FSYNC);
    }

    @Override
    protected MessageStore reopen(MessageStore old) {
        old.close();
        return new H2MessageStore(dir.resolve("data"), Durability.NO_FSYNC);
    }

    private Connection raw() throws Exception {
        return DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("data").resolve(H2MessageStore.DATABASE_NAME)
                + ";IFEXISTS=TRUE", "", "");
    }

    private long count(String table) throws Exception {
        try (Connection c = raw(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * H2's background writer would capture its maps one by one while the writer thread commits,
     * so a SIGKILL could leave a chunk holding half a transaction (H2StoreCrashTest's busy case
     * caught it): the store must have H2 write only on its own writer thread.
     */
    @Test
    void h2RunsNoBackgroundWriterOfItsOwn() throws Exception {
        store = create();
        store.commit(new StoreBatch().addMessage(message(1)).addReference("a", 1));
        RecordingVisitor.recover(store);
        String databaseFile = dir.resolve("data").toString();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            boolean h2Writer = t.getName().startsWith("MVStore background writer") && t.getName().contains(databaseFile);
            assertTrue(!h2Writer || !t.isAlive(), "H2 writes in the background: " + t.getName());
        }
    }

    @Test
    void concurrentCommitsShareGroups() throws Exception {
        H2MessageStore h2 = new H2MessageStore(dir.resolve("data"));
        store = h2;
        h2.commit(new StoreBatch());
        long before = h2.groupCount();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 30; i++) {
                    long id = thread * 100L + i + 1;
                    h2.commit(new StoreBatch().addMessage(message(id)).addReference("q", id));
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        long groups = h2.groupCount() - before;
        assertTrue(groups < 240, "240 commits from 8 threads took " + groups + " groups");
        assertEquals(240, RecordingVisitor.recover(h2).queue("q").size());
    }

    @Test
    void aMessageThatCannotBeEncodedFailsOnlyItsOwnCommit() throws Exception {
        store = create();
        StoredMessage unencodable = new StoredMessage(1, MessageRecord.builder().messageId("ID:1")
                .destination(Address.queue("q")).property("p", new Object()).body(BodyType.TEXT, "x").build());
        assertThrows(StoreException.class, () -> store.commit(new StoreBatch().addMessage(unencodable).addReference("q", 1)));
        store.commit(new StoreBatch().addMessage(message(2)).addReference("q", 2));
        assertEquals(List.of("2:0"), RecordingVisitor.recover(store).queue("q"));
    }

    @Test
    void deletesTheMessageRowWithItsLastReference() throws Exception {
        store = create();
        store.commit(new StoreBatch().addMessage(message(1)).addReference("a", 1).addReference("b", 1)
                .addMessage(message(2)).addReference("a", 2));
        store.commit(new StoreBatch().removeReference("a", 1).removeReference("a", 2));
        store.close();
        assertEquals(1, count(H2Schema.MESSAGE));
        assertEquals(1, count(H2Schema.REFERENCE));
    }

    @Test
    void reopensAfterCloseAgainAndAgain() throws Exception {
        store = create();
        for (int round = 1; round <= 3; round++) {
            store.commit(new StoreBatch().addMessage(message(round)).addReference("q", round));
            RecordingVisitor v = RecordingVisitor.recover(store = reopen(store));
            assertEquals(round, v.queue("q").size());
        }
    }

    @Test
    void refusesASecondStoreOnTheSameDirectoryInThisJvm() throws Exception {
        store = create();
        store.commit(new StoreBatch());
        try (H2MessageStore second = new H2MessageStore(dir.resolve("data/../data"))) {
            StoreException e = assertThrows(StoreException.class, () -> second.commit(new StoreBatch()));
            assertTrue(e.getMessage().contains("already open"), e.getMessage());
        }
        store.close();
        store = create();
        store.commit(new StoreBatch());
    }

    @Test
    void refusesAnUnknownFormatVersion() throws Exception {
        store = create();
        RecordingVisitor.recover(store);
        store.close();
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE " + H2Schema.META + " SET val = 99 WHERE name = '" + H2Schema.KEY_FORMAT_VERSION + "'");
        }
        store = create();
        StoreException e = assertThrows(StoreException.class, () -> RecordingVisitor.recover(store));
        assertTrue(e.getMessage().contains("format version 99"), e.getMessage());
        assertThrows(StoreException.class, () -> store.commit(new StoreBatch()));
    }

    @Test
    void refusesAFileThatIsNotAnH2Database() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.write(dir.resolve("data").resolve(H2MessageStore.DATABASE_NAME + ".mv.db"), new byte[8192]);
        store = create();
        StoreException e = assertThrows(StoreException.class, () -> RecordingVisitor.recover(store));
        assertTrue(e.getMessage().contains(dir.resolve("data").toString()), e.getMessage());
    }

    @Test
    void refusesAnH2DatabaseThatIsNotACourierStore() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:"
                + dir.resolve("data").resolve(H2MessageStore.DATABASE_NAME), "", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE ACCOUNTS (id INT)");
        }
        store = create();
        StoreException e = assertThrows(StoreException.class, () -> RecordingVisitor.recover(store));
        assertTrue(e.getMessage().contains("not a Courier store"), e.getMessage());
    }

    @Test
    void reportsAndSkipsCorruptRecords() throws Exception {
        store = create();
        store.commit(new StoreBatch().addMessage(message(1)).addReference("q", 1)
                .addMessage(message(2)).addReference("q", 2).addMessage(message(3)).addReference("q", 3));
        store.close();
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE " + H2Schema.MESSAGE + " SET record = X'01FFFF' WHERE id = 2");
        }
        store = create();
        RecordingVisitor v = RecordingVisitor.recover(store);
        assertEquals(List.of("1:0", "3:0"), v.queue("q"));
        assertEquals(1, v.corrupt.size());
        assertTrue(v.corrupt.get(0).contains("message 2"), v.corrupt.get(0));
    }

    @Test
    void aRejectedBatchDoesNotFailTheOthersOfItsGroup() throws Exception {
        store = create();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 1; i <= 400; i++) {
            long id = i;
            results.add(pool.submit(() -> {
                try {
                    store.commit(id % 10 == 0
                            ? new StoreBatch().addMessage(message(id)).addReference("q", -id)
                            : new StoreBatch().addMessage(message(id)).addReference("q", id));
                    return true;
                } catch (StoreException e) {
                    return false;
                }
            }));
        }
        for (int i = 1; i <= 400; i++) {
            assertEquals(i % 10 != 0, results.get(i - 1).get(30, TimeUnit.SECONDS), "batch " + i);
        }
        pool.shutdown();
        RecordingVisitor v = RecordingVisitor.recover(store = reopen(store));
        assertEquals(360, v.queue("q").size());
        assertNull(v.messages.get(10L));
    }
}
