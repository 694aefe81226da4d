package dev.courier.benchmarks;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Request/reply round trip: a requester (own connection) sends a non-persistent 1 KiB request
 * naming a temporary reply queue and waits for the reply; a responder (own connection, listener,
 * AUTO_ACKNOWLEDGE) answers each request with a 1 KiB reply carrying the request's number. A reply
 * with another number (a lost or duplicated message) or none within ten seconds fails the run.
 * Figures: p50, p99 and p999 of the round trip during the measured phase, in microseconds.
 *
 * <p>Threading: the calling thread is the requester and owns the samples; the responder's listener
 * thread reports a failure through {@code failure}.
 */
final class RequestReplyWorkload implements Workload {

    private static final long REPLY_TIMEOUT_MS = 10_000;

    @Override
    public String name() {
        return "rr-latency";
    }

    @Override
    public String unit() {
        return "us p50";
    }

    @Override
    public boolean higherIsBetter() {
        return false;
    }

    @Override
    public List<String> extraLabels() {
        return List.of("p99", "p999");
    }

    @Override
    public Measurement run(ConnectionFactory factory, Phases phases) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (Connection responder = factory.createConnection(); Connection requester = factory.createConnection()) {
            Session rs = responder.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer replies = rs.createProducer(null);
            replies.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            rs.createConsumer(rs.createQueue(name())).setMessageListener(request -> {
                try {
                    Message reply = Workload.numbered(rs, 0, request.getIntProperty(SEQ));
                    replies.send(request.getJMSReplyTo(), reply);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            responder.start();
            Session qs = requester.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue service = qs.createQueue(name());
            TemporaryQueue replyQueue = qs.createTemporaryQueue();
            MessageConsumer replyConsumer = qs.createConsumer(replyQueue);
            MessageProducer requests = qs.createProducer(service);
            requests.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            requester.start();

            int seq = 0;
            long warmupEnd = System.nanoTime() + (long) (phases.warmupSeconds() * 1e9);
            while (System.nanoTime() < warmupEnd) {
                roundTrip(qs, requests, replyConsumer, replyQueue, seq++, failure);
            }
            long[] nanos = new long[1 << 16];
            int n = 0;
            long end = System.nanoTime() + (long) (phases.measuredSeconds() * 1e9);
            do {
                if (n == nanos.length) {
                    nanos = Arrays.copyOf(nanos, n * 2);
                }
                nanos[n++] = roundTrip(qs, requests, replyConsumer, replyQueue, seq++, failure);
            } while (System.nanoTime() < end);
            Message extra = replyConsumer.receive(100);
            if (extra != null) {
                throw new WorkloadFailure(name() + ": an extra reply arrived, number " + extra.getIntProperty(SEQ));
            }
            Arrays.sort(nanos, 0, n);
            return new Measurement(percentile(nanos, n, 0.50), percentile(nanos, n, 0.99), percentile(nanos, n, 0.999));
        }
    }

    /** One request and its reply; returns the round trip in nanoseconds. */
    private long roundTrip(Session session, MessageProducer requests, MessageConsumer replies, TemporaryQueue replyQueue,
            int seq, AtomicReference<Throwable> failure) throws Exception {
        Message request = Workload.numbered(session, 0, seq);
        request.setJMSReplyTo(replyQueue);
        long start = System.nanoTime();
        requests.send(request);
        Message reply = replies.receive(REPLY_TIMEOUT_MS);
        long elapsed = System.nanoTime() - start;
        if (failure.get() != null) {
            throw new WorkloadFailure(name() + ": responder failed: " + failure.get(), failure.get());
        }
        if (reply == null) {
            throw new WorkloadFailure(name() + ": no reply to request " + seq + " within " + REPLY_TIMEOUT_MS + " ms");
        }
        if (reply.getIntProperty(SEQ) != seq) {
            throw new WorkloadFailure(name() + ": request " + seq + " got the reply to " + reply.getIntProperty(SEQ));
        }
        return elapsed;
    }

    /** The {@code q} quantile of the first {@code n} sorted values, in microseconds. */
    private static double percentile(long[] sorted, int n, double q) {
        return sorted[Math.min(n - 1, (int) Math.floor(q * n))] / 1e3;
    }
}
