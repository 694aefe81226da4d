package dev.courier.jndi;

import dev.courier.jms.CourierQueue;
import dev.courier.jms.CourierTopic;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import javax.naming.Binding;
import javax.naming.CompositeName;
import javax.naming.Context;
import javax.naming.InvalidNameException;
import javax.naming.Name;
import javax.naming.NameClassPair;
import javax.naming.NameNotFoundException;
import javax.naming.NameParser;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.NotContextException;
import javax.naming.OperationNotSupportedException;

/**
 * The flat, read-only, in-memory naming context {@link CourierInitialContextFactory} returns.
 * It holds the configured bindings, and answers {@code dynamicQueues/X} and
 * {@code dynamicTopics/X} with a queue or topic named X without any configuration. Names are
 * composite names ("/" separated); every binding lives in the root.
 *
 * <p>Threading: the bindings never change and the environment is a synchronized
 * {@link Hashtable}, so any thread may use a context at any time.
 */
final class ReadOnlyContext implements Context {

    static final String DYNAMIC_QUEUES = "dynamicQueues";
    static final String DYNAMIC_TOPICS = "dynamicTopics";

    private static final NameParser PARSER = CompositeName::new;

    private final Map<String, Object> bindings;
    private final Hashtable<Object, Object> environment;

    /**
     * @param bindings    unmodifiable, by name
     * @param environment copied: later changes to the caller's table do not reach this context
     */
    ReadOnlyContext(Map<String, Object> bindings, Hashtable<?, ?> environment) {
        this.bindings = bindings;
        this.environment = new Hashtable<>(environment);
    }

    /** Whether a configured binding may not use {@code name}, because dynamic lookups own it. */
    static boolean isReservedName(String name) {
        return name.equals(DYNAMIC_QUEUES) || name.equals(DYNAMIC_TOPICS)
                || name.startsWith(DYNAMIC_QUEUES + "/") || name.startsWith(DYNAMIC_TOPICS + "/");
    }

    @Override
    public Object lookup(Name name) throws NamingException {
        return lookup(flatten(name));
    }

    @Override
    public Object lookup(String name) throws NamingException {
        if (name.isEmpty()) {
            // The Context contract: an empty name yields a new instance of this context.
            return new ReadOnlyContext(bindings, environment);
        }
        Object bound = bindings.get(name);
        if (bound != null) {
            return bound;
        }
        if (name.startsWith(DYNAMIC_QUEUES + "/")) {
            return new CourierQueue(physicalName(name, DYNAMIC_QUEUES));
        }
        if (name.startsWith(DYNAMIC_TOPICS + "/")) {
            return new CourierTopic(physicalName(name, DYNAMIC_TOPICS));
        }
        throw notFound(name);
    }

    private static String physicalName(String name, String prefix) throws InvalidNameException {
        String physical = name.substring(prefix.length() + 1);
        if (physical.isEmpty()) {
            throw new InvalidNameException("'" + name + "' names no destination: use " + prefix + "/PHYSICAL_NAME");
        }
        return physical;
    }

    private NameNotFoundException notFound(String name) {
        return new NameNotFoundException("'" + name + "' is not bound; bound names: "
                + bindings.keySet() + ", plus " + DYNAMIC_QUEUES + "/NAME and " + DYNAMIC_TOPICS + "/NAME");
    }

    /** The name as this flat namespace keys it: components joined by "/". */
    private static String flatten(Name name) {
        StringBuilder flat = new StringBuilder();
        for (int i = 0; i < name.size(); i++) {
            if (i > 0) {
                flat.append('/');
            }
            flat.append(name.get(i));
        }
        return flat.toString();
    }

    @Override
    public Object lookupLink(Name name) throws NamingException {
        return lookup(name);
    }

    @Override
    public Object lookupLink(String name) throws NamingException {
        return lookup(name);
    }

    @Override
    public NamingEnumeration<NameClassPair> list(Name name) throws NamingException {
        return list(flatten(name));
    }

