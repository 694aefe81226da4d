package dev.courier.client;

import dev.courier.protocol.Frame;
import dev.courier.protocol.FrameAssembler;
import dev.courier.protocol.FrameCodec;
import dev.courier.protocol.ProtocolException;
import dev.courier.protocol.WireError;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;

/**
 * Opens the socket of a {@link TcpBrokerLink} and carries out the protocol's handshake (HELLO,
 * then WELCOME or ERROR) on the calling thread, before the link's own threads exist.
 */
final class TcpHandshake {

    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final int HANDSHAKE_MAX_FRAME = 64 * 1024;

    /**
     * A socket the broker welcomed.
     *
     * @param early bytes that followed the WELCOME in the same read, to be read before the socket
     */
    record Opened(String peer, Socket socket, Frame.Welcome welcome, byte[] early) {
    }

    private TcpHandshake() {
    }

    /**
     * Connects and completes the handshake; the socket is closed on any failure.
     *
     * @throws JMSSecurityException when the broker refuses the credentials
     * @throws JMSException         when the broker cannot be reached or refuses the connection
     */
    static Opened open(ConnectionUrl url, String user, String password, int heartbeatMillis) throws JMSException {
        String peer = url.host() + ":" + url.port();
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(url.host(), url.port()), CONNECT_TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(CONNECT_TIMEOUT_MILLIS);
            socket.getOutputStream().write(FrameCodec.encode(
                    new Frame.Hello(Frame.MAGIC, Frame.VERSION, user, password, heartbeatMillis)));
            ByteBuffer early = ByteBuffer.allocate(512);
            Frame answer = readAnswer(socket.getInputStream(), early);
            if (answer instanceof Frame.Error error) {
                throw refused(peer, error);
            }
            if (!(answer instanceof Frame.Welcome welcome)) {
                throw new ProtocolException("expected Welcome from the broker, got frame type " + answer.type());
            }
            byte[] rest = new byte[early.remaining()];
            early.get(rest);
            return new Opened(peer, socket, welcome, rest);
        } catch (IOException e) {
            closeQuietly(socket);
            JMSException jms = new JMSException("cannot connect to the broker at " + peer + ": " + e.getMessage());
            jms.setLinkedException(e);
            jms.initCause(e);
            throw jms;
        } catch (JMSException | RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    /** Reads the first frame; {@code chunk} is left holding whatever followed it in the same read. */
    private static Frame readAnswer(InputStream in, ByteBuffer chunk) throws IOException {
        FrameAssembler handshake = new FrameAssembler(HANDSHAKE_MAX_FRAME);
        while (true) {
            int n = in.read(chunk.array());
            if (n < 0) {
                throw new IOException("the broker closed the connection during the handshake");
            }
            chunk.limit(n).position(0);
            byte[] frame = handshake.next(chunk);
            if (frame != null) {
                return FrameCodec.decode(frame, 0, frame.length);
            }
        }
    }

    private static JMSException refused(String peer, Frame.Error error) {
        String message = "the broker at " + peer + " refused the connection: " + error.message();
        return error.error() == WireError.SECURITY ? new JMSSecurityException(message) : new JMSException(message);
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already failing; the first error is the one reported.
        }
    }
}
