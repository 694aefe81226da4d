package dev.courier.server;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogManager;

/**
 * The standalone broker's {@code java.util.logging} manager: the JDK's own shutdown hook resets
 * (closes) every log handler, racing with the broker's hook, so the lifecycle lines of a
 * SIGTERM shutdown would be lost. This manager lets that reset wait, for a bounded time, until
 * the broker has stopped. Installed by {@link BrokerMain#main} only when the operator has not
 * chosen a logging setup.
 */
public final class BrokerLogManager extends LogManager {

    private static final CountDownLatch BROKER_STOPPED = new CountDownLatch(1);

    /** The broker has logged its last line. */
    static void brokerStopped() {
        BROKER_STOPPED.countDown();
    }

    @Override
    public void reset() {
        if (shuttingDown()) {
            try {
                BROKER_STOPPED.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        super.reset();
    }

    /** Registering a hook is refused exactly while the JVM shuts down. */
    private static boolean shuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
