package dev.courier.benchmarks;

import java.util.Arrays;
import java.util.List;

/** The few command-line options the workloads take: {@code --name value}. */
final class Args {

    private Args() {
    }

    static int intArg(String[] args, String name, int defaultValue) {
        String value = stringArg(args, name, null);
        return value == null ? defaultValue : Integer.parseInt(value);
    }

    static double doubleArg(String[] args, String name, double defaultValue) {
        String value = stringArg(args, name, null);
        return value == null ? defaultValue : Double.parseDouble(value);
    }

    /** A comma-separated list, or {@code defaultValue}. */
    static List<String> listArg(String[] args, String name, List<String> defaultValue) {
        String value = stringArg(args, name, null);
        return value == null ? defaultValue : Arrays.asList(value.split(","));
    }

    static String stringArg(String[] args, String name, String defaultValue) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return defaultValue;
    }
}
