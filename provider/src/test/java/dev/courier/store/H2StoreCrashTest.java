package dev.courier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills (SIGKILL) a JVM that is committing to the store and checks that every commit it had
 * confirmed is recovered: the process-crash guarantee both durability settings promise, also
 * when the commits are in the commit journal only (replayed on open) and across journal wraps.
 */
class H2StoreCrashTest {

    @TempDir
    Path dir;

    @Test
    void everyConfirmedCommitSurvivesSigkill() throws Exception {
        crashAndCheck(Durability.FSYNC);
    }

    @Test
    void everyConfirmedCommitSurvivesSigkillWithoutFsync() throws Exception {
        crashAndCheck(Durability.NO_FSYNC);
    }

    /**
     * H2 writes nothing of its own accord and is synced only when the 1 MiB journal is full: the
     * groups since then are in the journal alone, so reopening must replay them.
     */
    @Test
    void everyConfirmedCommitIsReplayedFromTheJournalAfterSigkill() throws Exception {
        crashAndCheck(Durability.FSYNC, "1048576");
    }

    /** A 16 KiB journal wraps every hundred groups or so: replay must skip the stale cycles. */
    @Test
    void everyConfirmedCommitSurvivesSigkillAcrossJournalWraps() throws Exception {
        crashAndCheck(Durability.FSYNC, "16384");
    }

    /**
     * Each message is removed from one of its two queues right after it was added: most adds and
     * removals meet while H2 has not applied them yet (the store nets them away), and every
     * confirmed removal must survive as well as every confirmed add.
     */
    @Test
    void everyConfirmedAddAndRemovalSurvivesSigkillWhileH2Lags() throws Exception {
        Outcome run = runAndKill(dir.resolve(Durability.FSYNC.name()), Durability.FSYNC,
                List.of("-Dcrash.acknowledge=true"), 300);
        Set<Long> confirmed = run.confirmed();
        Set<Long> removed = run.removed();
        try (H2MessageStore store = new H2MessageStore(dir.resolve(Durability.FSYNC.name()), Durability.FSYNC)) {
            RecordingVisitor v = RecordingVisitor.recover(store);
            Set<Long> inCrash = ids(v.queue("crash"));
            Set<Long> inCopy = ids(v.queue("copy"));
            for (long id : confirmed) {
                assertTrue(inCrash.contains(id), "confirmed message " + id + " lost");
            }
            assertFalse(removed.isEmpty(), "no removal was confirmed before the kill");
            for (long id : removed) {
                assertFalse(inCopy.contains(id), "confirmed removal of " + id + " undone");
            }
            assertTrue(inCrash.containsAll(inCopy), "a batch was applied in part");
            assertEquals(List.of(), v.corrupt);
        }
    }

    /**
     * Every batch is an H2 transaction of its own (it holds a subscription, which the store
     * cannot defer), committed as fast as H2 takes them: whenever the process dies, H2's file
     * must open at a transaction boundary, so recovery finds every confirmed batch, none in part,
     * and replays the journal on top. Before the store opened H2 with {@code WRITE_DELAY=0}, H2's
     * background writer could save a chunk in the middle of a commit; with a 1 ms write delay
     * this test then failed 2 kills in about 70 (a duplicate key on replay, and a confirmed
     * message lost), with the 500 ms delay we used none in 40: the race is narrow, so
     * {@code H2MessageStoreTest#h2RunsNoBackgroundWriterOfItsOwn} checks its cause directly.
     */
    @Test
    void busyH2FileOpensAtATransactionBoundaryAfterSigkill() throws Exception {
        Random random = new Random();
        for (int round = 0; round < 8; round++) {
            Path data = dir.resolve("busy" + round);
            Outcome run = runAndKill(data, Durability.NO_FSYNC, List.of("-Dcrash.busyH2=true"),
                    50 + random.nextInt(3000));
            checkRecovered(data, Durability.NO_FSYNC, run.confirmed());
        }
    }

