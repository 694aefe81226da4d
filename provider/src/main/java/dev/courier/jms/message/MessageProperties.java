package dev.courier.jms.message;

import dev.courier.message.PropertyMap;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The properties of one message, with the spec's typed access and read-only state.
 *
 * <p>Allocation is kept off the hot path: no map exists until a property is set, a received
 * message reads the record's own (frozen) map, and {@code JMSXDeliveryCount}, which
 * every received message has, lives in a field instead of forcing a copy of that map.
 * A write after {@link #clear()} never touches the record's map, so a record shared by many
 * consumers is never changed.
 *
 * <p>Not thread-safe, like the message that owns it.
 */
final class MessageProperties {

    private PropertyMap values;
    /** True while {@link #values} belongs to a record and must be copied before any change. */
    private boolean shared;
    private boolean readOnly;
    private int deliveryCount;
    private boolean hasDeliveryCount;

    /** Starts from a received record's properties: read-only and shared until cleared. */
    void receive(PropertyMap recordProperties, int count) {
        values = recordProperties.isEmpty() ? null : recordProperties;
        shared = true;
        deliveryCount = count;
        hasDeliveryCount = true;
        readOnly = true;
    }

    /** Removes every property (including JMSX ones) and makes the properties writable. */
    void clear() {
        values = null;
        shared = false;
        hasDeliveryCount = false;
        readOnly = false;
    }

    Object get(String name) {
        if (hasDeliveryCount && PropertyNames.DELIVERY_COUNT.equals(name)) {
            return deliveryCount;
        }
        return values == null || name == null ? null : values.get(name);
    }

    boolean exists(String name) {
        if (hasDeliveryCount && PropertyNames.DELIVERY_COUNT.equals(name)) {
            return true;
        }
        return values != null && name != null && values.containsKey(name);
    }

    Enumeration<String> names() {
        List<String> names = new ArrayList<>(values == null ? 1 : values.size() + 1);
        if (values != null) {
            names.addAll(values.keySet());
        }
        if (hasDeliveryCount && !names.contains(PropertyNames.DELIVERY_COUNT)) {
            names.add(PropertyNames.DELIVERY_COUNT);
        }
        return Collections.enumeration(names);
    }

    /**
     * Sets a property. A null value is kept as a property whose value is null (it exists, reads
     * as null or through {@code valueOf(null)}), matching {@code setStringProperty(name, null)}.
     */
    void set(String name, Object value) throws MessageNotWriteableException {
        if (readOnly) {
            throw new MessageNotWriteableException("the properties of a received message are "
                    + "read-only; call clearProperties() first");
        }
        PropertyNames.check(name);
        if (values == null) {
            values = new PropertyMap();
        } else if (shared) {
            values = values.copy();
            shared = false;
        }
        values.put(name, value);
    }

    void setObject(String name, Object value) throws MessageFormatException,
            MessageNotWriteableException {
        if (value != null && !TypedValues.isPropertyType(value)) {
            throw new MessageFormatException("a property value must be a Boolean, Byte, Short, "
                    + "Integer, Long, Float, Double or String, not " + value.getClass().getName());
        }
        set(name, value);
    }

    /**
     * The properties a record carries, or null when there are none. {@code JMSXDeliveryCount}
     * is left out: it belongs to a delivery, not to the message. The map is handed over, not
     * copied: it is shared from now on (the record freezes it), so the next {@link #set} copies
     * it first.
     */
    PropertyMap copyForRecord() {
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.containsKey(PropertyNames.DELIVERY_COUNT)) {
            PropertyMap copy = values.copy();
            copy.remove(PropertyNames.DELIVERY_COUNT);
            return copy.isEmpty() ? null : copy;
        }
        shared = true;
        return values;
    }
}
