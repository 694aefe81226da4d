package dev.courier.benchmarks;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Point-to-point throughput: P producers and C consumers on one queue, each on its own
 * connection. Non-transacted consumers are asynchronous listeners with AUTO_ACKNOWLEDGE;
 * transacted ones receive on their own thread and commit every {@value #TX_BATCH} messages, as
 * transacted producers commit every {@value #TX_BATCH} sends. Non-transacted persistent sends
 * use the provider's default, which is synchronous for all three providers measured.
 *
 * <p>Threading: producers run on {@link Flow}'s threads, listeners on the provider's, transacted
 * receivers on their own; they share only the {@link Ledger} and the {@code done} flag.
 */
final class QueueWorkload implements Workload {

    static final int TX_BATCH = 100;
    private static final int SEND_BATCH = 64;

    private final String name;
    private final boolean persistent;
    private final int producers;
    private final int consumers;
    private final boolean transacted;

    QueueWorkload(String name, boolean persistent, int producers, int consumers, boolean transacted) {
        this.name = name;
        this.persistent = persistent;
        this.producers = producers;
        this.consumers = consumers;
        this.transacted = transacted;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String unit() {
        return "msg/s";
    }

    @Override
    public Measurement run(ConnectionFactory factory, Phases phases) throws Exception {
        Ledger ledger = new Ledger(name, producers);
        Flow flow = new Flow(name, phases, producers, 1, ledger::delivered);
        List<Connection> connections = new ArrayList<>();
        List<Thread> receivers = new ArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        try {
            for (int i = 0; i < consumers; i++) {
                Connection c = factory.createConnection();
                connections.add(c);
                Session s = c.createSession(transacted, transacted ? Session.SESSION_TRANSACTED : Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = s.createConsumer(s.createQueue(name));
                if (transacted) {
                    receivers.add(startReceiver(flow, ledger, s, consumer, done, i));
                } else {
                    consumer.setMessageListener(m -> {
                        try {
                            Workload.record(ledger, m);
                        } catch (Throwable e) {
                            flow.fail(e);
                        }
                    });
                }
                c.start();
            }
            for (int i = 0; i < producers; i++) {
                int index = i;
                flow.startProducer(index, transacted ? TX_BATCH : SEND_BATCH, () -> openProducer(factory, index));
            }
            double rate = flow.measure();
            done.set(true);
            for (Thread t : receivers) {
                t.join(TimeUnit.SECONDS.toMillis(60));
            }
            flow.rethrow();
            ledger.verify(flow.sent());
            return new Measurement(rate);
        } finally {
            done.set(true);
            for (Connection c : connections) {
                c.close();
            }
        }
    }

    private Flow.ProducerSetUp.Producer openProducer(ConnectionFactory factory, int index) throws Exception {
        Connection c = factory.createConnection();
        Session s = c.createSession(transacted, transacted ? Session.SESSION_TRANSACTED : Session.AUTO_ACKNOWLEDGE);
        Queue queue = s.createQueue(name);
        MessageProducer producer = s.createProducer(queue);
        producer.setDeliveryMode(persistent ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT);
        return Flow.ProducerSetUp.Producer.of(c, seq -> producer.send(Workload.numbered(s, index, seq)),
                transacted ? s::commit : () -> { });
    }

    /** A transacted consumer: receives on its own thread, commits every {@value #TX_BATCH} messages. */
    private static Thread startReceiver(Flow flow, Ledger ledger, Session s, MessageConsumer consumer, AtomicBoolean done,
            int index) {
        Thread t = new Thread(() -> {
            try {
                int uncommitted = 0;
                while (!done.get()) {
                    Message m = consumer.receive(100);
                    if (m != null) {
                        Workload.record(ledger, m);
                        if (++uncommitted == TX_BATCH) {
                            s.commit();
                            uncommitted = 0;
                        }
                    }
                }
                if (uncommitted > 0) {
                    s.commit();
                }
            } catch (Throwable e) {
                flow.fail(e);
            }
        }, "tx-consumer-" + index);
        t.start();
        return t;
    }
}