    /**
     * A consumer trailing its producers by 20 messages each, with a 64 KiB journal: most
     * checkpoints carry the unconsumed messages into the next journal cycle, as a carry record
     * at the start of the other half, instead of writing them to H2. Whenever the kill comes
     * (during a carry record's write too), every confirmed add and removal must survive.
     */
    @Test
    void everyConfirmedAddAndRemovalSurvivesSigkillWhileCarriedAcrossJournalCycles() throws Exception {
        Random random = new Random();
        for (int round = 0; round < 4; round++) {
            Path data = dir.resolve("trail" + round);
            Outcome run = runAndKill(data, Durability.FSYNC, List.of("-Dcrash.acknowledge=true", "-Dcrash.trail=20"),
                    200 + random.nextInt(3000), "65536");
            assertFalse(run.consumed().isEmpty(), "no trailing removal was confirmed before the kill");
            try (H2MessageStore store = new H2MessageStore(data, Durability.FSYNC)) {
                RecordingVisitor v = RecordingVisitor.recover(store);
                Set<Long> inCrash = ids(v.queue("crash"));
                Set<Long> inCopy = ids(v.queue("copy"));
                for (long id : run.confirmed()) {
                    if (!run.consuming().contains(id)) {
                        assertTrue(inCrash.contains(id), "confirmed message " + id + " lost");
                    }
                }
                for (long id : run.consumed()) {
                    assertFalse(inCrash.contains(id), "confirmed removal of " + id + " undone");
                }
                for (long id : run.removed()) {
                    assertFalse(inCopy.contains(id), "confirmed removal of copy " + id + " undone");
                }
                assertTrue(inCrash.containsAll(inCopy), "a batch was applied in part");
                assertEquals(List.of(), v.corrupt);
            }
        }
    }

    private static Set<Long> ids(List<String> refs) {
        Set<Long> ids = new HashSet<>();
        for (String ref : refs) {
            ids.add(Long.parseLong(ref.substring(0, ref.indexOf(':'))));
        }
        return ids;
    }

    private void crashAndCheck(Durability durability, String... journalCapacity) throws Exception {
        Path data = dir.resolve(durability.name());
        Outcome run = runAndKill(data, durability, List.of("-Dcrash.acknowledge=false"), 300, journalCapacity);
        checkRecovered(data, durability, run.confirmed());
    }

    /**
     * What the child confirmed before the kill: adds ({@code id}), removals from "copy"
     * ({@code -id}), trailing removals from "crash" begun ({@code ?id}) and confirmed ({@code ~id}).
     */
    private record Outcome(Set<Long> confirmed, Set<Long> removed, Set<Long> consuming, Set<Long> consumed) {
    }

    /**
     * Runs the child with {@code childFlags} until it confirmed {@code killAfter} adds (or 10 s),
     * kills it; returns what it confirmed.
     */
    private Outcome runAndKill(Path data, Durability durability, List<String> childFlags, int killAfter,
            String... journalCapacity) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java));
        command.addAll(childFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                StoreCrashChild.class.getName(), data.toString(), durability.name()));
        command.addAll(List.of(journalCapacity));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Outcome run = new Outcome(new HashSet<>(), new HashSet<>(), new HashSet<>(), new HashSet<>());
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("ready", out.readLine());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (run.confirmed().size() < killAfter && System.nanoTime() < deadline) {
                String line = out.readLine();
                assertNotNull(line, "child ended early");
                record(line, run);
            }
            // SIGKILL through the handle, which leaves our end of the pipe open (Process.destroyForcibly closes it).
            child.toHandle().destroyForcibly();
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
            // What the child printed before it died is true too; a removal begun then must not count as lost.
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                record(line, run);
            }
        } finally {
            child.destroyForcibly();
        }
        assertTrue(run.confirmed().size() >= 50, "too few commits before the kill: " + run.confirmed().size());
        return run;
    }

    private static void record(String line, Outcome run) {
        switch (line.charAt(0)) {
            case '-' -> run.removed().add(Long.parseLong(line.substring(1)));
            case '?' -> run.consuming().add(Long.parseLong(line.substring(1)));
            case '~' -> run.consumed().add(Long.parseLong(line.substring(1)));
            default -> run.confirmed().add(Long.parseLong(line));
        }
    }

    private void checkRecovered(Path data, Durability durability, Set<Long> confirmed) throws Exception {
        try (H2MessageStore store = new H2MessageStore(data, durability)) {
            RecordingVisitor v = RecordingVisitor.recover(store);
            Set<Long> recovered = ids(v.queue("crash"));
            for (long id : confirmed) {
                assertTrue(recovered.contains(id), "confirmed message " + id + " lost");
            }
            assertEquals(v.queue("crash").size(), v.queue("copy").size(), "a batch was applied in part");
            assertEquals(List.of(), v.corrupt);
        }
    }
}
