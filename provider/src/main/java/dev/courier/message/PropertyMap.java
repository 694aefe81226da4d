package dev.courier.message;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A message's properties: names and values in two arrays, in the order they were first set.
 *
 * <p>A message has few properties, usually under ten. Scanning that few names finds one faster
 * than hashing, and setting one allocates nothing until the arrays grow, where a {@code HashMap}
 * makes a table and a node per entry; sizing and encoding a record walk the arrays by index.
 * Past {@link #INDEXED_FROM} properties a hash index by name is kept too, so a message with
 * thousands of them is not quadratic to build.
 *
 * <p>Mutable until {@link #freeze()}; a {@link MessageRecord} freezes the map it is built with,
 * and from then on every change throws {@link UnsupportedOperationException}, so a record shared
 * by many consumers never changes. Not thread-safe while mutable; frozen, safe to read from any
 * thread it was safely published to.
 */
public final class PropertyMap extends AbstractMap<String, Object> {

    /** The frozen empty map that records without properties share. */
    public static final PropertyMap EMPTY = new PropertyMap(0).freeze();

    private static final int INDEXED_FROM = 16;

    private String[] names;
    private Object[] values;
    private int size;
    /**
     * Name to slot while there are more than {@link #INDEXED_FROM} properties, else null. Kept
     * up to date by every change, never built by a read: a frozen map is read by many threads.
     */
    private HashMap<String, Integer> index;
    private boolean frozen;

    public PropertyMap() {
        this(4);
    }

    public PropertyMap(int capacity) {
        names = new String[capacity];
        values = new Object[capacity];
    }

    /** A mutable copy of any map of properties. */
    public static PropertyMap copyOf(Map<String, ?> map) {
        if (map instanceof PropertyMap p) {
            return p.copy();
        }
        PropertyMap copy = new PropertyMap(Math.max(4, map.size()));
        map.forEach(copy::put);
        return copy;
    }

    /** A mutable copy of this map. */
    public PropertyMap copy() {
        PropertyMap copy = new PropertyMap(0);
        copy.names = Arrays.copyOf(names, Math.max(4, size + 1));
        copy.values = Arrays.copyOf(values, copy.names.length);
        copy.size = size;
        copy.reindex();
        return copy;
    }

    /** Makes the map read-only for good; returns it. */
    public PropertyMap freeze() {
        frozen = true;
        return this;
    }

    public boolean isFrozen() {
        return frozen;
    }

    @Override
    public int size() {
        return size;
    }

    /** The name in slot {@code i}, {@code 0 <= i < size()} (slots follow the order names were first set). */
    public String name(int i) {
        return names[i];
    }

    /** The value in slot {@code i}; may be null. */
    public Object value(int i) {
        return values[i];
    }

    @Override
    public Object get(Object name) {
        int i = indexOf(name);
        return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object name) {
        return indexOf(name) >= 0;
    }

    @Override
    public Object put(String name, Object value) {
        checkWritable();
        if (name == null) {
            throw new NullPointerException("a property name is never null");
        }
        int i = indexOf(name);
        if (i >= 0) {
            Object old = values[i];
            values[i] = value;
            return old;
        }
        if (size == names.length) {
            int capacity = Math.max(4, size * 2);
            names = Arrays.copyOf(names, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        names[size] = name;
        values[size] = value;
        size++;
        if (index != null) {
            index.put(name, size - 1);
        } else if (size > INDEXED_FROM) {
            reindex();
        }
        return null;
    }

    @Override
    public Object remove(Object name) {
        checkWritable();
        int i = indexOf(name);
        if (i < 0) {
            return null;
        }
        Object old = values[i];
        System.arraycopy(names, i + 1, names, i, size - i - 1);
        System.arraycopy(values, i + 1, values, i, size - i - 1);
        size--;
        names[size] = null;
        values[size] = null;
        reindex(); // slots moved
        return old;
    }

    @Override
    public void clear() {
        checkWritable();
        Arrays.fill(names, 0, size, null);
        Arrays.fill(values, 0, size, null);
        size = 0;
        index = null;
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        return new EntrySet();
    }

    private void reindex() {
        if (size <= INDEXED_FROM) {
            index = null;
            return;
        }
        HashMap<String, Integer> built = new HashMap<>(size * 2);
        for (int i = 0; i < size; i++) {
            built.put(names[i], i);
        }
        index = built;
    }

    private int indexOf(Object name) {
        HashMap<String, Integer> byName = index;
        if (byName != null) {
            Integer i = byName.get(name);
            return i == null ? -1 : i;
        }
        if (name == null) {
            return -1;
        }
        for (int i = 0; i < size; i++) {
            if (name.equals(names[i])) {
                return i;
            }
        }
        return -1;
    }

    private void checkWritable() {
        if (frozen) {
            throw new UnsupportedOperationException("the properties of a message record are read-only");
        }
    }

    private final class EntrySet extends AbstractSet<Map.Entry<String, Object>> {

        @Override
        public int size() {
            return size;
        }

        @Override
        public Iterator<Map.Entry<String, Object>> iterator() {
            return new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < size;
                }

                @Override
                public Map.Entry<String, Object> next() {
                    if (next >= size) {
                        throw new NoSuchElementException();
                    }
                    int i = next++;
                    return new AbstractMap.SimpleImmutableEntry<>(names[i], values[i]);
                }
            };
        }
    }
}
