package dev.courier.examples;

import java.io.PrintStream;
import javax.naming.Context;

/** One runnable use case: looks up what it needs in {@code jndi}, narrates to {@code out}, reports its outcome. */
@FunctionalInterface
public interface Example {

    /** How long an example waits for something that should happen promptly before it gives up. */
    long MAX_WAIT_MS = 5_000;

    ExampleResult run(Context jndi, PrintStream out) throws Exception;
}
