package dev.courier.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.broker.Broker;
import dev.courier.broker.BrokerConfig;
import dev.courier.jms.CourierConnectionFactory;
import dev.courier.protocol.Frame;
import dev.courier.protocol.FrameAssembler;
import dev.courier.protocol.FrameCodec;
import dev.courier.protocol.WireError;
import dev.courier.server.TcpServer;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How the TCP link behaves when the broker goes away, refuses, or stops answering. */
class TcpLinkFailureTest {

    private static final long WAIT_MS = 10_000;

    /** A fake broker that completes the handshake, then reads everything and answers nothing. */
    private static final class SilentBroker implements AutoCloseable {
        final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final Thread thread;
        volatile Socket accepted;

        SilentBroker(Frame answer) throws IOException {
            this(FrameCodec.encode(answer));
        }

        SilentBroker(byte[] answer) throws IOException {
            thread = new Thread(() -> serve(answer), "silent-broker");
            thread.setDaemon(true);
            thread.start();
        }

        private void serve(byte[] answer) {
            try (Socket socket = listener.accept()) {
                accepted = socket;
                InputStream in = socket.getInputStream();
                FrameAssembler assembler = new FrameAssembler(Frame.DEFAULT_MAX_FRAME_SIZE);
                byte[] buf = new byte[4096];
                boolean answered = false;
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (!answered && assembler.next(ByteBuffer.wrap(buf, 0, n)) != null) {
                        socket.getOutputStream().write(answer);
                        answered = true;
                    }
                }
            } catch (IOException ignored) {
                // the test closed it
            }
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            Socket socket = accepted;
            if (socket != null) {
                socket.close();
            }
        }
    }

    @Test
    void aSilentBrokerIsDetectedWithinThreeHeartbeats() throws Exception {
        try (SilentBroker fake = new SilentBroker(new Frame.Welcome(Frame.VERSION, 1, 100, Frame.DEFAULT_MAX_FRAME_SIZE))) {
            Connection c = new CourierConnectionFactory("tcp://127.0.0.1:" + fake.port() + "?heartbeat=100")
                    .createConnection();
            BlockingQueue<JMSException> told = new ArrayBlockingQueue<>(4);
            c.setExceptionListener(told::add);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = s.createProducer(s.createQueue("q"));
            long start = System.nanoTime();
            CompletableFuture<Void> send = CompletableFuture.runAsync(() -> {
                try {
                    producer.send(s.createTextMessage("never answered"));
                } catch (JMSException e) {
                    throw new RuntimeException(e);
                }
            });
            ExecutionException failed = assertThrows(ExecutionException.class, () -> send.get(WAIT_MS, TimeUnit.MILLISECONDS));
            assertInstanceOf(JMSException.class, failed.getCause().getCause());
            JMSException cause = told.poll(WAIT_MS, TimeUnit.MILLISECONDS);
            assertNotNull(cause, "the exception listener was told");
            assertTrue(cause.getMessage().contains("sent nothing"), cause.getMessage());
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(tookMs < 3_000, "detected after " + tookMs + " ms");
            c.close();
            assertNoLinkThreads();
        }
    }

    @Test
    void framesInTheSameReadAsTheWelcomeAreNotLost() throws Exception {
        byte[] welcome = FrameCodec.encode(new Frame.Welcome(Frame.VERSION, 1, 100, Frame.DEFAULT_MAX_FRAME_SIZE));
        byte[] heartbeat = FrameCodec.encode(Frame.Heartbeat.INSTANCE);
        byte[] both = java.util.Arrays.copyOf(welcome, welcome.length + heartbeat.length);
        System.arraycopy(heartbeat, 0, both, welcome.length, heartbeat.length);
        try (SilentBroker fake = new SilentBroker(both)) {
            Connection c = new CourierConnectionFactory("tcp://127.0.0.1:" + fake.port() + "?heartbeat=100")
                    .createConnection();
            BlockingQueue<JMSException> told = new ArrayBlockingQueue<>(4);
            c.setExceptionListener(told::add);
            JMSException cause = told.poll(WAIT_MS, TimeUnit.MILLISECONDS);
            assertNotNull(cause);
            assertTrue(cause.getMessage().contains("sent nothing"), "failed only when the fake went silent: " + cause.getMessage());
            c.close();
        }
    }

    @Test
    void refusedCredentialsAreASecurityException() throws Exception {
        try (SilentBroker fake = new SilentBroker(new Frame.Error(WireError.SECURITY, "bad password"))) {
            JMSSecurityException e = assertThrows(JMSSecurityException.class,
                    () -> new CourierConnectionFactory("tcp://127.0.0.1:" + fake.port()).createConnection("u", "p"));
            assertTrue(e.getMessage().contains("bad password"), e.getMessage());
        }
    }

    @Test
    void noBrokerListeningIsAClearJmsException() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        JMSException e = assertThrows(JMSException.class,
                () -> new CourierConnectionFactory("tcp://127.0.0.1:" + port).createConnection());
        assertTrue(e.getMessage().contains("cannot connect to the broker at 127.0.0.1:" + port), e.getMessage());
    }

    @Test
    void aBrokerShutdownFailsTheLinkAndTellsTheExceptionListener() throws Exception {
        Broker broker = new Broker("shutdown-test", BrokerConfig.defaults());
        TcpServer server = new TcpServer(broker, "127.0.0.1", 0).start();
        try {
            Connection c = new CourierConnectionFactory("tcp://127.0.0.1:" + server.port()).createConnection();
            BlockingQueue<JMSException> told = new ArrayBlockingQueue<>(4);
            c.setExceptionListener(told::add);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = s.createProducer(s.createQueue("q"));
            producer.send(s.createTextMessage("before"));
            server.close();
            JMSException cause = told.poll(WAIT_MS, TimeUnit.MILLISECONDS);
            assertNotNull(cause, "the exception listener was told");
            assertTrue(cause.getMessage().contains("shutting down"), cause.getMessage());
            assertThrows(JMSException.class, () -> producer.send(s.createTextMessage("after")));
            c.close();
            assertNoLinkThreads();
            assertEquals(0, server.connectionCount());
        } finally {
            server.close();
            broker.stop();
        }
    }

    private static void assertNoLinkThreads() throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (linkThreads() > 0 && System.currentTimeMillis() < deadline) {
            Thread.onSpinWait();
        }
        assertFalse(linkThreads() > 0, "courier-tcp-* threads left after close");
    }

    private static long linkThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive).filter(t -> t.getName().startsWith("courier-tcp-")).count();
    }
}
