package dev.courier.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.zip.CRC32C;

/**
 * The H2 store's write-ahead commit journal, {@code courier.journal}: a preallocated file into
 * which each group commit writes one small record and, when a caller waits for it, fdatasyncs it.
 * Overwriting already-allocated blocks in place makes that flush cheap (no file-size or extent
 * change, so no file-system metadata to commit), unlike an fsync of H2's ever-growing file.
 *
 * <p>Format: a {@link #LAYOUT_BLOCK}-byte layout block ({@code [long magic][long half size]}),
 * then two halves of that size. Records go from a half's start, each {@code [int payload
 * length][int CRC32C][long group sequence][long cycle][payload]}, big-endian; the CRC covers
 * everything but itself. The journal is written in cycles, each in one half: {@link #restart}
 * moves to the other half's start under a new random cycle id. The half left behind stays intact
 * until the cycle after next, so a cycle may begin with a record that replaces the previous
 * cycle's records (the store's carry record) without destroying them before it is durable.
 * {@link #scan} reads, in each half, the chain of records from its start that share the first record's
 * cycle, carry consecutive sequence numbers and pass their CRC, stopping at the first that does
 * not: the end of what was written (zeros), a torn record (never confirmed, since a confirmed
 * record was flushed whole) or a stale one of an earlier cycle. It hands on the chain that ends at
 * the higher sequence: the newer cycle's, unless that cycle's first record was torn, in which case
 * the older one still holds everything. The cycle id guards against a stale record that happens to
 * sit exactly where a chain continues and to carry the next sequence number (possible after a
 * restart that reused sequence numbers of records that were torn).
 *
 * <p>The file is preallocated by writing zeros, not by {@code setLength}/fallocate: on ext4 the
 * first write into an unwritten extent changes metadata, which makes the next fdatasync as costly
 * as an fsync. It is then fsynced with its directory once. The layout is read from the file, so
 * a journal written with another half size, or before the journal had halves (no layout block:
 * one cycle from offset 0 to the file's end), is scanned as it was written; {@link #begin} then
 * lays the file out anew (zeroed), which it may since the store has made H2 durable by then.
 *
 * <p>Thread ownership: used by one thread at a time (the opening thread, then the store's writer
 * thread); not thread-safe.
 */
final class CommitJournal implements AutoCloseable {

    /** The journal's file name in the store directory. */
    static final String FILE_NAME = "courier.journal";
    /** Bytes before a record's payload. */
    static final int HEADER = 24;

    /** Bytes before the first half: the layout block. */
    static final int LAYOUT_BLOCK = 4096;

    /** The layout block's first bytes ("CJOURNAL"); a file without them has no halves. */
    private static final long MAGIC = 0x434A4F55524E414CL;
    private static final int ZERO_CHUNK = 1 << 20;

    /** A record found by {@link #scan}. */
    interface RecordVisitor {

        /** Called per record in order; {@code payload} is valid only during the call. */
        void record(long sequence, ByteBuffer payload) throws StoreException;
    }

    private final FileChannel channel;
    private final Path file;
    /** The half size the store asked for; {@link #begin} lays the file out with it. */
    private final long wantedCapacity;
    private final CRC32C crc = new CRC32C();
    private final SecureRandom random = new SecureRandom();
    /** Where half 0 starts: {@link #LAYOUT_BLOCK}, or 0 in a file without a layout block. */
    private long base;
    /** Bytes per half as laid out on disk. */
    private long capacity;
    /** Halves on disk: 2, or 1 in a file without a layout block. */
    private int halves;
    /** The half being written, 0 or 1; {@link #scan} sets it to the one it handed on. */
    private int half;
    /** Where the next record goes, from the half's start. */
    private long position;
    private long cycle;

    private CommitJournal(FileChannel channel, Path file, long wantedCapacity) {
        this.channel = channel;
        this.file = file;
        this.wantedCapacity = wantedCapacity;
        this.cycle = random.nextLong();
    }

    /**
     * Opens the journal (created empty when missing) and reads its layout. Writing starts only
     * after {@link #begin}, so a store must scan, then begin.
     *
     * @param capacity the half size {@link #begin} lays the file out with
     */
    static CommitJournal open(Path file, long capacity) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            CommitJournal j = new CommitJournal(ch, file, capacity);
            j.readLayout();
            return j;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private void readLayout() throws IOException {
        long size = channel.size();
        ByteBuffer block = ByteBuffer.allocate(16);
        if (size >= LAYOUT_BLOCK) {
            readFully(block, 0);
        }
        long halfSize = block.getLong(8);
        if (block.getLong(0) == MAGIC && halfSize > HEADER && LAYOUT_BLOCK + 2 * halfSize <= size) {
            base = LAYOUT_BLOCK;
            capacity = halfSize;
            halves = 2;
        } else {
            base = 0;
            capacity = size;
            halves = 1;
        }
    }

    /**
     * Starts writing: lays the file out in two halves of the wanted size when it is not already
     * (the layout block, then zeros over both halves, so nothing of the old layout can pass for a
     * chain, fsynced with the directory), then {@link #restart}s. Everything the journal held must
     * be durable elsewhere (H2 synced), since laying out anew erases it.
     */
    void begin() throws IOException {
        if (halves != 2 || capacity != wantedCapacity) {
            long total = LAYOUT_BLOCK + 2 * wantedCapacity;
            if (channel.size() > total) {
                channel.truncate(total);
            }
            ByteBuffer zeros = ByteBuffer.allocate(ZERO_CHUNK);
            for (long at = LAYOUT_BLOCK; at < total; ) {
                zeros.clear().limit((int) Math.min(ZERO_CHUNK, total - at));
                at += channel.write(zeros, at);
            }
            ByteBuffer block = ByteBuffer.allocate(LAYOUT_BLOCK);
            block.putLong(0, MAGIC).putLong(8, wantedCapacity);
            writeFully(block, 0);
            channel.force(true);
            syncDirectory(file.toAbsolutePath().getParent());
            base = LAYOUT_BLOCK;
            capacity = wantedCapacity;
            halves = 2;
        }
        restart();
    }

