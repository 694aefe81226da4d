package dev.courier.jms.message;

import dev.courier.message.BodyType;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;

/**
 * Courier's {@link MapMessage}: named values read back with the conversion table of spec 3.11.3.
 *
 * <p>A received message reads the record's unmodifiable map in place; a write (allowed only
 * after {@link #clearBody()}) always goes to a map of this message's own. Byte arrays are copied
 * on the way in and on the way out, so the arrays held here are never changed and can be shared
 * with the records this message produces.
 *
 * <p>Not thread-safe, like every message.
 */
public final class CourierMapMessage extends CourierMessage implements MapMessage {

    /** Null until the first write; may be a record's map, never modified, while {@link #shared}. */
    private Map<String, Object> entries;
    private boolean shared;
    private boolean bodyReadOnly;

    /** An empty, writable map message. */
    public CourierMapMessage() {
    }

    private Object lookup(String name) {
        return entries == null || name == null ? null : entries.get(name);
    }

    private void put(String name, Object value) throws MessageNotWriteableException {
        if (bodyReadOnly) {
            throw new MessageNotWriteableException("the body of a received message is read-only; "
                    + "call clearBody() first");
        }
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a map entry name must not be null or empty");
        }
        if (entries == null) {
            entries = new HashMap<>();
        } else if (shared) {
            entries = new HashMap<>(entries);
            shared = false;
        }
        entries.put(name, value);
    }

    @Override
    public boolean getBoolean(String name) throws JMSException {
        return TypedValues.toBoolean(lookup(name));
    }

    @Override
    public byte getByte(String name) throws JMSException {
        return TypedValues.toByte(lookup(name));
    }

    @Override
    public short getShort(String name) throws JMSException {
        return TypedValues.toShort(lookup(name));
    }

    @Override
    public char getChar(String name) throws JMSException {
        return TypedValues.toChar(lookup(name));
    }

    @Override
    public int getInt(String name) throws JMSException {
        return TypedValues.toInt(lookup(name));
    }

    @Override
    public long getLong(String name) throws JMSException {
        return TypedValues.toLong(lookup(name));
    }

    @Override
    public float getFloat(String name) throws JMSException {
        return TypedValues.toFloat(lookup(name));
    }

    @Override
    public double getDouble(String name) throws JMSException {
        return TypedValues.toDouble(lookup(name));
    }

    @Override
    public String getString(String name) throws JMSException {
        return TypedValues.toText(lookup(name));
    }

    /** A copy of the array, or null when the entry is absent or null. */
    @Override
    public byte[] getBytes(String name) throws JMSException {
        return TypedValues.toBytes(lookup(name));
    }

    /** The value as a wrapper, String or (copied) byte[]; null when absent. */
    @Override
    public Object getObject(String name) {
        return TypedValues.exposedValue(lookup(name));
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Enumeration getMapNames() {
        return entries == null ? Collections.emptyEnumeration()
                : Collections.enumeration(new ArrayList<>(entries.keySet()));
    }

    @Override
    public boolean itemExists(String name) {
        return entries != null && name != null && entries.containsKey(name);
    }

    @Override
    public void setBoolean(String name, boolean value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setByte(String name, byte value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setShort(String name, short value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setChar(String name, char value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setInt(String name, int value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setLong(String name, long value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setFloat(String name, float value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setDouble(String name, double value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setString(String name, String value) throws JMSException {
        put(name, value);
    }

    /** Stores a copy of the array; null stores a null entry. */
    @Override
    public void setBytes(String name, byte[] value) throws JMSException {
        put(name, value == null ? null : value.clone());
    }

    @Override
    public void setBytes(String name, byte[] value, int offset, int length) throws JMSException {
        byte[] slice = new byte[length];
        System.arraycopy(value, offset, slice, 0, length);
        put(name, slice);
    }

    /**
     * Accepts the primitive wrappers, String, byte[] (copied) and null.
     *
     * @throws MessageFormatException for any other type
     */
    @Override
    public void setObject(String name, Object value) throws JMSException {
        Object owned = TypedValues.ownedBodyValue(value);
        put(name, owned);
    }

    @Override
    public void clearBody() {
        entries = null;
        shared = false;
        bodyReadOnly = false;
    }

    @Override
    BodyType bodyType() {
        return BodyType.MAP;
    }

    /**
     * An unmodifiable map for a record: the received map itself when unchanged, else a copy.
     * Byte arrays are shared because this message never changes or exposes its own arrays.
     */
    @Override
    Object bodySnapshot() {
        if (entries == null) {
            return Collections.emptyMap();
        }
        if (shared) {
            return entries;
        }
        return Collections.unmodifiableMap(new HashMap<>(entries));
    }

    @Override
    @SuppressWarnings("unchecked")
    void receiveBody(Object recordBody, DeserializationPolicy policy) {
        Map<String, Object> map = (Map<String, Object>) recordBody;
        entries = map == null || map.isEmpty() ? null : map;
        shared = true;
        bodyReadOnly = true;
    }

    @Override
    boolean hasNoBody() {
        return entries == null || entries.isEmpty();
    }

    /** A new map the application owns, byte arrays copied. */
    @Override
    Object bodyValue() {
        Map<String, Object> copy = new HashMap<>(entries.size() * 2);
        for (Map.Entry<String, Object> entry : entries.entrySet()) {
            copy.put(entry.getKey(), TypedValues.exposedValue(entry.getValue()));
        }
        return copy;
    }

    /** The body's type is {@code java.util.Map}, whatever class holds it. */
    @Override
    boolean bodyAssignable(Object value, Class<?> c) {
        return c.isAssignableFrom(Map.class);
    }
}
