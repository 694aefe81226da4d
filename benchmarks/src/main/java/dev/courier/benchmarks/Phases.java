package dev.courier.benchmarks;

/**
 * How long a workload runs: a warm-up whose deliveries are verified but not counted, then the
 * measured phase. {@code backlog} bounds the messages sent but not yet delivered (per receiver),
 * so a producer faster than its consumers measures end-to-end flow instead of filling the heap.
 */
record Phases(double warmupSeconds, double measuredSeconds, int backlog) {
}
