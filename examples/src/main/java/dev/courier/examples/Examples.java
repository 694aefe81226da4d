package dev.courier.examples;

import java.io.PrintStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.naming.Context;
import javax.naming.InitialContext;

/**
 * Runs the examples: {@code java -jar examples/target/courier-examples.jar [NAME]}. With no name
 * it runs them all in turn (the README quickstart); with an unknown name it prints the usage and
 * exits with status 2; if an example does not finish its use case, the status is 1. Everything an
 * example uses comes from the {@code jndi.properties} next to these classes.
 */
public final class Examples {

    /** The examples by command-line name, in the order "run all" uses. */
    public static final Map<String, Example> ALL;

    static {
        Map<String, Example> all = new LinkedHashMap<>();
        all.put("work-queue", WorkQueue::run);
        all.put("pub-sub", PubSub::run);
        all.put("property-routing", PropertyRouting::run);
        all.put("request-reply", RequestReply::run);
        all.put("log-collection", LogCollection::run);
        ALL = Collections.unmodifiableMap(all);
    }

    static final int OK = 0;
    static final int EXAMPLE_FAILED = 1;
    static final int USAGE = 2;

    private Examples() {
    }

    public static void main(String[] args) throws Exception {
        Context jndi = new InitialContext();
        int status;
        try {
            status = run(args, jndi, System.out, System.err);
        } finally {
            jndi.close();
        }
        if (status != OK) {
            System.exit(status);
        }
    }

    /**
     * Runs the examples {@code args} names (all of them when empty) and returns the exit status.
     */
    static int run(String[] args, Context jndi, PrintStream out, PrintStream err) throws Exception {
        if (args.length > 1 || (args.length == 1 && !ALL.containsKey(args[0]))) {
            err.println("usage: java -jar courier-examples.jar [" + String.join("|", ALL.keySet()) + "]");
            err.println("       with no name, runs every example in turn");
            return USAGE;
        }
        Map<String, Example> chosen = args.length == 0 ? ALL : Map.of(args[0], ALL.get(args[0]));
        int status = OK;
        for (Map.Entry<String, Example> example : chosen.entrySet()) {
            out.println("== " + example.getKey());
            ExampleResult result = example.getValue().run(jndi, out);
            out.println("== " + example.getKey() + ": " + (result.succeeded() ? "OK" : "FAILED " + result));
            out.println();
            if (!result.succeeded()) {
                status = EXAMPLE_FAILED;
            }
        }
        return status;
    }
}
