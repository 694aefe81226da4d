package dev.courier.server;

import dev.courier.protocol.Frame;

/**
 * Settings of a {@link TcpServer}. Immutable; start from {@link #defaults()} and use the
 * {@code with...} methods.
 *
 * @param maxFrameSize        largest frame accepted from an authenticated client, in bytes
 * @param handshakeTimeoutMillis a client that has not completed its handshake by then is dropped
 * @param minHeartbeatMillis  lower bound on the heartbeat interval a client may ask for
 * @param maxHeartbeatMillis  upper bound on the heartbeat interval a client may ask for
 * @param workerThreads       threads that run broker calls that may block (an application's acknowledge waits for the store)
 * @param highWaterBytes      a connection with more than this unread by its worker or unsent
 *                            to its client is not read until it drops below half of it
 */
public record TcpServerConfig(int maxFrameSize, int handshakeTimeoutMillis, int minHeartbeatMillis,
                              int maxHeartbeatMillis, int workerThreads, int highWaterBytes) {

    /** Frames before the handshake completes may not exceed this. */
    public static final int HANDSHAKE_MAX_FRAME_SIZE = 64 * 1024;

    public TcpServerConfig {
        if (maxFrameSize < HANDSHAKE_MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("maxFrameSize must be at least " + HANDSHAKE_MAX_FRAME_SIZE + ": " + maxFrameSize);
        }
        if (handshakeTimeoutMillis < 1 || minHeartbeatMillis < 1 || maxHeartbeatMillis < minHeartbeatMillis) {
            throw new IllegalArgumentException("timeouts must be positive and minHeartbeatMillis <= maxHeartbeatMillis");
        }
        if (workerThreads < 1 || highWaterBytes < 1024) {
            throw new IllegalArgumentException("workerThreads must be positive and highWaterBytes at least 1024");
        }
    }

    /**
     * 16 MiB frames, 10 s handshake timeout, heartbeats between 100 ms and 60 s, eight worker
     * threads per CPU (they mostly wait for the store), 8 MiB high water.
     */
    public static TcpServerConfig defaults() {
        return new TcpServerConfig(Frame.DEFAULT_MAX_FRAME_SIZE, 10_000, 100, 60_000,
                Math.max(8, 8 * Runtime.getRuntime().availableProcessors()), 8 * 1024 * 1024);
    }

    public TcpServerConfig withMaxFrameSize(int value) {
        return new TcpServerConfig(value, handshakeTimeoutMillis, minHeartbeatMillis, maxHeartbeatMillis, workerThreads, highWaterBytes);
    }

    public TcpServerConfig withHandshakeTimeoutMillis(int value) {
        return new TcpServerConfig(maxFrameSize, value, minHeartbeatMillis, maxHeartbeatMillis, workerThreads, highWaterBytes);
    }

    public TcpServerConfig withWorkerThreads(int value) {
        return new TcpServerConfig(maxFrameSize, handshakeTimeoutMillis, minHeartbeatMillis, maxHeartbeatMillis, value, highWaterBytes);
    }

    public TcpServerConfig withHighWaterBytes(int value) {
        return new TcpServerConfig(maxFrameSize, handshakeTimeoutMillis, minHeartbeatMillis, maxHeartbeatMillis, workerThreads, value);
    }

    /** The interval used for a client that asked for {@code requested} milliseconds. */
    int heartbeatFor(int requested) {
        return Math.max(minHeartbeatMillis, Math.min(maxHeartbeatMillis, requested));
    }
}
