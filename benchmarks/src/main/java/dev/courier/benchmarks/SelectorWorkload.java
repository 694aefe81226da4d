package dev.courier.benchmarks;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.List;

/**
 * Selector routing: one producer sends non-persistent messages with an int property {@code k}
 * cycling 0..N-1 to one queue with N consumers (listeners, AUTO_ACKNOWLEDGE, each on its own
 * connection) whose selectors are {@code k = 0} .. {@code k = N-1}. A message reaching a consumer
 * whose selector does not match fails the run, as does a lost or duplicated one.
 *
 * <p>Threading: the ten listener threads share one {@link Ledger}, which is safe for that.
 */
final class SelectorWorkload implements Workload {

    private static final String KEY = "k";
    private static final int SEND_BATCH = 64;

    private final int consumers;

    SelectorWorkload(int consumers) {
        this.consumers = consumers;
    }

    @Override
    public String name() {
        return "selector";
    }

    @Override
    public String unit() {
        return "msg/s";
    }

    @Override
    public Measurement run(ConnectionFactory factory, Phases phases) throws Exception {
        Ledger ledger = new Ledger(name(), 1);
        Flow flow = new Flow(name(), phases, 1, 1, ledger::delivered);
        List<Connection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < consumers; i++) {
                int key = i;
                Connection c = factory.createConnection();
                connections.add(c);
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                s.createConsumer(s.createQueue(name()), KEY + " = " + key).setMessageListener(m -> {
                    try {
                        if (m.getIntProperty(KEY) != key) {
                            throw new WorkloadFailure(name() + ": message with " + KEY + " = " + m.getIntProperty(KEY)
                                    + " reached the consumer of " + KEY + " = " + key);
                        }
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
                MessageProducer producer = s.createProducer(s.createQueue(name()));
                producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
                return Flow.ProducerSetUp.Producer.of(c, seq -> {
                    var m = Workload.numbered(s, 0, seq);
                    m.setIntProperty(KEY, seq % consumers);
                    producer.send(m);
                }, () -> { });
            });
            double rate = flow.measure();
            ledger.verify(flow.sent());
            return new Measurement(rate);
        } finally {
            for (Connection c : connections) {
                c.close();
            }
        }
    }
}