    @Override
    public NamingEnumeration<NameClassPair> list(String name) throws NamingException {
        checkIsRoot(name);
        List<NameClassPair> pairs = new ArrayList<>();
        bindings.forEach((key, value) -> pairs.add(new NameClassPair(key, value.getClass().getName())));
        return new IteratorEnumeration<>(pairs.iterator());
    }

    @Override
    public NamingEnumeration<Binding> listBindings(Name name) throws NamingException {
        return listBindings(flatten(name));
    }

    @Override
    public NamingEnumeration<Binding> listBindings(String name) throws NamingException {
        checkIsRoot(name);
        List<Binding> list = new ArrayList<>();
        bindings.forEach((key, value) -> list.add(new Binding(key, value)));
        return new IteratorEnumeration<>(list.iterator());
    }

    /** Only the root is a context; dynamic destinations are looked up, never listed. */
    private void checkIsRoot(String name) throws NamingException {
        if (name.isEmpty()) {
            return;
        }
        if (bindings.containsKey(name)) {
            throw new NotContextException("'" + name + "' is bound to an object, not a context");
        }
        throw notFound(name);
    }

    @Override
    public void bind(Name name, Object obj) throws NamingException {
        throw readOnly("bind", flatten(name));
    }

    @Override
    public void bind(String name, Object obj) throws NamingException {
        throw readOnly("bind", name);
    }

    @Override
    public void rebind(Name name, Object obj) throws NamingException {
        throw readOnly("rebind", flatten(name));
    }

    @Override
    public void rebind(String name, Object obj) throws NamingException {
        throw readOnly("rebind", name);
    }

    @Override
    public void unbind(Name name) throws NamingException {
        throw readOnly("unbind", flatten(name));
    }

    @Override
    public void unbind(String name) throws NamingException {
        throw readOnly("unbind", name);
    }

    @Override
    public void rename(Name oldName, Name newName) throws NamingException {
        throw readOnly("rename", flatten(oldName));
    }

    @Override
    public void rename(String oldName, String newName) throws NamingException {
        throw readOnly("rename", oldName);
    }

    @Override
    public void destroySubcontext(Name name) throws NamingException {
        throw readOnly("destroySubcontext", flatten(name));
    }

    @Override
    public void destroySubcontext(String name) throws NamingException {
        throw readOnly("destroySubcontext", name);
    }

    @Override
    public Context createSubcontext(Name name) throws NamingException {
        throw readOnly("createSubcontext", flatten(name));
    }

    @Override
    public Context createSubcontext(String name) throws NamingException {
        throw readOnly("createSubcontext", name);
    }

    private static OperationNotSupportedException readOnly(String operation, String name) {
        return new OperationNotSupportedException(operation + "('" + name + "'): Courier's JNDI context is read-only;"
                + " configure bindings in jndi.properties or the InitialContext environment");
    }

    @Override
    public NameParser getNameParser(Name name) {
        return PARSER;
    }

    @Override
    public NameParser getNameParser(String name) {
        return PARSER;
    }

    @Override
    public Name composeName(Name name, Name prefix) throws NamingException {
        return ((Name) prefix.clone()).addAll(name);
    }

    @Override
    public String composeName(String name, String prefix) {
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** Changes this context's copy of the environment only: the bindings were fixed at creation. */
    @Override
    public Object addToEnvironment(String propName, Object propVal) {
        return environment.put(propName, propVal);
    }

    @Override
    public Object removeFromEnvironment(String propName) {
        return environment.remove(propName);
    }

    @Override
    public Hashtable<?, ?> getEnvironment() {
        return new Hashtable<>(environment);
    }

    /**
     * Nothing to release: bindings are plain objects, and connection factories open
     * connections only when asked. Idempotent, as {@link Context#close()} requires.
     */
    @Override
    public void close() {
    }

    @Override
    public String getNameInNamespace() {
        return "";
    }

    @Override
    public String toString() {
        return "Courier JNDI context " + bindings.keySet();
    }
}
