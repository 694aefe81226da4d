package dev.courier.message;

import java.util.Objects;

/**
 * The broker-side name of a destination: its kind and its physical name.
 * Immutable; the layers below {@code jms} pass this instead of {@code jakarta.jms.Destination}.
 */
public final class Address {

    /** What a destination is: a queue or a topic, permanent or temporary. */
    public enum Kind {
        QUEUE, TOPIC, TEMPORARY_QUEUE, TEMPORARY_TOPIC;

        /** True for the point-to-point kinds. */
        public boolean isQueue() {
            return this == QUEUE || this == TEMPORARY_QUEUE;
        }

        /** True for the kinds that live only as long as the connection that created them. */
        public boolean isTemporary() {
            return this == TEMPORARY_QUEUE || this == TEMPORARY_TOPIC;
        }
    }

    private final Kind kind;
    private final String name;
    private final int hash;

    private Address(Kind kind, String name) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.name = Objects.requireNonNull(name, "name");
        this.hash = kind.hashCode() * 31 + name.hashCode();
    }

    public static Address of(Kind kind, String name) {
        return new Address(kind, name);
    }

    public static Address queue(String name) {
        return new Address(Kind.QUEUE, name);
    }

    public static Address topic(String name) {
        return new Address(Kind.TOPIC, name);
    }

    public Kind kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    public boolean isQueue() {
        return kind.isQueue();
    }

    public boolean isTemporary() {
        return kind.isTemporary();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Address)) {
            return false;
        }
        Address other = (Address) o;
        return hash == other.hash && kind == other.kind && name.equals(other.name);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + "://" + name;
    }
}