    /** Makes the file's directory entry durable (a new file is lost with its directory otherwise). */
    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some systems (Windows) cannot open a directory; there the file system orders this itself.
            if (Files.isDirectory(dir) && System.getProperty("os.name", "").startsWith("Windows")) {
                return;
            }
            throw e;
        }
    }

    /** Where the next record goes, from its half's start. */
    long position() {
        return position;
    }

    /** Where the next record goes in the file (tests: to damage a record). */
    long filePosition() {
        return base + half * capacity + position;
    }

    /** Bytes a half holds: the most one cycle can write. */
    long capacity() {
        return capacity;
    }

    /**
     * Hands the valid chain of records that ends at the higher sequence, of the two halves', to
     * the visitor (see the class comment); the next {@link #restart} writes the other half.
     *
     * @return the number of records visited
     */
    long scan(RecordVisitor visitor) throws IOException, StoreException {
        long[] last = new long[2];
        long[] count = new long[2];
        for (int h = 0; h < halves; h++) {
            long[] lastSequence = {0};
            count[h] = scanHalf(h, (sequence, payload) -> lastSequence[0] = sequence);
            last[h] = lastSequence[0];
        }
        // Read again rather than kept from the first pass: a chain may hold a whole half's bytes.
        half = count[1] > 0 && (count[0] == 0 || last[1] > last[0]) ? 1 : 0;
        return count[half] == 0 ? 0 : scanHalf(half, visitor);
    }

    private long scanHalf(int h, RecordVisitor visitor) throws IOException, StoreException {
        long start = base + h * capacity;
        long at = 0;
        long expected = 0;
        long chainCycle = 0;
        long count = 0;
        ByteBuffer record = ByteBuffer.allocate(HEADER);
        while (at + HEADER <= capacity) {
            record.clear().limit(HEADER);
            readFully(record, start + at);
            int length = record.getInt(0);
            int storedCrc = record.getInt(4);
            long sequence = record.getLong(8);
            long recordCycle = record.getLong(16);
            if (length < 0 || length > capacity - at - HEADER) {
                break;
            }
            if (count > 0 && (recordCycle != chainCycle || sequence != expected)) {
                break;
            }
            if (record.capacity() < HEADER + length) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(HEADER + length, record.capacity() * 2));
                bigger.put(record.flip());
                record = bigger;
            }
            record.limit(HEADER + length).position(HEADER);
            readFully(record, start + at + HEADER);
            if (checksum(record, HEADER + length) != storedCrc) {
                break;
            }
            visitor.record(sequence, record.position(HEADER).slice());
            chainCycle = recordCycle;
            expected = sequence + 1;
            count++;
            at += HEADER + length;
        }
        return count;
    }

    /**
     * Starts a new cycle at the other half's start; the half left keeps its records until the
     * next restart. Only after {@link #begin}.
     */
    void restart() {
        half = 1 - half;
        position = 0;
        long next;
        do {
            next = random.nextLong();
        } while (next == cycle);
        cycle = next;
    }

    /** Whether a record with this payload size fits after the current position. */
    boolean fits(int payloadLength) {
        return position + HEADER + payloadLength <= capacity;
    }

    /**
     * Writes a record at the current position (which {@link #fits} must allow) with one write
     * call, then with {@code force} flushes the file's data (fdatasync), which also carries every
     * earlier unflushed record to disk.
     *
     * @param record a heap buffer whose first {@link #HEADER} bytes are reserved for the header
     *               (filled here) and whose payload follows up to its limit; left consumed
     */
    void append(long sequence, ByteBuffer record, boolean force) throws IOException {
        int end = record.limit();
        int length = end - HEADER;
        if (length < 0 || !fits(length)) {
            throw new IllegalStateException("journal record of " + length + " bytes does not fit");
        }
        record.putInt(0, length).putLong(8, sequence).putLong(16, cycle);
        record.putInt(4, checksum(record, end));
        record.position(0);
        writeFully(record, base + half * capacity + position);
        position += end;
        if (force) {
            channel.force(false);
        }
    }

    /** CRC32C of a record's bytes but its CRC field, {@code [0, 4)} and {@code [8, end)}. */
    private int checksum(ByteBuffer record, int end) {
        crc.reset();
        crc.update(record.array(), record.arrayOffset(), 4);
        crc.update(record.array(), record.arrayOffset() + 8, end - 8);
        return (int) crc.getValue();
    }

    private void readFully(ByteBuffer into, long at) throws IOException {
        while (into.hasRemaining()) {
            int n = channel.read(into, at);
            if (n < 0) {
                // Shorter than expected: treated like zeros, the end of the chain.
                while (into.hasRemaining()) {
                    into.put((byte) 0);
                }
                return;
            }
            at += n;
        }
    }

    private void writeFully(ByteBuffer from, long at) throws IOException {
        while (from.hasRemaining()) {
            at += channel.write(from, at);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
