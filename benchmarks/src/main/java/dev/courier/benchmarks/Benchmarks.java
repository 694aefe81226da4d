package dev.courier.benchmarks;

import java.util.Arrays;

/**
 * Runs a named workload: {@code java -jar benchmarks/target/courier-benchmarks.jar WORKLOAD [options]}.
 * Workloads verify that every message arrives exactly once; a lost or duplicated message fails
 * the run with exit code 1.
 */
public final class Benchmarks {

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
            return;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "selector-fanout":
                SelectorFanoutBenchmark.main(rest);
                break;
            case "persistent-send":
                PersistentSendBenchmark.main(rest);
                break;
            case "compare":
                CompareCommand.main(rest);
                break;
            case "transport":
                TransportBenchmark.main(rest);
                break;
            case "paging-soak":
                PagingSoak.main(rest);
                break;
            default:
                usage();
                System.exit(2);
        }
    }

    private static void usage() {
        System.out.println("usage: java -jar courier-benchmarks.jar WORKLOAD [options]\n"
                + "  selector-fanout [--runs N] [--messages N] [--kind queue|topic]\n"
                + "  persistent-send [--rounds N] [--seconds S] [--dir DIR]\n"
                + "  transport [--messages N] [--requests N]   (vm:// and tcp:// side by side)\n"
                + "  paging-soak [--gib G] [--size BYTES] [--producers N] [--dir DIR]   (run with java -Xmx256m)\n"
                + "  compare [--workloads a,b] [--providers courier,artemis,classic] [--transports vm,tcp] [--runs 3]\n"
                + "          [--seconds 10] [--warmup 3] [--backlog 20000] [--drain-messages 100000] [--dir DIR] [--out FILE.md]\n"
                + "          [--heap 4g|current]   (runs in a child JVM with a fixed, pre-touched heap unless 'current')\n"
                + "          workloads: " + String.join(",", Workload.ALL));
    }
}
