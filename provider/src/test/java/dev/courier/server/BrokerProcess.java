package dev.courier.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The executable broker in a child JVM, for tests: started on a free port over a data directory. */
final class BrokerProcess implements AutoCloseable {

    private static final Pattern ACCEPTING = Pattern.compile("accepting connections on 127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Thread pump;
    private final int port;

    BrokerProcess(Path data) throws IOException, InterruptedException {
        this(data, 0);
    }

    /** A broker on {@code port} (0: a free one), for a restart where its clients expect it. */
    BrokerProcess(Path data, int requestedPort) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), BrokerMain.class.getName(),
                "broker", "--port", Integer.toString(requestedPort), "--data", data.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        BlockingQueue<String> lines = new ArrayBlockingQueue<>(10_000);
        pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    log.add(line);
                    lines.offer(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "broker-process-stderr");
        pump.setDaemon(true);
        pump.start();
        long deadline = System.currentTimeMillis() + 30_000;
        int found = -1;
        while (found < 0) {
            String line = lines.poll(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            if (line == null) {
                process.destroyForcibly();
                throw new IOException("the broker never said it was accepting connections; log: " + log);
            }
            Matcher m = ACCEPTING.matcher(line);
            if (m.find()) {
                found = Integer.parseInt(m.group(1));
            }
        }
        port = found;
    }

    int port() {
        return port;
    }

    List<String> log() {
        return log;
    }

    /** SIGTERM (through the handle: {@code Process.destroy()} would also close our end of its stderr). */
    boolean terminate(long timeoutSeconds) throws InterruptedException {
        process.toHandle().destroy();
        boolean stopped = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        pump.join(10_000);
        return stopped;
    }

    /** SIGKILL: no shutdown hook, no last writes. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
