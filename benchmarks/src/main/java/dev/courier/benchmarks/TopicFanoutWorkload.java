package dev.courier.benchmarks;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.List;

/**
 * Publish/subscribe fan-out: one publisher sends non-persistent messages to a topic with N
 * subscribers (asynchronous listeners, AUTO_ACKNOWLEDGE, each on its own connection). The figure
 * is deliveries per second, summed over subscribers; each subscriber must see every message once.
 *
 * <p>Threading: each subscriber's listener thread writes only its own {@link Ledger}.
 */
final class TopicFanoutWorkload implements Workload {

    private static final int SEND_BATCH = 64;

    private final int subscribers;

    TopicFanoutWorkload(int subscribers) {
        this.subscribers = subscribers;
    }

    @Override
    public String name() {
        return "topic-fanout";
    }

    @Override
    public String unit() {
        return "deliveries/s";
    }

    @Override
    public Measurement run(ConnectionFactory factory, Phases phases) throws Exception {
        List<Ledger> ledgers = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            ledgers.add(new Ledger(name() + " subscriber " + i, 1));
        }
        Flow flow = new Flow(name(), phases, 1, subscribers, () -> {
            long sum = 0;
            for (Ledger l : ledgers) {
                sum += l.delivered();
            }
            return sum;
        });
        List<Connection> connections = new ArrayList<>();
        try {
            for (Ledger ledger : ledgers) {
                Connection c = factory.createConnection();
                connections.add(c);
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                s.createConsumer(s.createTopic(name())).setMessageListener(m -> {
                    try {
                        Workload.record(ledger, m);
                    } catch (Throwable e) {
                        flow.fail(e);
                    }
                });
                c.start();
            }
            flow.startProducer(0, SEND_BATCH, () -> {
                Connection c = factory.createConnection();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = s.createProducer(s.createTopic(name()));
                producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
                return Flow.ProducerSetUp.Producer.of(c, seq -> producer.send(Workload.numbered(s, 0, seq)),
                        () -> { });
            });
            double rate = flow.measure();
            long[] sent = flow.sent();
            for (Ledger ledger : ledgers) {
                ledger.verify(sent);
            }
            return new Measurement(rate);
        } finally {
            for (Connection c : connections) {
                c.close();
            }
        }
    }
}
