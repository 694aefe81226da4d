package dev.courier.benchmarks;

import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import java.util.List;

/**
 * A workload of the compare command: it drives any {@link ConnectionFactory} and returns its
 * figures, failing with {@link WorkloadFailure} on a lost, duplicated or misrouted message.
 */
interface Workload {

    /** The body of every message: 1 KiB. */
    byte[] BODY = new byte[1024];

    /** Producer number property (which ledger row a message belongs to). */
    String PRODUCER = "p";

    /** Sequence number property, per producer from 0. */
    String SEQ = "seq";

    String name();

    /** Unit of the headline figure. */
    String unit();

    /** True for rates, false for latencies. */
    default boolean higherIsBetter() {
        return true;
    }

    /** Labels of {@link Measurement#extras()}, in order. */
    default List<String> extraLabels() {
        return List.of();
    }

    Measurement run(ConnectionFactory factory, Phases phases) throws Exception;

    /** A new 1 KiB bytes message numbered {@code seq} of producer {@code producer}. */
    static BytesMessage numbered(Session session, int producer, int seq) throws JMSException {
        BytesMessage m = session.createBytesMessage();
        m.writeBytes(BODY);
        m.setIntProperty(PRODUCER, producer);
        m.setIntProperty(SEQ, seq);
        return m;
    }

    /** Notes the arrival of {@code m} in {@code ledger}. */
    static void record(Ledger ledger, Message m) throws JMSException {
        ledger.record(m.getIntProperty(PRODUCER), m.getIntProperty(SEQ));
    }

    /** The workloads by name, in table order. */
    static Workload named(String name, int drainMessages) {
        switch (name) {
            case "queue-np":
                return new QueueWorkload(name, false, 1, 1, false);
            case "queue-p-sync":
                return new QueueWorkload(name, true, 1, 1, false);
            case "queue-p-4x4":
                return new QueueWorkload(name, true, 4, 4, false);
            case "queue-p-tx":
                return new QueueWorkload(name, true, 1, 1, true);
            case "topic-fanout":
                return new TopicFanoutWorkload(4);
            case "selector":
                return new SelectorWorkload(10);
            case "rr-latency":
                return new RequestReplyWorkload();
            case "drain":
                return new DrainWorkload(drainMessages);
            default:
                throw new IllegalArgumentException("unknown workload '" + name + "'; known: " + ALL);
        }
    }

    /** Every workload name, in table order. */
    List<String> ALL = List.of("queue-np", "queue-p-sync", "queue-p-4x4", "queue-p-tx", "topic-fanout", "selector",
            "rr-latency", "drain");
}
