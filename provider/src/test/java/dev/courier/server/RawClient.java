package dev.courier.server;

import dev.courier.protocol.Frame;
import dev.courier.protocol.FrameAssembler;
import dev.courier.protocol.FrameCodec;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/** A test client that speaks raw frames (or raw bytes) to a {@link TcpServer}. Not thread-safe. */
final class RawClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final FrameAssembler assembler = new FrameAssembler(Frame.DEFAULT_MAX_FRAME_SIZE);
    private final byte[] buf = new byte[8192];
    private ByteBuffer view = ByteBuffer.allocate(0);

    RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
    }

    /** Connects and completes the handshake. */
    static RawClient handshaken(int port) throws IOException {
        RawClient client = new RawClient(port);
        client.send(new Frame.Hello(Frame.MAGIC, Frame.VERSION, "raw", null, 60_000));
        Frame answer = client.read(10_000);
        if (!(answer instanceof Frame.Welcome)) {
            throw new IOException("expected Welcome, got " + answer);
        }
        return client;
    }

    void send(Frame frame) throws IOException {
        write(FrameCodec.encode(frame));
    }

    void write(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** The next frame, or null if the server closed the connection; fails after {@code timeoutMs}. */
    Frame read(long timeoutMs) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            byte[] frame = assembler.next(view);
            if (frame != null) {
                return FrameCodec.decode(frame, 0, frame.length);
            }
            int left = (int) Math.max(1, deadline - System.currentTimeMillis());
            socket.setSoTimeout(left);
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                throw new IOException("no frame within " + timeoutMs + " ms");
            } catch (IOException e) {
                return null;
            }
            if (n < 0) {
                return null;
            }
            view = ByteBuffer.wrap(buf, 0, n);
        }
    }

    /** Reads until the server closes the connection; returns the last Error frame it sent, or null. */
    Frame.Error readUntilClosed(long timeoutMs) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        Frame.Error error = null;
        while (true) {
            Frame frame = read(Math.max(1, deadline - System.currentTimeMillis()));
            if (frame == null) {
                return error;
            }
            if (frame instanceof Frame.Error e) {
                error = e;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
