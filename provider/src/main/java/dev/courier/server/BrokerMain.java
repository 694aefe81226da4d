package dev.courier.server;

import dev.courier.broker.Broker;
import dev.courier.broker.BrokerException;
import dev.courier.store.H2MessageStore;
import dev.courier.tools.OperatorCommands;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The executable jar's entry point: {@code java -jar courier.jar broker [--host H] [--port N]
 * [--data DIR] [--config FILE]}, and the operator commands of {@link OperatorCommands}. Flags are parsed by hand: four flags do not justify a
 * dependency in a jar that applications embed.
 *
 * <p>Threads: the main thread starts the broker and then waits; a shutdown hook (SIGTERM,
 * Ctrl-C) stops accepting, closes the connections, then stops the broker, which finishes its
 * store writes and closes the store.
 */
public final class BrokerMain {

    /** One line per log record, unless the operator configured logging already. */
    private static final String LOG_FORMAT_PROPERTY = "java.util.logging.SimpleFormatter.format";
    private static final String LOG_FORMAT = "%1$tF %1$tT.%1$tL %4$s %3$s: %5$s%6$s%n";

    private static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar courier.jar broker [--host HOST] [--port PORT] [--data DIR] [--config FILE]",
            "  --host    address to listen on (default " + BrokerSettings.DEFAULT_HOST + ")",
            "  --port    TCP port, 0 for any free one (default " + BrokerSettings.DEFAULT_PORT + ")",
            "  --data    store directory (default " + BrokerSettings.DEFAULT_DATA + ")",
            "  --config  a .properties file; its keys are listed in README.md; flags override it",
            OperatorCommands.USAGE);

    private BrokerMain() {
    }

    /** A broker and its TCP server, running. */
    public static final class Running implements AutoCloseable {
        private final Broker broker;
        private final TcpServer server;

        private Running(Broker broker, TcpServer server) {
            this.broker = broker;
            this.server = server;
        }

        public int port() {
            return server.port();
        }

        public Broker broker() {
            return broker;
        }

        /** Stops accepting and closes connections, then stops the broker and its store. */
        @Override
        public void close() {
            server.close();
            broker.stop();
            log().log(Level.INFO, "Courier broker ''{0}'' stopped", broker.name());
        }
    }

    public static void main(String[] args) {
        boolean broker = args.length > 0 && "broker".equals(args[0]);
        if (broker && System.getProperty("java.util.logging.config.file") == null) {
            if (System.getProperty(LOG_FORMAT_PROPERTY) == null) {
                System.setProperty(LOG_FORMAT_PROPERTY, LOG_FORMAT);
            }
            if (System.getProperty("java.util.logging.manager") == null) {
                System.setProperty("java.util.logging.manager", BrokerLogManager.class.getName());
            }
        }
        int code = run(args, System.err);
        // After a clean stop the JVM is already shutting down: exiting again would only block.
        if (code != 0) {
            // Nothing left to log: the log manager's exit-time reset must not wait for a broker.
            BrokerLogManager.brokerStopped();
            System.exit(code);
        }
    }

    /** Looked up when needed, so that {@link #main} can set the log format before logging starts. */
    private static System.Logger log() {
        return System.getLogger(BrokerMain.class.getName());
    }

    /** Runs a command; returns the process exit code. */
    static int run(String[] args, PrintStream err) {
        if (args.length > 0 && OperatorCommands.COMMANDS.contains(args[0])) {
            return OperatorCommands.run(args, System.out, err, System.in);
        }
        if (args.length == 0 || !"broker".equals(args[0])) {
            err.println(args.length == 0 ? "no command given" : "unknown command '" + args[0] + "'");
            err.println(USAGE);
            return 2;
        }
        BrokerSettings settings;
        try {
            settings = parse(args);
        } catch (IllegalArgumentException | IOException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
        Running running;
        try {
            running = start(settings);
        } catch (BrokerException | RuntimeException e) {
            err.println("cannot start the broker: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log().log(Level.INFO, "Courier broker ''{0}'' shutting down", settings.name());
            running.close();
            BrokerLogManager.brokerStopped();
            stopped.countDown();
        }, "courier-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Settings from the command line: {@code --config} is read first, then the other flags override it. */
    static BrokerSettings parse(String[] args) throws IOException {
        BrokerSettings settings = BrokerSettings.defaults();
        String config = null;
        java.util.List<String[]> flags = new java.util.ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String flag = args[i];
            if (!flag.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException(flag.startsWith("--") ? flag + " needs a value" : "unexpected argument '" + flag + "'");
            }
            String value = args[++i];
            switch (flag) {
                case "--config" -> config = value;
                case "--host", "--port", "--data" -> flags.add(new String[] {flag.substring(2), value});
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        if (config != null) {
            settings = settings.withFile(Path.of(config));
        }
        for (String[] flag : flags) {
            settings = settings.with(flag[0], flag[1], "on the command line");
        }
        return settings;
    }

    /** Opens the store (recovering what it holds), starts the broker and accepts connections. */
    public static Running start(BrokerSettings settings) throws BrokerException {
        Broker broker = Broker.open(settings.name(), settings.brokerConfig(),
                new H2MessageStore(settings.data(), settings.durability()));
        try {
            TcpServer server = new TcpServer(broker, settings.host(), settings.port(), settings.serverConfig()).start();
            return new Running(broker, server);
        } catch (RuntimeException e) {
            broker.stop();
            throw e;
        }
    }
}
