package dev.courier.tck;

import dev.courier.client.VmBrokers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.naming.Context;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * The standalone broker of a run over {@code tcp://}. When the system property
 * {@value #TRANSPORT} is {@code tcp}, the session starts
 * {@code java -jar courier.jar broker --port 0 --data DIR --config tck-broker.properties} in a
 * child JVM, waits for the log line in which it says it accepts connections (and on which port),
 * and points {@code new InitialContext()} at it through {@link TcpTckContextFactory}. At session
 * end the broker gets SIGTERM, then SIGKILL if it has not stopped within
 * {@value #STOP_TIMEOUT_SECONDS} s. A JVM shutdown hook does the same if the session never ends
 * normally, and a broker left behind by a test JVM that was itself killed is found by its pid file
 * and killed before the next one starts. Without the property this listener does nothing.
 *
 * <p>Threads: JUnit's launcher thread starts and stops the broker; one daemon thread copies the
 * broker's output to {@code DIR/broker.log} and reports the port; the shutdown hook only stops.
 */
public final class TcpTckBroker implements LauncherSessionListener {

    /** {@code tcp} runs the session over {@code tcp://}; anything else (or nothing) over {@code vm://}. */
    public static final String TRANSPORT = "courier.tck.transport";
    /** Where the executable jar is: {@code provider/target/courier.jar}. */
    public static final String BROKER_JAR = "courier.tck.brokerJar";
    /** A directory of the broker's own: its store, log and pid file. Emptied before each start. */
    public static final String BROKER_DIR = "courier.tck.brokerDir";
    /** Set by this listener to the broker's port, for {@link TcpTckContextFactory}. */
    public static final String PORT = "courier.tck.port";

    /** The broker of jndi.properties, which a run over tcp:// must never start. */
    private static final String EMBEDDED_BROKER = "tck";
    private static final Pattern ACCEPTING = Pattern.compile("accepting connections on [^ ]+:(\\d+)");
    private static final long START_TIMEOUT_SECONDS = 60;
    private static final long STOP_TIMEOUT_SECONDS = 30;

    private Process broker;
    private Thread shutdownHook;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (!"tcp".equals(System.getProperty(TRANSPORT))) {
            return;
        }
        Path jar = Path.of(required(BROKER_JAR));
        Path dir = Path.of(required(BROKER_DIR)).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: build the provider first (mvn ... -am package)");
        }
        try {
            killLeftOver(dir);
            deleteRecursively(dir);
            Files.createDirectories(dir);
            int port = start(jar, dir);
            System.setProperty(PORT, Integer.toString(port));
            System.setProperty(Context.INITIAL_CONTEXT_FACTORY, TcpTckContextFactory.class.getName());
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException("cannot start the TCK's broker: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            stop();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the TCK's broker", e);
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (!"tcp".equals(System.getProperty(TRANSPORT))) {
            return;
        }
        stop();
        if (shutdownHook != null) {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
            shutdownHook = null;
        }
        // Every name of jndi.properties is on vm://tck: had any lookup bypassed TcpTckContextFactory
        // (say, an InitialContext given its own factory), that broker would now exist in this JVM,
        // and the run would have tested vm:// while claiming tcp://.
        if (VmBrokers.find(EMBEDDED_BROKER) != null) {
            throw new IllegalStateException("a run over tcp:// used the embedded broker vm://" + EMBEDDED_BROKER);
        }
    }

    private int start(Path jar, Path dir) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path config = Path.of(System.getProperty("user.dir"), "src", "test", "resources", "tck-broker.properties");
        // The working directory is this module, against which the config's users= path is relative.
        broker = new ProcessBuilder(List.of(java, "-jar", jar.toString(), "broker",
                "--port", "0", "--data", dir.resolve("data").toString(), "--config", config.toString()))
                .directory(Path.of(System.getProperty("user.dir")).toFile())
                .redirectErrorStream(true)
                .start();
        Files.writeString(dir.resolve("broker.pid"), Long.toString(broker.pid()));
        shutdownHook = new Thread(this::stop, "tck-broker-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread pump = new Thread(() -> copyOutput(broker, dir.resolve("broker.log"), port), "tck-broker-log");
        pump.setDaemon(true);
        pump.start();
        try {
            return port.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the broker did not say it accepts connections within " + START_TIMEOUT_SECONDS
                    + " s (exit code " + (broker.isAlive() ? "none, still running" : broker.exitValue())
                    + "); see " + dir.resolve("broker.log"), e);
        }
    }

    /** Copies the broker's output to its log file until it exits; completes {@code port} from the accepting line. */
    private static void copyOutput(Process process, Path logFile, CompletableFuture<Integer> port) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                log.write(line);
                log.write(System.lineSeparator());
                log.flush();
                Matcher accepting = ACCEPTING.matcher(line);
                if (!port.isDone() && accepting.find()) {
                    port.complete(Integer.parseInt(accepting.group(1)));
                }
            }
        } catch (IOException e) {
            port.completeExceptionally(e);
        }
        port.completeExceptionally(new IOException("the broker's output ended"));
    }

    /** SIGTERM, so it stops cleanly; SIGKILL if it does not within the limit. Idempotent. */
    private synchronized void stop() {
        if (broker == null) {
            return;
        }
        broker.toHandle().destroy();
        try {
            if (!broker.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                System.err.println("TcpTckBroker: the broker ignored SIGTERM for " + STOP_TIMEOUT_SECONDS + " s; killing it");
                broker.destroyForcibly().waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            broker.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        broker = null;
    }

    /** A broker of an earlier run whose test JVM was killed before it could stop it: same pid, same directory. */
    private static void killLeftOver(Path dir) throws IOException, InterruptedException {
        Path pidFile = dir.resolve("broker.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (NumberFormatException e) {
            return;
        }
        String ours = dir.resolve("data").toString();
        var leftOver = ProcessHandle.of(pid)
                .filter(p -> p.info().commandLine().map(line -> line.contains(ours)).orElse(false));
        if (leftOver.isPresent()) {
            System.err.println("TcpTckBroker: killing broker " + pid + " left behind by an earlier run");
            leftOver.get().destroyForcibly();
            leftOver.get().onExit().join();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is needed for a run over tcp://");
        }
        return value;
    }
}
