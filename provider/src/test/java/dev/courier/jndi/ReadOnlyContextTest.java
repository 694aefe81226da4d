package dev.courier.jndi;

import static dev.courier.jndi.JndiEnvironments.environment;
import static dev.courier.jndi.JndiEnvironments.initialContext;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.jms.CourierConnectionFactory;
import dev.courier.jms.CourierQueue;
import jakarta.jms.Queue;
import jakarta.jms.Topic;
import java.util.Map;
import java.util.TreeMap;
import javax.naming.Binding;
import javax.naming.CompositeName;
import javax.naming.Context;
import javax.naming.NameClassPair;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NotContextException;
import javax.naming.OperationNotSupportedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The Context contract of Courier's read-only, in-memory context. */
class ReadOnlyContextTest {

    private Context context() throws Exception {
        return new CourierInitialContextFactory().getInitialContext(
                environment("queue.Orders", "orders", "topic.Prices", "prices"));
    }

    @Test
    void looksUpByNameObjects() throws Exception {
        Context context = context();
        assertEquals("orders", ((Queue) context.lookup(new CompositeName("Orders"))).getQueueName());
        assertEquals("x", ((Queue) context.lookup(new CompositeName("dynamicQueues/x"))).getQueueName());
        assertEquals("y", ((Topic) context.lookup(new CompositeName("dynamicTopics/y"))).getTopicName());
        assertEquals("orders", ((Queue) context.lookupLink(new CompositeName("Orders"))).getQueueName());
        assertEquals("orders", ((Queue) context.lookupLink("Orders")).getQueueName());
    }

    @Test
    void unknownNameObjectIsNotFound() throws Exception {
        NameNotFoundException e = assertThrows(NameNotFoundException.class,
                () -> context().lookup(new CompositeName("missing")));
        assertTrue(e.getMessage().contains("'missing'"), e.getMessage());
    }

    @Test
    void emptyNameYieldsAnEquivalentContext() throws Exception {
        Context copy = (Context) context().lookup("");
        assertEquals("orders", ((Queue) copy.lookup("Orders")).getQueueName());
    }

    @Test
    void listsTheRootWithClassNames() throws Exception {
        Map<String, String> listed = new TreeMap<>();
        NamingEnumeration<NameClassPair> pairs = context().list("");
        while (pairs.hasMore()) {
            NameClassPair pair = pairs.next();
            listed.put(pair.getName(), pair.getClassName());
        }
        pairs.close();
        String factory = CourierConnectionFactory.class.getName();
        assertEquals(Map.of("ConnectionFactory", factory, "QueueConnectionFactory", factory,
                "TopicConnectionFactory", factory, "Orders", CourierQueue.class.getName(),
                "Prices", dev.courier.jms.CourierTopic.class.getName()), listed);
    }

    @Test
    void listsTheRootBindingsWithObjects() throws Exception {
        Map<String, Object> listed = new TreeMap<>();
        NamingEnumeration<Binding> bindings = context().listBindings(new CompositeName(""));
        while (bindings.hasMoreElements()) {
            Binding binding = bindings.nextElement();
            listed.put(binding.getName(), binding.getObject());
        }
        assertEquals(5, listed.size(), listed.toString());
        assertEquals(new CourierQueue("orders"), listed.get("Orders"));
        assertInstanceOf(CourierConnectionFactory.class, listed.get("ConnectionFactory"));
    }

    @Test
    void listingAnObjectIsNotAContext() {
        assertThrows(NotContextException.class, () -> context().list("Orders"));
        assertThrows(NotContextException.class, () -> context().listBindings("Orders"));
    }

    @Test
    void listingAnUnknownNameIsNotFound() {
        assertThrows(NameNotFoundException.class, () -> context().list("nowhere"));
        assertThrows(NameNotFoundException.class, () -> context().listBindings(new CompositeName("nowhere")));
    }

    @Test
    void everyChangeIsRefused() throws Exception {
        Context context = context();
        CompositeName name = new CompositeName("Orders");
        Executable[] changes = {
            () -> context.bind("x", "y"), () -> context.bind(name, "y"),
            () -> context.rebind("Orders", "y"), () -> context.rebind(name, "y"),
            () -> context.unbind("Orders"), () -> context.unbind(name),
            () -> context.rename("Orders", "x"), () -> context.rename(name, new CompositeName("x")),
            () -> context.createSubcontext("sub"), () -> context.createSubcontext(new CompositeName("sub")),
            () -> context.destroySubcontext("sub"), () -> context.destroySubcontext(new CompositeName("sub")),
        };
        for (Executable change : changes) {
            OperationNotSupportedException e = assertThrows(OperationNotSupportedException.class, change);
            assertTrue(e.getMessage().contains("read-only"), e.getMessage());
        }
        assertEquals("orders", ((Queue) context.lookup("Orders")).getQueueName());
    }

    @Test
    void composesCompositeNames() throws Exception {
        Context context = context();
        assertEquals("a/b", context.composeName("b", "a"));
        assertEquals("b", context.composeName("b", ""));
        assertEquals(new CompositeName("a/b"), context.composeName(new CompositeName("b"), new CompositeName("a")));
        assertEquals(new CompositeName("dynamicQueues/x"), context.getNameParser("").parse("dynamicQueues/x"));
        assertEquals("", context.getNameInNamespace());
    }

    @Test
    void environmentChangesStayInTheContext() throws Exception {
        Context context = context();
        assertEquals("orders", context.getEnvironment().get("queue.Orders"));
        assertNull(context.addToEnvironment("custom", "1"));
        assertEquals("1", context.getEnvironment().get("custom"));
        assertEquals("1", context.removeFromEnvironment("custom"));
        @SuppressWarnings("unchecked")
        java.util.Hashtable<Object, Object> copy = (java.util.Hashtable<Object, Object>) context.getEnvironment();
        copy.put("queue.Orders", "tampered");
        assertEquals("orders", context.getEnvironment().get("queue.Orders"));
    }

    @Test
    void closeIsIdempotent() throws Exception {
        Context context = initialContext();
        context.close();
        assertDoesNotThrow(context::close);
    }
}
