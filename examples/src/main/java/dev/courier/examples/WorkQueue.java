package dev.courier.examples;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import javax.naming.Context;
import javax.naming.NamingException;

/**
 * A point-to-point work queue with confirmation. A dispatcher puts tasks on the {@code tasks}
 * queue; workers take them in {@code CLIENT_ACKNOWLEDGE} mode and acknowledge each task only
 * after processing it. The first worker takes a task and "crashes" (its connection closes) before
 * acknowledging; the broker hands that task again, marked {@code JMSRedelivered}, to the next
 * worker, so no task is lost and every task is completed once.
 */
public final class WorkQueue {

    static final int TASKS = 5;

    /**
     * @param sent        the tasks the dispatcher queued
     * @param completed   the tasks a worker processed and acknowledged, in order
     * @param redelivered the completed tasks that had been delivered before (to the crashed worker)
     * @param crashed     the task the crashing worker took and never acknowledged
     */
    public record Result(List<String> sent, List<String> completed, List<String> redelivered, String crashed)
            implements ExampleResult {

        @Override
        public boolean succeeded() {
            return completed.size() == sent.size() && new HashSet<>(completed).equals(new HashSet<>(sent))
                    && redelivered.contains(crashed);
        }
    }

    private WorkQueue() {
    }

    public static void main(String[] args) throws Exception {
        Examples.main(new String[] {"work-queue"});
    }

    public static Result run(Context jndi, PrintStream out) throws NamingException, JMSException {
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("ConnectionFactory");
        Queue tasks = (Queue) jndi.lookup("tasks");
        List<String> sent = dispatch(factory, tasks, out);
        String crashed = takeOneTaskAndCrash(factory, tasks, out);
        List<String> completed = new ArrayList<>();
        List<String> redelivered = new ArrayList<>();
        processEverything(factory, tasks, out, completed, redelivered);
        out.printf("%d tasks queued, %d completed, %d redelivered after the crash%n",
                sent.size(), completed.size(), redelivered.size());
        return new Result(sent, completed, redelivered, crashed);
    }

    private static List<String> dispatch(ConnectionFactory factory, Queue tasks, PrintStream out) throws JMSException {
        List<String> sent = new ArrayList<>();
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(tasks);
            for (int i = 1; i <= TASKS; i++) {
                String task = "resize image-" + i;
                producer.send(session.createTextMessage(task));
                sent.add(task);
            }
        }
        out.println("dispatcher: queued " + sent);
        return sent;
    }

    /** Takes a task and closes without acknowledging it, as a worker that dies mid-task would. */
    private static String takeOneTaskAndCrash(ConnectionFactory factory, Queue tasks, PrintStream out)
            throws JMSException {
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(tasks);
            connection.start();
            TextMessage task = (TextMessage) consumer.receive(Example.MAX_WAIT_MS);
            if (task == null) {
                out.println("worker-1: no task arrived");
                return null;
            }
            out.println("worker-1: took '" + task.getText() + "' and crashed before acknowledging it");
            return task.getText();
        }
    }

    /** Processes tasks until the queue stays empty for a while; acknowledges each one after its work. */
    private static void processEverything(ConnectionFactory factory, Queue tasks, PrintStream out,
            List<String> completed, List<String> redelivered) throws JMSException {
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(tasks);
            connection.start();
            while (completed.size() < TASKS) {
                TextMessage task = (TextMessage) consumer.receive(Example.MAX_WAIT_MS);
                if (task == null) {
                    out.println("worker-2: no more tasks arrived");
                    return;
                }
                String outcome = process(task.getText());
                // Only now is the task done: acknowledging earlier could lose it in a crash.
                task.acknowledge();
                completed.add(task.getText());
                if (task.getJMSRedelivered()) {
                    redelivered.add(task.getText());
                }
                out.println("worker-2: " + outcome + (task.getJMSRedelivered() ? " (redelivered)" : "")
                        + ", acknowledged");
            }
        }
    }

    private static String process(String task) {
        return task.replace("resize", "resized") + " to 640x480";
    }
}
