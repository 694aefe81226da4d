package dev.courier.benchmarks;

/** A workload saw a lost, duplicated or misrouted message, or did not finish in time: the run fails. */
final class WorkloadFailure extends RuntimeException {

    WorkloadFailure(String message) {
        super(message);
    }

    WorkloadFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
