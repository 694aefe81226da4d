package dev.courier.tools;

import dev.courier.broker.UserStore;
import dev.courier.client.ConnectionUrl;
import dev.courier.client.TcpBrokerLink;
import dev.courier.jms.CourierConnectionFactory;
import dev.courier.protocol.Frame;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The everyday operator commands of the executable jar: {@code send}, {@code receive},
 * {@code browse} and {@code queues}, each against a running broker given by {@code --url}.
 * They are ordinary clients: the first three use the JMS API, {@code queues} asks the broker
 * for its statistics over the TCP link. Single-threaded; one command per call.
 */
public final class OperatorCommands {

    /** The commands this class runs. */
    public static final Set<String> COMMANDS = Set.of("send", "receive", "browse", "queues", "hash-password");

    static final String DEFAULT_URL = "tcp://127.0.0.1:61700";

    public static final String USAGE = String.join(System.lineSeparator(),
            "       java -jar courier.jar send    [--url URL] (--queue Q | --topic T) [TEXT...]   (no TEXT: one message per line of stdin)",
            "       java -jar courier.jar receive [--url URL] --queue Q [--count N] [--timeout MS] [--selector S]",
            "       java -jar courier.jar browse  [--url URL] --queue Q [--selector S]",
            "       java -jar courier.jar queues  [--url URL]",
            "       java -jar courier.jar hash-password PASSWORD   (prints a user-file entry: NAME=<that line>)",
            "  --url defaults to " + DEFAULT_URL + "; receive stops after N messages or when none came for MS ms (1000)");

    private static final Set<String> VALUE_FLAGS = Set.of("--url", "--queue", "--topic", "--count", "--timeout", "--selector");

    private final PrintStream out;
    private final InputStream in;
    private final Map<String, String> flags = new HashMap<>();
    private final List<String> texts = new ArrayList<>();

    private OperatorCommands(PrintStream out, InputStream in) {
        this.out = out;
        this.in = in;
    }

    /**
     * Runs {@code args[0]} with the rest of {@code args}.
     *
     * @return the exit code: 0 done, 1 the broker refused or could not be reached, 2 bad usage
     */
    public static int run(String[] args, PrintStream out, PrintStream err, InputStream in) {
        OperatorCommands command = new OperatorCommands(out, in);
        try {
            command.parse(args);
            switch (args[0]) {
                case "send" -> command.send();
                case "receive" -> command.receive();
                case "browse" -> command.browse();
                case "queues" -> command.queues();
                case "hash-password" -> command.hashPassword();
                default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'");
            }
            return 0;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println("usage:");
            err.println(USAGE);
            return 2;
        } catch (JMSException | IOException e) {
            err.println(args[0] + " failed: " + e.getMessage());
            return 1;
        }
    }

    /** Prints a user-file entry for a password (see {@code UserStore}); needs no broker. */
    private void hashPassword() {
        if (texts.size() != 1) {
            throw new IllegalArgumentException("hash-password takes exactly one password");
        }
        out.println(UserStore.entry(texts.get(0)));
    }

    private void parse(String[] args) {
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (VALUE_FLAGS.contains(arg)) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                flags.put(arg, args[++i]);
            } else if (arg.startsWith("--")) {
                throw new IllegalArgumentException("unknown flag " + arg);
            } else if ("send".equals(args[0])) {
                texts.add(arg);
            } else {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
        }
    }

    private String url() {
        return flags.getOrDefault("--url", DEFAULT_URL);
    }

    private String required(String flag) {
        String value = flags.get(flag);
        if (value == null) {
            throw new IllegalArgumentException(flag + " is required");
        }
        return value;
    }

    private int number(String flag, int defaultValue) {
        String value = flags.get(flag);
        try {
            return value == null ? defaultValue : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a number: " + value);
        }
    }

    private void send() throws JMSException, IOException {
        if (flags.containsKey("--queue") == flags.containsKey("--topic")) {
            throw new IllegalArgumentException("send needs either --queue or --topic");
        }
        List<String> messages = texts.isEmpty() ? stdinLines() : texts;
        try (Connection c = new CourierConnectionFactory(url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Destination destination = flags.containsKey("--queue")
                    ? s.createQueue(flags.get("--queue")) : s.createTopic(flags.get("--topic"));
            MessageProducer producer = s.createProducer(destination);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (String text : messages) {
                producer.send(s.createTextMessage(text));
            }
            out.println("sent " + messages.size() + " message(s) to " + destination);
        }
    }

    private List<String> stdinLines() throws IOException {
        List<String> lines = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            lines.add(line);
        }
        return lines;
    }

    private void receive() throws JMSException {
        String queue = required("--queue");
        int count = number("--count", Integer.MAX_VALUE);
        int timeout = number("--timeout", 1000);
        try (Connection c = new CourierConnectionFactory(url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue), flags.get("--selector"));
            c.start();
            int received = 0;
            Message m;
            while (received < count && (m = consumer.receive(timeout)) != null) {
                out.println(describe(m));
                received++;
            }
            out.println("received " + received + " message(s) from queue " + queue);
        }
    }

    private void browse() throws JMSException {
        String queue = required("--queue");
        try (Connection c = new CourierConnectionFactory(url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueBrowser browser = s.createBrowser(s.createQueue(queue), flags.get("--selector"));
            int n = 0;
            for (Enumeration<?> e = browser.getEnumeration(); e.hasMoreElements(); n++) {
                Message m = (Message) e.nextElement();
                out.println(m.getJMSMessageID() + "  " + describe(m));
            }
            out.println(n + " message(s) in queue " + queue);
        }
    }

    private void queues() throws JMSException {
        ConnectionUrl url;
        try {
            url = ConnectionUrl.parse(url());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--url: " + e.getMessage());
        }
        if (!"tcp".equals(url.scheme())) {
            throw new IllegalArgumentException("queues needs a tcp:// URL of a running broker");
        }
        TcpBrokerLink link = TcpBrokerLink.connect(url, null, null);
        try {
            List<Frame.QueueInfo> queues = new ArrayList<>(link.queueStats());
            queues.sort(Comparator.comparing(Frame.QueueInfo::name));
            out.printf("%-40s %10s %10s %10s %12s %12s %12s %10s%n", "QUEUE", "DEPTH", "IN_FLIGHT", "CONSUMERS",
                    "ENQUEUED", "DEQUEUED", "MEMORY", "PAGED");
            for (Frame.QueueInfo q : queues) {
                out.printf("%-40s %10d %10d %10d %12d %12d %12d %10d%n", q.name(), q.depth(), q.inFlight(), q.consumers(),
                        q.enqueued(), q.dequeued(), q.memoryBytes(), q.paged());
            }
        } finally {
            link.close();
        }
    }

    private static String describe(Message m) throws JMSException {
        if (m instanceof TextMessage t) {
            return t.getText();
        }
        if (m instanceof BytesMessage b) {
            return "<bytes message, " + b.getBodyLength() + " bytes>";
        }
        return "<" + m.getClass().getSimpleName() + ">";
    }
}
