package dev.courier.benchmarks;

import dev.courier.benchmarks.BrokerUnderTest.Transport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The compare command's results: measurements per workload, transport and provider, reduced to
 * medians, set against the best peer and against the bars of issue #8, printed as a markdown
 * table. Single-threaded: filled and printed by the command's thread.
 */
final class ComparisonTable {

    private final List<String> providers;
    private final Map<String, List<Measurement>> results = new LinkedHashMap<>();
    private final Map<String, String> failures = new LinkedHashMap<>();
    private final List<Double> fdatasync = new ArrayList<>();
    private final List<Double> handoff = new ArrayList<>();

    ComparisonTable(List<String> providers) {
        this.providers = providers;
    }

    void add(Workload w, Transport t, String provider, Measurement m) {
        results.computeIfAbsent(key(w, t, provider), k -> new ArrayList<>()).add(m);
    }

    void fail(Workload w, Transport t, String provider, String why) {
        failures.putIfAbsent(key(w, t, provider), why);
    }

    void addLimits(double fdatasyncPerSecond, double handoffPerSecond) {
        fdatasync.add(fdatasyncPerSecond);
        handoff.add(handoffPerSecond);
    }

    Map<String, String> failures() {
        return failures;
    }

    /** The table as markdown, with the machine's limits and the run's settings above it. */
    String markdown(List<Workload> workloads, List<Transport> transports, String settings) {
        double fsync = median(fdatasync);
        StringBuilder out = new StringBuilder();
        out.append(settings).append("\n\n");
        out.append(String.format(Locale.ROOT, "Machine: raw fdatasync %,.0f/s (4 KiB writes, data disk); "
                + "in-JVM handoff %,.0f/s (1 KiB arrays, two threads)%n%n", fsync, median(handoff)));
        out.append("| workload | transport | unit |");
        for (String p : providers) {
            out.append(' ').append(p).append(" |");
        }
        out.append(" courier / best peer | bar | met |\n|---|---|---|");
        out.append("---|".repeat(providers.size())).append("---|---|---|\n");
        for (Workload w : workloads) {
            for (Transport t : transports) {
                out.append(row(w, t, fsync)).append('\n');
            }
        }
        out.append("\nCourier / best peer: Courier's median over the best peer's median (for rr-latency, of p50: lower is"
                + " better). Bars are issue #8's, checked against Courier's medians; a FAILED cell lost, duplicated or"
                + " misrouted a message, or did not finish.\n");
        if (!failures.isEmpty()) {
            out.append("\nFailed measurements:\n\n");
            failures.forEach((k, why) -> out.append("- ").append(k).append(": ").append(why).append('\n'));
        }
        return out.toString();
    }

    private String row(Workload w, Transport t, double fsync) {
        StringBuilder row = new StringBuilder("| " + w.name() + " | " + t.label() + " | " + unit(w) + " |");
        Map<String, double[]> medians = new LinkedHashMap<>();
        for (String p : providers) {
            double[] m = medians(key(w, t, p));
            String failed = failures.get(key(w, t, p));
            if (failed != null) {
                row.append(" FAILED |");
            } else if (m == null) {
                row.append(" - |");
            } else {
                medians.put(p, m);
                row.append(' ').append(cell(m)).append(" |");
            }
        }
        double[] courier = medians.get("courier");
        Double best = null;
        for (Map.Entry<String, double[]> e : medians.entrySet()) {
            if (!e.getKey().equals("courier")) {
                double v = e.getValue()[0];
                best = best == null ? v : w.higherIsBetter() ? Math.max(best, v) : Math.min(best, v);
            }
        }
        Double ratio = courier == null || best == null ? null : courier[0] / best;
        row.append(' ').append(ratio == null ? "n/a" : String.format(Locale.ROOT, "%.2f", ratio)).append(" |");
        Bar bar = bar(w.name(), t, courier, ratio, fsync);
        row.append(' ').append(bar.text).append(" | ").append(bar.met).append(" |");
        return row.toString();
    }

    /** A bar of issue #8 and whether Courier's medians meet it ({@code n/a} without the figures it needs). */
    private record Bar(String text, String met) {
    }

    private static Bar bar(String workload, Transport t, double[] courier, Double ratio, double fsync) {
        boolean vm = t == Transport.VM;
        switch (workload) {
            case "queue-np":
            case "topic-fanout":
                return ratioBar(vm ? 5 : 4, ratio);
            case "queue-p-sync":
                return new Bar(">= 0.8 x fdatasync/s", courier == null ? "n/a" : yesNo(courier[0] >= 0.8 * fsync));
            case "queue-p-4x4":
                return new Bar(">= 3 x fdatasync/s and >= 2x best peer", courier == null || ratio == null ? "n/a"
                        : yesNo(courier[0] >= 3 * fsync && ratio >= 2));
            case "queue-p-tx":
                return ratioBar(4, ratio);
            case "selector":
                return ratioBar(5, ratio);
            case "rr-latency":
                int p50 = vm ? 30 : 80;
                return new Bar("p50 <= " + p50 + " us, p99 <= 4 x p50", courier == null ? "n/a"
                        : yesNo(courier[0] <= p50 && courier[1] <= 4 * courier[0]));
            default:
                return new Bar("reported", "-");
        }
    }

    private static Bar ratioBar(double times, Double ratio) {
        return new Bar(">= " + (int) times + "x best peer", ratio == null ? "n/a" : yesNo(ratio >= times));
    }

    private static String yesNo(boolean met) {
        return met ? "yes" : "**no**";
    }

    private static String unit(Workload w) {
        if (w.extraLabels().isEmpty()) {
            return w.unit();
        }
        return w.unit() + " / " + String.join(" / ", w.extraLabels());
    }

    private static String cell(double[] m) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < m.length; i++) {
            if (i > 0) {
                s.append(" / ");
            }
            s.append(String.format(Locale.ROOT, m[i] >= 100 ? "%,.0f" : "%.1f", m[i]));
        }
        return s.toString();
    }

    /** Component-wise medians of a cell's measurements, or null if there are none. */
    private double[] medians(String key) {
        List<Measurement> ms = results.get(key);
        if (ms == null || ms.isEmpty()) {
            return null;
        }
        int width = 1 + ms.get(0).extras().length;
        double[] result = new double[width];
        for (int i = 0; i < width; i++) {
            List<Double> column = new ArrayList<>();
            for (Measurement m : ms) {
                column.add(i == 0 ? m.value() : m.extras()[i - 1]);
            }
            result[i] = median(column);
        }
        return result;
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static String key(Workload w, Transport t, String provider) {
        return w.name() + " " + t.label() + " " + provider;
    }
}
