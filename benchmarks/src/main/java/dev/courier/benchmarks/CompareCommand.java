package dev.courier.benchmarks;

import dev.courier.benchmarks.BrokerUnderTest.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code compare}: Courier beside embedded ActiveMQ Artemis and ActiveMQ Classic, the same
 * workloads over the same transports, providers interleaved and repeated; prints (and with
 * {@code --out} writes) a markdown table of medians, Courier / best peer and the bars of issue #8.
 * Each measurement starts a fresh broker in a fresh data folder under {@code --dir}, and deletes
 * it afterwards. A lost or duplicated message fails its measurement and makes the exit code 1.
 *
 * <pre>
 * compare [--workloads a,b] [--providers courier,artemis,classic] [--transports vm,tcp] [--runs 3]
 *         [--seconds 10] [--warmup 3] [--rehearsal 2] [--backlog 20000] [--drain-messages 100000]
 *         [--dir target/bench-data] [--out FILE.md] [--heap 4g|current]
 * </pre>
 *
 * <p>Unless {@code --heap current} says otherwise, it runs in a child JVM whose heap is fixed at
 * {@code --heap} and touched before the first broker starts ({@link PreTouchedJvm} says why).
 *
 * <p>All providers share this JVM, so the first run would otherwise measure code the JIT has not
 * compiled yet (Courier's queue-np over vm:// once gave 88k msg/s in run 1 and 601k in run 2).
 * A rehearsal round of {@code --rehearsal} seconds per figure (half warm-up, half measured) runs
 * every workload but {@code drain} (whose N messages warm it up) once per provider and transport
 * before run 1; its figures are printed and discarded, its failures count like any other.
 *
 * <p>Threading: one thread runs everything in turn; only the workloads start threads of their own.
 */
final class CompareCommand {

    /** Courier's own INFO lines (broker started, recovered, stopped) would interleave with the figures. */
    private static final Logger COURIER_LOG = Logger.getLogger("dev.courier");

    private CompareCommand() {
    }

    public static void main(String[] args) throws Exception {
        String heap = Args.stringArg(args, "--heap", PreTouchedJvm.defaultHeap());
        if (!heap.equals("current") && !PreTouchedJvm.isThisOne()) {
            String[] command = new String[args.length + 1];
            command[0] = "compare";
            System.arraycopy(args, 0, command, 1, args.length);
            System.exit(PreTouchedJvm.run(heap, command));
        }
        COURIER_LOG.setLevel(Level.WARNING);
        List<Workload> workloads = new ArrayList<>();
        int drainMessages = Args.intArg(args, "--drain-messages", 100_000);
        for (String name : Args.listArg(args, "--workloads", Workload.ALL)) {
            workloads.add(Workload.named(name, drainMessages));
        }
        List<String> providers = Args.listArg(args, "--providers", List.of("courier", "artemis", "classic"));
        List<Transport> transports = new ArrayList<>();
        for (String t : Args.listArg(args, "--transports", List.of("vm", "tcp"))) {
            transports.add(Transport.valueOf(t.toUpperCase(Locale.ROOT)));
        }
        int runs = Args.intArg(args, "--runs", 3);
        double seconds = Args.doubleArg(args, "--seconds", 10);
        Phases phases = new Phases(Args.doubleArg(args, "--warmup", 3), seconds,
                Args.intArg(args, "--backlog", 20_000));
        double rehearsal = Args.doubleArg(args, "--rehearsal", 2);
        Path dir = Path.of(Args.stringArg(args, "--dir", "target/bench-data")).toAbsolutePath();
        String out = Args.stringArg(args, "--out", null);
        Files.createDirectories(dir);

        String settings = String.format(Locale.ROOT, "Courier vs peers: %d run(s), medians; %.0f s warm-up + %.0f s"
                + " measured per figure, after a %.0f s rehearsal of each; 1 KiB bodies; backlog bound %,d;"
                + " drain N = %,d; data in %s; Artemis journal: %s; Java %s, %d CPUs, max heap %,d MiB%s",
                runs, phases.warmupSeconds(), phases.measuredSeconds(), rehearsal, phases.backlog(), drainMessages, dir, ArtemisBroker.journalKind(), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                PreTouchedJvm.isThisOne() ? " (fixed, touched before the first broker started)" : " (not pre-touched)");
        System.out.println(settings);
        ComparisonTable table = new ComparisonTable(providers);
        long started = System.nanoTime();
        if (rehearsal > 0) {
            rehearse(table, workloads, transports, providers, new Phases(rehearsal / 2, rehearsal / 2,
                    phases.backlog()), dir);
        }
        for (int run = 0; run < runs; run++) {
            double fsync = MachineLimits.fdatasyncRate(dir, Math.min(seconds, 5));
            double handoff = MachineLimits.handoffRate(Math.min(seconds, 5));
            table.addLimits(fsync, handoff);
            System.out.printf(Locale.ROOT, "run %d: raw fdatasync %,.0f/s, handoff %,.0f/s%n", run + 1, fsync, handoff);
            int turn = run;
            for (Workload w : workloads) {
                for (Transport t : transports) {
                    // Rotate who goes first, so no provider always meets the warmest (or most fragmented) disk.
                    for (int i = 0; i < providers.size(); i++) {
                        String provider = providers.get((i + turn) % providers.size());
                        measure(table, w, t, provider, phases, dir, true);
                    }
                    turn++;
                }
            }
        }
        String markdown = table.markdown(workloads, transports, settings);
        System.out.printf(Locale.ROOT, "%n%s%ntook %.1f minutes%n", markdown, (System.nanoTime() - started) / 60e9);
        if (out != null) {
            Files.writeString(Path.of(out), markdown);
        }
        // Peers leave non-daemon threads behind; the figures are out, so end here.
        System.exit(table.failures().isEmpty() ? 0 : 1);
    }

    /** The rehearsal round (see the class comment): figures discarded, failures kept. */
    private static void rehearse(ComparisonTable table, List<Workload> workloads, List<Transport> transports,
            List<String> providers, Phases phases, Path dir) throws Exception {
        System.out.println("rehearsal (not counted):");
        for (Workload w : workloads) {
            if (w instanceof DrainWorkload) {
                continue;
            }
            for (Transport t : transports) {
                for (String provider : providers) {
                    measure(table, w, t, provider, phases, dir, false);
                }
            }
        }
    }

    private static void measure(ComparisonTable table, Workload w, Transport t, String provider, Phases phases,
            Path dir, boolean counted) throws Exception {
        Path data = Files.createTempDirectory(dir, provider + "-" + w.name() + "-");
        String label = String.format(Locale.ROOT, "%-12s %-3s %-8s", w.name(), t.label(), provider);
        try {
            try (BrokerUnderTest broker = BrokerUnderTest.start(provider, data)) {
                Measurement m = w.run(broker.connectionFactory(t), phases);
                if (counted) {
                    table.add(w, t, provider, m);
                }
                System.out.printf(Locale.ROOT, "%s %,12.1f %s%s%n", label, m.value(), w.unit(), extras(w, m));
            }
        } catch (Exception | OutOfMemoryError e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            table.fail(w, t, provider, why);
            System.out.printf(Locale.ROOT, "%s FAILED: %s%n", label, why);
        } finally {
            BrokerUnderTest.deleteTree(data);
            System.gc();
        }
    }

    private static String extras(Workload w, Measurement m) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < m.extras().length; i++) {
            s.append(String.format(Locale.ROOT, "  %s %,.1f", w.extraLabels().get(i), m.extras()[i]));
        }
        return s.toString();
    }
}
