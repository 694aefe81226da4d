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
 * <p>Format: records from offset 0, each {@code [int payload length][int CRC32C][long group
 * sequence][long cycle][payload]}, big-endian; the CRC covers everything but itself. The file is
 * written in cycles: after the store has made H2 durable ({@code CHECKPOINT SYNC}) it
 * {@link #restart}s at offset 0 under a new random cycle id, leaving older records behind the
 * new ones. {@link #scan} therefore reads the chain of records from offset 0 that share the
 * first record's cycle, carry consecutive sequence numbers and pass their CRC, and stops at the
 * first that does not: the end of what was written (zeros), a torn record (never confirmed,
 * since a confirmed record was flushed whole) or a stale one of an earlier cycle. The cycle id
 * guards against a stale record that happens to sit exactly where the chain continues and to
 * carry the next sequence number (possible after a restart that reused sequence numbers of
 * records that were torn).
 *
 * <p>The file is preallocated by writing zeros, not by {@code setLength}/fallocate: on ext4 the
 * first write into an unwritten extent changes metadata, which makes the next fdatasync as costly
 * as an fsync. It is then fsynced with its directory once.
 *
 * <p>Thread ownership: used by one thread at a time (the opening thread, then the store's writer
 * thread); not thread-safe.
 */
final class CommitJournal implements AutoCloseable {

    /** The journal's file name in the store directory. */
    static final String FILE_NAME = "courier.journal";
    /** Bytes before a record's payload. */
    static final int HEADER = 24;

    private static final int ZERO_CHUNK = 1 << 20;

    /** A record found by {@link #scan}. */
    interface RecordVisitor {

        /** Called per record in order; {@code payload} is valid only during the call. */
        void record(long sequence, ByteBuffer payload) throws StoreException;
    }

    private final FileChannel channel;
    private final long capacity;
    private final CRC32C crc = new CRC32C();
    private final SecureRandom random = new SecureRandom();
    private long position;
    private long cycle;

    private CommitJournal(FileChannel channel, long capacity) {
        this.channel = channel;
        this.capacity = capacity;
        this.cycle = random.nextLong();
    }

    /**
     * Opens the journal, creating and preallocating it (zeros, fsynced with its directory) when
     * missing or shorter than {@code capacity}. Writing starts at offset 0 only after
     * {@link #restart}, so a fresh store must scan, then restart.
     */
    static CommitJournal open(Path file, long capacity) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            long size = ch.size();
            if (size < capacity) {
                ByteBuffer zeros = ByteBuffer.allocate(ZERO_CHUNK);
                for (long at = size; at < capacity; ) {
                    zeros.clear().limit((int) Math.min(ZERO_CHUNK, capacity - at));
                    at += ch.write(zeros, at);
                }
                ch.force(true);
                syncDirectory(file.toAbsolutePath().getParent());
            }
            return new CommitJournal(ch, Math.max(size, capacity));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
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

    /** Where the next record goes. */
    long position() {
        return position;
    }

    /**
     * Hands the valid chain of records from offset 0 to the visitor (see the class comment).
     *
     * @return the number of records visited
     */
    long scan(RecordVisitor visitor) throws IOException, StoreException {
        long at = 0;
        long expected = 0;
        long chainCycle = 0;
        long count = 0;
        ByteBuffer record = ByteBuffer.allocate(HEADER);
        while (at + HEADER <= capacity) {
            record.clear().limit(HEADER);
            readFully(record, at);
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
            readFully(record, at + HEADER);
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

    /** Starts a new cycle at offset 0; records already there become stale. */
    void restart() {
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
        long at = position;
        writeFully(record, at);
        position = at + end;
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
