package dev.courier.jms;

import dev.courier.message.MessageRecord;
import jakarta.jms.CompletionListener;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The asynchronous sends of one session ({@code send(..., CompletionListener)}): each message is
 * handed to the session's send path and then its listener is told, both on a completion thread
 * owned by this object. One thread runs the tasks in submission order, so callbacks come one at
 * a time, in send order for every producer of the session, and never on the sending thread.
 *
 * <p>Threading: application threads call {@link #submit} and the waiting methods. The single
 * worker thread ({@code courier-completion-N}) is started on demand, ends after being idle for
 * a while, and is shut down by {@link #close}, which the owning session calls when it closes.
 * {@link #pending} counts submitted tasks not yet finished; waiters use {@link #lock}.
 */
final class AsyncSends {

    /** Sends a record the way the session sends synchronously. */
    @FunctionalInterface
    interface SendAction {
        void send(MessageRecord record) throws JMSException;
    }

    private static final System.Logger LOG = System.getLogger(AsyncSends.class.getName());
    private static final AtomicInteger THREAD_NUMBERS = new AtomicInteger();
    private static final long IDLE_SECONDS = 30;
    private static final long CLOSE_WAIT_SECONDS = 30;

    private final ThreadPoolExecutor worker;
    private final SendAction sendAction;
    private final AtomicInteger pending = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    /** The thread running a task right now, and the producer the task belongs to. */
    private volatile Thread runningThread;
    private volatile Object runningOwner;

    AsyncSends(SendAction sendAction) {
        this.sendAction = sendAction;
        this.worker = new ThreadPoolExecutor(1, 1, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "courier-completion-" + THREAD_NUMBERS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        worker.allowCoreThreadTimeOut(true);
    }

    /**
     * Queues one send: the record goes to the broker, then {@code listener.onCompletion(message)}
     * runs, or {@code onException} if the send failed.
     *
     * @param owner the producer sending, so that it can recognise its own callbacks
     * @throws IllegalStateException if this has been closed
     */
    void submit(Object owner, MessageRecord record, Message message, CompletionListener listener)
            throws IllegalStateException {
        pending.incrementAndGet();
        try {
            worker.execute(() -> complete(owner, record, message, listener));
        } catch (RejectedExecutionException e) {
            finished();
            throw new IllegalStateException("session is closed");
        }
    }

    private void complete(Object owner, MessageRecord record, Message message, CompletionListener listener) {
        runningThread = Thread.currentThread();
        runningOwner = owner;
        try {
            Exception failure = null;
            try {
                sendAction.send(record);
            } catch (JMSException | RuntimeException e) {
                failure = e;
            }
            if (failure == null) {
                listener.onCompletion(message);
            } else {
                listener.onException(message, failure);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a CompletionListener threw", e);
        } finally {
            runningOwner = null;
            runningThread = null;
            finished();
        }
    }

    private void finished() {
        if (pending.decrementAndGet() == 0) {
            lock.lock();
            try {
                idle.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** True when the caller is a completion callback of this session. */
    boolean isCompletionThread() {
        return Thread.currentThread() == runningThread;
    }

    /** True when the caller is a completion callback of {@code owner}'s sends. */
    boolean isCompletionThreadOf(Object owner) {
        return Thread.currentThread() == runningThread && runningOwner == owner;
    }

    /**
     * Returns once every send submitted so far has completed and its callback returned. From a
     * callback it returns at once: the callback is itself one of those sends, and the ones queued
     * behind it cannot run before it returns.
     */
    void awaitIdle() {
        if (pending.get() == 0 || isCompletionThread()) {
            return;
        }
        lock.lock();
        try {
            while (pending.get() != 0) {
                idle.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Lets outstanding sends complete, then stops the worker thread. Never called from a callback. */
    void close() {
        awaitIdle();
        worker.shutdown();
        try {
            if (!worker.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "a completion thread did not end within "
                        + CLOSE_WAIT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
