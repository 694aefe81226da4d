package dev.courier.broker;

/**
 * A point-in-time view of one queue or subscription, for operators and tests.
 *
 * @param depth     messages waiting for dispatch
 * @param inFlight  messages delivered and not yet acknowledged
 * @param consumers attached consumers
 * @param enqueued  messages ever added
 * @param dequeued  messages that left for good (acknowledged, expired or dead-lettered)
 * @param expired   messages dropped because they expired
 * @param memoryBytes estimated bytes of the messages held in memory (waiting and in flight)
 * @param paged     messages waiting in the store only (the paged tail), not counted in depth
 */
public record QueueStats(String name, int depth, int inFlight, int consumers,
                         long enqueued, long dequeued, long expired, long memoryBytes, long paged) {
}
