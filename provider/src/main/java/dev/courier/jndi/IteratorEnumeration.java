package dev.courier.jndi;

import java.util.Iterator;
import java.util.NoSuchElementException;
import javax.naming.NamingEnumeration;

/**
 * A {@link NamingEnumeration} over an in-memory iterator; nothing to release on close.
 * Not thread-safe, like any enumeration.
 */
final class IteratorEnumeration<T> implements NamingEnumeration<T> {

    private final Iterator<T> iterator;

    IteratorEnumeration(Iterator<T> iterator) {
        this.iterator = iterator;
    }

    @Override
    public boolean hasMore() {
        return iterator.hasNext();
    }

    @Override
    public T next() {
        return nextElement();
    }

    @Override
    public boolean hasMoreElements() {
        return iterator.hasNext();
    }

    @Override
    public T nextElement() {
        if (!iterator.hasNext()) {
            throw new NoSuchElementException("no more names");
        }
        return iterator.next();
    }

    @Override
    public void close() {
        // Iterating an in-memory map holds no resources.
    }
}
