package dev.courier.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.broker.Broker;
import dev.courier.broker.BrokerConfig;
import dev.courier.jms.CourierConnectionFactory;
import dev.courier.message.Address;
import dev.courier.message.BodyType;
import dev.courier.message.MessageRecord;
import dev.courier.protocol.Frame;
import dev.courier.protocol.FrameCodec;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Throws random and mutated frames at a running broker while a well-formed client keeps
 * working: the broker stays up, the good client's round trips never fail, and every bad
 * connection is closed, with an error frame whenever the bad input was one whole frame.
 * Runs for {@code courier.fuzz.seconds} (default 5) seconds; set it higher for a longer run.
 */
class ProtocolFuzzTest {

    private static final long SECONDS = Long.getLong("courier.fuzz.seconds", 5);
    private static final int FUZZERS = 4;
    private static final long CLOSE_WAIT_MS = 10_000;

    private static final List<byte[]> VALID_REQUESTS = List.of(
            FrameCodec.encode(new Frame.Send(1, record())),
            FrameCodec.encode(new Frame.Commit(2, List.of(record(), record()), new long[] {1, 2})),
            FrameCodec.encode(new Frame.OpenConsumer(3, 9, Address.queue("fuzz"), "a = 1", false, null, false, false, 5)),
            FrameCodec.encode(new Frame.Browse(4, Address.queue("fuzz"), null)),
            FrameCodec.encode(new Frame.Acknowledge(5, new long[] {1, 2, 3})),
            FrameCodec.encode(new Frame.CreateTemporary(6, Address.Kind.TEMPORARY_QUEUE)));

    private static MessageRecord record() {
        return MessageRecord.builder().destination(Address.queue("fuzz")).property("a", 1)
                .body(BodyType.TEXT, "fuzz body").build();
    }

    @Test
    void theBrokerSurvivesBadInputAndKeepsServingAGoodClient() throws Exception {
        Broker broker = new Broker("fuzz", BrokerConfig.defaults());
        TcpServer server = new TcpServer(broker, "127.0.0.1", 0, TcpServerConfig.defaults()
                .withHandshakeTimeoutMillis(300).withMaxFrameSize(1024 * 1024).withWorkerThreads(4)).start();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicInteger badConnections = new AtomicInteger();
        AtomicInteger errorFrames = new AtomicInteger();
        AtomicLong goodRoundTrips = new AtomicLong();
        long end = System.nanoTime() + SECONDS * 1_000_000_000L;
        try (Connection good = new CourierConnectionFactory("tcp://127.0.0.1:" + server.port()).createConnection()) {
            Session session = good.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("good"));
            MessageConsumer consumer = session.createConsumer(session.createQueue("good"));
            good.start();
            List<Thread> fuzzers = new ArrayList<>();
            for (int i = 0; i < FUZZERS; i++) {
                long seed = 1000 + i;
                Thread t = new Thread(() -> fuzz(server.port(), seed, end, problems, badConnections, errorFrames),
                        "fuzzer-" + i);
                t.start();
                fuzzers.add(t);
            }
            int n = 0;
            while (System.nanoTime() < end) {
                producer.send(session.createTextMessage("ping " + n));
                TextMessage reply = (TextMessage) consumer.receive(CLOSE_WAIT_MS);
                assertNotNull(reply, "the good client's message " + n + " did not come back");
                assertEquals("ping " + n, reply.getText());
                goodRoundTrips.incrementAndGet();
                n++;
            }
            for (Thread t : fuzzers) {
                t.join();
            }
        } finally {
            server.close();
            broker.stop();
        }
        assertTrue(problems.isEmpty(), problems.size() + " problems, first: " + problems.peek());
        assertTrue(badConnections.get() > 20, "only " + badConnections.get() + " bad connections tried");
        assertTrue(errorFrames.get() > 0, "no error frame seen");
        assertTrue(goodRoundTrips.get() > 10, "good client round trips: " + goodRoundTrips.get());
        System.out.printf("protocol fuzz: %d bad connections closed (%d with an error frame), %d good round trips in %d s%n",
                badConnections.get(), errorFrames.get(), goodRoundTrips.get(), SECONDS);
    }

    private static void fuzz(int port, long seed, long end, ConcurrentLinkedQueue<String> problems,
            AtomicInteger badConnections, AtomicInteger errorFrames) {
        Random random = new Random(seed);
        while (System.nanoTime() < end && problems.isEmpty()) {
            int scenario = random.nextInt(8);
            try (RawClient client = new RawClient(port)) {
                boolean wholeBadFrame = attack(client, scenario, random);
                Frame.Error error = client.readUntilClosed(CLOSE_WAIT_MS);
                badConnections.incrementAndGet();
                if (error != null) {
                    errorFrames.incrementAndGet();
                } else if (wholeBadFrame) {
                    problems.add("scenario " + scenario + ": closed without an error frame");
                }
            } catch (IOException e) {
                // "no frame within" means the broker kept a bad connection open
                if (e.getMessage() != null && e.getMessage().startsWith("no frame within")) {
                    problems.add("scenario " + scenario + ": not closed within " + CLOSE_WAIT_MS + " ms");
                }
            }
        }
    }

    /** Sends one kind of bad input; returns true when it was exactly one complete, invalid frame. */
    private static boolean attack(RawClient client, int scenario, Random random) throws IOException {
        switch (scenario) {
            case 0 -> client.write(randomBytes(random, 1 + random.nextInt(300)));
            case 1 -> client.write(new byte[] {(byte) random.nextInt(128), (byte) random.nextInt(256),
                    (byte) random.nextInt(256), (byte) random.nextInt(256)});
            default -> {
                client.send(new Frame.Hello(Frame.MAGIC, Frame.VERSION, "fuzz", null, 100));
                switch (scenario) {
                    case 2 -> client.write(randomBytes(random, 1 + random.nextInt(300)));
                    case 3 -> client.write(mutate(VALID_REQUESTS.get(random.nextInt(VALID_REQUESTS.size())), random));
                    case 4 -> {
                        client.write(new byte[] {0, 0, 0, 1, (byte) (100 + random.nextInt(100))});
                        return true;
                    }
                    case 5 -> {
                        client.send(new Frame.Welcome(1, 1, 1, 1));
                        return true;
                    }
                    case 6 -> {
                        byte[] valid = VALID_REQUESTS.get(random.nextInt(VALID_REQUESTS.size()));
                        client.write(java.util.Arrays.copyOf(valid, 1 + random.nextInt(valid.length - 1)));
                    }
                    default -> {
                        client.write(new byte[] {0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] mutate(byte[] frame, Random random) {
        byte[] copy = frame.clone();
        int flips = 1 + random.nextInt(3);
        for (int i = 0; i < flips; i++) {
            copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
        }
        return copy;
    }
}
