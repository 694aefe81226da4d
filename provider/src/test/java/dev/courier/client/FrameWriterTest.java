package dev.courier.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.protocol.FrameAssembler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class FrameWriterTest {

    private static final long WAIT_MS = 10_000;

    /** A frame of {@code size} bytes after its length prefix: writer number, then sequence number. */
    private static byte[] frame(int writer, int sequence, int size) {
        ByteBuffer b = ByteBuffer.allocate(4 + size);
        b.putInt(size).put((byte) writer).putInt(sequence);
        return b.array();
    }

    /**
     * Four threads write small frames as fast as they can over a real socket, so bursts go to the
     * writer thread and many frames share a write: each arrives intact, each thread's in order.
     */
    @Test
    void framesOfManyThreadsArriveIntactAndInEachThreadsOrder() throws Exception {
        int writers = 4;
        int perWriter = 20_000;
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(listener.getInetAddress(), listener.getLocalPort());
             Socket peer = listener.accept()) {
            client.setTcpNoDelay(true);
            AtomicReference<IOException> writerFailure = new AtomicReference<>();
            FrameWriter writer = new FrameWriter(client.getOutputStream(), "test-writer", writerFailure::set);
            writer.start();
            List<Thread> threads = new ArrayList<>();
            AtomicReference<Throwable> callerFailure = new AtomicReference<>();
            for (int w = 0; w < writers; w++) {
                int id = w;
                Thread t = new Thread(() -> {
                    try {
                        for (int i = 0; i < perWriter; i++) {
                            // Now and then one that a caller waits for, written by the caller.
                            writer.write(frame(id, i, 5 + (i % 50)), i % 100 != 0);
                        }
                    } catch (IOException e) {
                        callerFailure.set(e);
                    }
                });
                t.start();
                threads.add(t);
            }
            int[] next = new int[writers];
            FrameAssembler assembler = new FrameAssembler(1024);
            InputStream in = peer.getInputStream();
            peer.setSoTimeout((int) WAIT_MS);
            byte[] buf = new byte[64 * 1024];
            int received = 0;
            while (received < writers * perWriter) {
                int n = in.read(buf);
                assertTrue(n > 0, "the writer's socket closed after " + received + " frames");
                ByteBuffer view = ByteBuffer.wrap(buf, 0, n);
                byte[] f;
                while ((f = assembler.next(view)) != null) {
                    ByteBuffer b = ByteBuffer.wrap(f);
                    int id = b.get();
                    int sequence = b.getInt();
                    assertEquals(next[id], sequence, "writer " + id);
                    assertEquals(5 + (sequence % 50), f.length, "frame length of writer " + id + " #" + sequence);
                    next[id]++;
                    received++;
                }
            }
            for (Thread t : threads) {
                t.join(WAIT_MS);
                assertFalse(t.isAlive());
            }
            assertNull(callerFailure.get());
            assertNull(writerFailure.get());
            writer.stop();
            writer.join(WAIT_MS);
        }
    }

    /**
     * A writer over a gated stream with one caller blocked in a write of half the bound, a second
     * frame queued behind it (over the bound together) and a third caller waiting for room.
     */
    private static final class OverBound {
        final GateStream stream = new GateStream();
        final FrameWriter writer = new FrameWriter(stream, "test-writer", e -> { });
        final AtomicReference<Object> first = new AtomicReference<>();
        final AtomicReference<Object> third = new AtomicReference<>();
        Thread blocked;
        Thread waiting;

        static OverBound start() throws Exception {
            OverBound o = new OverBound();
            o.writer.start();
            int half = (int) FrameWriter.MAX_QUEUED_BYTES / 2;
            o.blocked = caller(o.writer, frame(1, 1, half), false, o.first);
            assertTrue(o.stream.writing.await(WAIT_MS, TimeUnit.MILLISECONDS));
            // Queued behind the blocked write, over the bound together with it.
            o.writer.write(frame(2, 2, half + 100), true);
            o.waiting = caller(o.writer, frame(3, 3, 10), true, o.third);
            awaitWaiting(o.waiting);
            return o;
        }
    }

    /** An output stream whose writes wait until the test lets them through or fails them. */
    private static final class GateStream extends OutputStream {
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        volatile boolean broken;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            writing.countDown();
            try {
                if (!open.await(WAIT_MS, TimeUnit.MILLISECONDS)) {
                    throw new IOException("the test never opened the gate");
                }
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            if (broken) {
                throw new IOException("broken pipe");
            }
            synchronized (written) {
                written.write(b, off, len);
            }
        }
    }

    /** Starts a caller writing {@code frame}; its outcome (null or the exception) lands in {@code outcome}. */
    private static Thread caller(FrameWriter writer, byte[] frame, boolean mayDefer, AtomicReference<Object> outcome) {
        Thread t = new Thread(() -> {
            try {
                writer.write(frame, mayDefer);
                outcome.set("written");
            } catch (IOException e) {
                outcome.set(e);
            }
        });
        t.start();
        return t;
    }

    /** Waits, bounded, until {@code t} waits on a monitor (for room). */
    private static void awaitWaiting(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (t.getState() != Thread.State.WAITING) {
            assertTrue(System.nanoTime() - deadline < 0, "the caller never waited for room; state " + t.getState());
            Thread.onSpinWait();
        }
    }

    /**
     * While the stream takes nothing and more than the bound is queued, a caller waits for room;
     * once the stream takes the bytes, it goes on and every frame is written in call order.
     */
    @Test
    void aCallerWaitsWhileMoreThanTheBoundIsQueuedAndGoesOnWhenTheStreamTakesIt() throws Exception {
        OverBound o = OverBound.start();
        assertNull(o.third.get());
        o.stream.open.countDown();
        o.waiting.join(WAIT_MS);
        o.blocked.join(WAIT_MS);
        assertEquals("written", o.first.get());
        assertEquals("written", o.third.get());
        o.writer.stop();
        o.writer.join(WAIT_MS);
        // Each frame was queued once the previous caller had queued its own: this is call order.
        ByteBuffer all;
        synchronized (o.stream.written) {
            all = ByteBuffer.wrap(o.stream.written.toByteArray());
        }
        for (int expected = 1; expected <= 3; expected++) {
            int length = all.getInt();
            assertEquals(expected, all.get());
            assertEquals(expected, all.getInt());
            all.position(all.position() + length - 5);
        }
        assertFalse(all.hasRemaining());
    }

    /** A write that fails releases the callers waiting for room with an exception, and later writes fail at once. */
    @Test
    void aFailedWriteReleasesTheCallersWaitingForRoom() throws Exception {
        OverBound o = OverBound.start();
        o.stream.broken = true;
        o.stream.open.countDown();
        o.waiting.join(WAIT_MS);
        o.blocked.join(WAIT_MS);
        assertInstanceOf(IOException.class, o.first.get());
        assertInstanceOf(IOException.class, o.third.get());
        AtomicReference<Object> later = new AtomicReference<>();
        caller(o.writer, frame(4, 4, 10), false, later).join(WAIT_MS);
        assertInstanceOf(IOException.class, later.get());
        o.writer.stop();
        o.writer.join(WAIT_MS);
    }
}
