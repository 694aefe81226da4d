package dev.courier.benchmarks;

/**
 * One workload's figures from one run: the headline {@code value} (msg/s, deliveries/s or µs)
 * and the workload's further figures in {@code extras} (for example p99 and p999 beside p50).
 */
record Measurement(double value, double... extras) {
}
