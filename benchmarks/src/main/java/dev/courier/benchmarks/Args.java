package dev.courier.benchmarks;

/** The few command-line options the workloads take: {@code --name value}. */
final class Args {

    private Args() {
    }

    static int intArg(String[] args, String name, int defaultValue) {
        String value = stringArg(args, name, null);
        return value == null ? defaultValue : Integer.parseInt(value);
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
