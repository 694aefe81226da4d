package dev.courier.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommitJournalTest {

    private static final long CAPACITY = 64 * 1024;

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve(CommitJournal.FILE_NAME);
    }

    /** A record of {@code size} payload bytes, each the low byte of the sequence. */
    private static ByteBuffer record(long sequence, int size) {
        ByteBuffer b = ByteBuffer.allocate(CommitJournal.HEADER + size);
        for (int i = 0; i < size; i++) {
            b.put(CommitJournal.HEADER + i, (byte) sequence);
        }
        return b;
    }

    private static List<Long> scan(CommitJournal j) throws Exception {
        List<Long> seen = new ArrayList<>();
        j.scan((sequence, payload) -> {
            while (payload.hasRemaining()) {
                assertEquals((byte) sequence, payload.get(), "payload of record " + sequence);
            }
            seen.add(sequence);
        });
        return seen;
    }

    private void overwrite(long at, byte[] bytes) throws Exception {
        try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes), at);
        }
    }

    @Test
    void newJournalIsLaidOutInTwoZeroedHalvesAndScansEmpty() throws Exception {
        try (CommitJournal j = CommitJournal.open(file(), CAPACITY)) {
            assertEquals(List.of(), scan(j));
            j.begin();
        }
        byte[] bytes = Files.readAllBytes(file());
        assertEquals(CommitJournal.LAYOUT_BLOCK + 2 * CAPACITY, bytes.length);
        byte[] halves = java.util.Arrays.copyOfRange(bytes, CommitJournal.LAYOUT_BLOCK, bytes.length);
        assertArrayEquals(new byte[(int) (2 * CAPACITY)], halves);
        try (CommitJournal j = CommitJournal.open(file(), CAPACITY)) {
            assertEquals(List.of(), scan(j));
        }
    }

    @Test
    void recordsAreScannedBackInOrderAfterReopening() throws Exception {
        try (CommitJournal j = CommitJournal.open(file(), CAPACITY)) {
            j.begin();
            for (long seq = 7; seq <= 11; seq++) {
                j.append(seq, record(seq, 100 + (int) seq), seq % 2 == 0);
            }
        }
        try (CommitJournal j = CommitJournal.open(file(), CAPACITY)) {
            assertEquals(List.of(7L, 8L, 9L, 10L, 11L), scan(j));
        }
    }

    @Test
    void tornLastRecordIsIgnored() throws Exception {
        long third;
        try (CommitJournal j = CommitJournal.open(file(), CAPACITY)) {
            j.begin();
            j.append(1, record(1, 300), true);
            j.append(2, record(2, 300), true);
            third = j.filePosition();
            j.append(3, record(3, 300), true);
        }
        // A write cut short: the record's tail never reached the disk (zeros remain).
        overwrite(third + CommitJournal.HEADER + 200, new byte[100]);
        try (CommitJournal j = CommitJournal.open(file(), CAPACITY)) {
            assertEquals(List.of(1L, 2L), scan(j));
        }
    }

    @Test
    void checksumMismatchEndsTheChain() throws Exception {
        long second;
        try (CommitJournal j = CommitJournal.open(file(), CAPACITY)) {
            j.begin();
            j.append(1, record(1, 50), false);
            second = j.filePosition();
            j.append(2, record(2, 50), false);
            j.append(3, record(3, 50), false);
        }
        overwrite(second + CommitJournal.HEADER + 10, new byte[] {(byte) 0xFF});
        try (CommitJournal j = CommitJournal.open(file(), CAPACITY)) {
            assertEquals(List.of(1L), scan(j));
        }
    }

    @Test
    void theNewerCycleIsScannedNotTheOneInTheOtherHalf() throws Exception {
        try (CommitJournal j = CommitJournal.open(file(), CAPACITY)) {
            j.begin();
            for (long seq = 1; seq <= 3; seq++) {
                j.append(seq, record(seq, 64), false);
            }
            j.restart();
            j.append(4, record(4, 64), false);
            j.append(5, record(5, 64), false);
        }
        try (CommitJournal j = CommitJournal.open(file(), CAPACITY)) {
            assertEquals(List.of(4L, 5L), scan(j));
        }
    }

    /** The new cycle's first record (a carry, say) was cut short: the cycle before still holds everything. */
    @Test
    void aTornFirstRecordOfTheNewCycleLeavesTheCycleBeforeScanned() throws Exception {
        long fourth;
        try (CommitJournal j = CommitJournal.open(file(), CAPACITY)) {
            j.begin();
            for (long seq = 1; seq <= 3; seq++) {
                j.append(seq, record(seq, 64), true);
            }
            j.restart();
            fourth = j.filePosition();
            j.append(4, record(4, 2000), false);
        }
        overwrite(fourth + CommitJournal.HEADER + 1000, new byte[1000]);
        try (CommitJournal j = CommitJournal.open(file(), CAPACITY)) {
            assertEquals(List.of(1L, 2L, 3L), scan(j));
        }
    }

    @Test
    void staleRecordsOfACycleBeforeInTheSameHalfAreNotScanned() throws Exception {
        try (CommitJournal j = CommitJournal.open(file(), CAPACITY)) {
            j.begin();
            for (long seq = 1; seq <= 5; seq++) {
                j.append(seq, record(seq, 64), false);
            }
            j.restart();
            j.restart();
            // Same size as the stale ones, so the chain continues exactly where stale record 2 sits.
            j.append(6, record(6, 64), false);
            assertEquals(List.of(6L), scan(j));
        }
    }

    @Test
    void staleRecordCarryingTheNextSequenceIsNotScannedAfterARestart() throws Exception {
        try (CommitJournal j = CommitJournal.open(file(), CAPACITY)) {
            j.begin();
            for (long seq = 1; seq <= 3; seq++) {
                j.append(seq, record(seq, 64), false);
            }
            // Back in the same half, reusing sequence 1 (its first record had been torn): stale
            // record 2 follows exactly and carries the expected number, but belongs to another cycle.
            j.restart();
            j.restart();
            j.append(1, record(1, 64), false);
            assertEquals(List.of(1L), scan(j));
        }
    }

    /** The store's journal settings changed: the records are read as written, then the file is laid out anew. */
    @Test
    void aJournalOfAnotherHalfSizeIsScannedAsWrittenThenLaidOutAnew() throws Exception {
        try (CommitJournal j = CommitJournal.open(file(), CAPACITY)) {
            j.begin();
            j.restart();
            j.append(1, record(1, 64), false);
            j.append(2, record(2, 64), false);
        }
        try (CommitJournal j = CommitJournal.open(file(), 4 * CAPACITY)) {
            assertEquals(List.of(1L, 2L), scan(j));
            j.begin();
            assertEquals(CommitJournal.LAYOUT_BLOCK + 8 * CAPACITY, Files.size(file()));
            j.append(3, record(3, 64), false);
        }
        try (CommitJournal j = CommitJournal.open(file(), 4 * CAPACITY)) {
            assertEquals(List.of(3L), scan(j));
        }
    }

    /** What the journal was before it had halves: one cycle of records from offset 0, no layout block. */
    @Test
    void aJournalWithoutLayoutBlockIsScannedFromItsStart() throws Exception {
        ByteBuffer legacy = ByteBuffer.allocate((int) CAPACITY);
        for (long seq = 4; seq <= 6; seq++) {
            ByteBuffer r = record(seq, 100);
            r.putInt(0, 100).putLong(8, seq).putLong(16, 77);
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(r.array(), 0, 4);
            crc.update(r.array(), 8, r.capacity() - 8);
            r.putInt(4, (int) crc.getValue());
            legacy.put(r.array());
        }
        Files.write(file(), legacy.array());
        try (CommitJournal j = CommitJournal.open(file(), CAPACITY)) {
            assertEquals(List.of(4L, 5L, 6L), scan(j));
            j.begin();
            j.append(7, record(7, 64), false);
        }
        try (CommitJournal j = CommitJournal.open(file(), CAPACITY)) {
            assertEquals(List.of(7L), scan(j));
        }
    }

    @Test
    void recordThatDoesNotFitIsRefused() throws Exception {
        try (CommitJournal j = CommitJournal.open(file(), CAPACITY)) {
            j.begin();
            int most = (int) CAPACITY - CommitJournal.HEADER;
            assertTrue(j.fits(most));
            assertFalse(j.fits(most + 1));
            assertThrows(IllegalStateException.class, () -> j.append(1, record(1, most + 1), false));
            j.append(1, record(1, most), false);
            assertFalse(j.fits(0));
            assertEquals(List.of(1L), scan(j));
        }
    }

    @Test
    void operationsSurviveEncodingAndDecoding() throws Exception {
        dev.courier.message.MessageRecord msg = dev.courier.message.MessageRecord.builder().messageId("ID:9")
                .destination(dev.courier.message.Address.queue("q"))
                .body(dev.courier.message.BodyType.TEXT, "héllo").build();
        StoredMessage stored = new StoredMessage(9, msg);
        StoreBatch first = new StoreBatch().addMessage(stored).addReference("q", 9).updateDeliveryCount("q", 9, 3);
        StoreBatch rejected = new StoreBatch().addReference("q", 404);
        StoreBatch last = new StoreBatch().removeReference("q", 9)
                .addSubscription(new SubscriptionDefinition(null, "s", "t", "a > 1", true, false, "sub-q"))
                .addSubscription(new SubscriptionDefinition("c", "s2", "t", null, false, true, "sub-q2"))
                .removeSubscription("c", "s2").removeSubscription(null, "s");
        List<StoreException> results = new ArrayList<>();
        results.add(null);
        results.add(new StoreException("rejected"));
        results.add(null);
        ByteBuffer encoded = new JournalCodec().encode(List.of(first, rejected, last), results,
                m -> dev.courier.message.MessageCodec.encode(m.record()));
        encoded.position(CommitJournal.HEADER);
        java.util.Map<StoredMessage, byte[]> bytes = new java.util.IdentityHashMap<>();
        List<StoreBatch> decoded = JournalCodec.decodeRecord(encoded.slice(), bytes).batches();

        assertEquals(2, decoded.size());
        StoreBatch.AddMessage add = (StoreBatch.AddMessage) decoded.get(0).operations().get(0);
        assertEquals(9, add.message().id());
        assertEquals("héllo", add.message().record().body());
        assertArrayEquals(dev.courier.message.MessageCodec.encode(msg), bytes.get(add.message()));
        assertEquals(first.operations().subList(1, 3), decoded.get(0).operations().subList(1, 3));
        assertEquals(last.operations(), decoded.get(1).operations());
    }
}
