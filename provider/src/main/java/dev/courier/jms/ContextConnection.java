package dev.courier.jms;

import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;

/**
 * The classic connection under one or more {@link CourierJMSContext}s: {@code createContext(int)}
 * makes another context on the same connection, and the connection closes with the last of them.
 *
 * <p>Threading: the user count is guarded by {@code this}; the connection is closed outside the
 * lock, by the thread that released the last user.
 */
final class ContextConnection {

    final CourierConnection connection;
    private int users = 1;

    ContextConnection(CourierConnection connection) {
        this.connection = connection;
    }

    /** One more context uses the connection. */
    synchronized void acquire() throws IllegalStateException {
        if (users == 0) {
            throw new IllegalStateException("the connection of this JMSContext is closed");
        }
        users++;
    }

    /** A context closed; the last one closes the connection. */
    void release() throws JMSException {
        boolean last;
        synchronized (this) {
            last = --users == 0;
        }
        if (last) {
            connection.close();
        }
    }
}
