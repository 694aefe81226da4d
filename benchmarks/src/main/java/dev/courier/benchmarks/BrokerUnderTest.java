package dev.courier.benchmarks;

import jakarta.jms.ConnectionFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One provider the compare command measures: an embedded broker, persistent, with its data in a
 * fresh folder, reachable in-VM and over TCP on 127.0.0.1. Each measurement starts one, uses it
 * and closes it, so no run inherits another's journal or queues.
 */
interface BrokerUnderTest extends AutoCloseable {

    /** The transports every broker offers. */
    enum Transport {
        VM, TCP;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A started broker of the named provider ({@code courier}, {@code artemis} or {@code classic}). */
    static BrokerUnderTest start(String provider, Path dataDir) throws Exception {
        switch (provider) {
            case "courier":
                return CourierBroker.start(dataDir);
            case "artemis":
                return ArtemisBroker.start(dataDir);
            case "classic":
                return ClassicBroker.start(dataDir);
            default:
                throw new IllegalArgumentException("unknown provider '" + provider + "': courier, artemis or classic");
        }
    }

    /** A connection factory for this broker over {@code transport}, with the provider's defaults. */
    ConnectionFactory connectionFactory(Transport transport);

    /**
     * Stops the broker; its data folder is then deleted by the caller.
     *
     * @throws IllegalStateException if the broker failed to stop
     */
    @Override
    void close();

    /** Runs a peer's stop, which declares {@code Exception}, as {@link #close()} wants it. */
    static void stopping(String what, java.util.concurrent.Callable<?> stop) {
        try {
            stop.call();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " interrupted while stopping", e);
        } catch (Exception e) {
            throw new IllegalStateException(what + " failed to stop: " + e, e);
        }
    }

    /** Deletes {@code root} and everything below it, if it exists. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
