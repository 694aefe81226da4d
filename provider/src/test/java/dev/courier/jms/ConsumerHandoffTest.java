package dev.courier.jms;

import static dev.courier.jms.SessionTestSupport.async;
import static dev.courier.jms.SessionTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A receiver that waits for every message: each send must wake it, however the delivery and the
 * receiver's decision to wait interleave (a lost wake-up would leave a receive waiting out its
 * timeout and fail the test).
 */
@AllTransports
class ConsumerHandoffTest extends BrokerFixture {

    /** Longer than the longest a receiver spins before it parks (100 µs). */
    private static final long PAST_THE_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(300);

    @Test
    void everySendWakesAReceiverThatIsWaitingForIt() throws Exception {
        int rounds = 2_000;
        try (Connection c = factory().createConnection()) {
            Session producerSession = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session consumerSession = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = producerSession.createProducer(producerSession.createQueue("handoff"));
            MessageConsumer consumer = consumerSession.createConsumer(consumerSession.createQueue("handoff"));
            c.start();
            // The sender waits for each message to be taken, so the receiver is already waiting
            // when the next one comes: spinning, or, every other round, parked, because the
            // sender pauses longer than a receiver spins.
            Semaphore taken = new Semaphore(0);
            Future<Integer> received = async("receiver", () -> {
                int n = 0;
                for (int i = 0; i < rounds; i++) {
                    Message m = consumer.receive(WAIT_MS);
                    assertNotNull(m, "receive " + i + " was not woken by its message");
                    assertEquals(i, m.getIntProperty("i"));
                    n++;
                    taken.release();
                }
                return n;
            });
            for (int i = 0; i < rounds; i++) {
                if (i % 2 == 1) {
                    LockSupport.parkNanos(PAST_THE_SPIN_NANOS);
                }
                Message m = producerSession.createMessage();
                m.setIntProperty("i", i);
                producer.send(m);
                if (!taken.tryAcquire(WAIT_MS, TimeUnit.MILLISECONDS)) {
                    break; // the receiver failed; its assertion tells why
                }
            }
            assertEquals(rounds, await(received, WAIT_MS, "receiver"));
        }
    }
}
