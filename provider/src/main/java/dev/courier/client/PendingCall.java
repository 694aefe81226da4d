package dev.courier.client;

import dev.courier.concurrent.LearnedSpin;
import dev.courier.concurrent.SpinSlots;
import dev.courier.message.MessageRecord;
import dev.courier.protocol.Frame;
import jakarta.jms.JMSException;
import java.util.ArrayList;
import java.util.List;

/**
 * One request waiting for the broker's answer. The calling thread waits in {@link #await}; the
 * link's reader thread completes it with the answer frame, or the link fails it.
 *
 * <p>The caller polls for the answer before it waits on the monitor, as long as the link's
 * {@link LearnedSpin} for calls says and only with one of the process's {@link SpinSlots}: an
 * answer that comes within tens of microseconds then costs the reader no wake-up.
 *
 * <p>Threading: completed once by the reader (or the thread that fails the link); awaited by
 * the one caller. Guarded by its own monitor; {@link #done} is also read without it by the
 * polling caller.
 */
final class PendingCall implements SpinSlots.Awaited {

    private Frame answer;
    private JMSException failure;
    private List<MessageRecord> browsed;
    private volatile boolean done;

    synchronized void complete(Frame frame) {
        if (!done) {
            answer = frame;
            done = true;
            notifyAll();
        }
    }

    synchronized void fail(JMSException e) {
        if (!done) {
            failure = e;
            done = true;
            notifyAll();
        }
    }

    /** Collects a browse chunk; reader thread only, before the last chunk completes the call. */
    void addBrowsed(List<MessageRecord> records) {
        if (browsed == null) {
            browsed = new ArrayList<>(records);
        } else {
            browsed.addAll(records);
        }
    }

    synchronized List<MessageRecord> browsed() {
        return browsed == null ? List.of() : browsed;
    }

    /** True once the answer (or the failure) is in. */
    @Override
    public boolean ended() {
        return done;
    }

    /**
     * Waits for the answer. An interrupt does not abandon the call (the broker may already have
     * acted on it); it is kept as the thread's interrupt status.
     */
    Frame await(LearnedSpin spin) throws JMSException {
        long start = System.nanoTime();
        SpinSlots.shared().spinUntil(this, start + spin.spinNanos());
        Frame frame = awaitAnswer();
        spin.waited(System.nanoTime() - start);
        return frame;
    }

    private synchronized Frame awaitAnswer() throws JMSException {
        boolean interrupted = false;
        while (!done) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            JMSException e = new JMSException(failure.getMessage(), failure.getErrorCode());
            e.setLinkedException(failure);
            e.initCause(failure);
            throw e;
        }
        return answer;
    }
}
