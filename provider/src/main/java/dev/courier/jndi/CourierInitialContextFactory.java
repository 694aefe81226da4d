package dev.courier.jndi;

import java.util.Hashtable;
import javax.naming.Context;
import javax.naming.NamingException;
import javax.naming.spi.InitialContextFactory;

/**
 * Courier's JNDI provider: {@code java.naming.factory.initial=dev.courier.jndi.CourierInitialContextFactory}.
 * The bindings come from the environment, which {@link javax.naming.InitialContext} has already
 * merged with system properties and every {@code jndi.properties} on the classpath:
 * <pre>
 * java.naming.provider.url=vm://orders             # ConnectionFactory, QueueConnectionFactory, TopicConnectionFactory
 * connectionFactory.AuditFactory=vm://orders?clientID=audit
 * queue.Orders=orders.incoming                     # JNDI name = physical name
 * topic.Prices=prices
 * </pre>
 * Lookups of {@code dynamicQueues/X} and {@code dynamicTopics/X} need no configuration.
 * The context is read-only and in memory. Stateless and thread-safe.
 */
public class CourierInitialContextFactory implements InitialContextFactory {

    /**
     * @throws javax.naming.ConfigurationException naming the property whose value is malformed
     */
    @Override
    public Context getInitialContext(Hashtable<?, ?> environment) throws NamingException {
        Hashtable<?, ?> env = environment == null ? new Hashtable<>() : environment;
        return new ReadOnlyContext(JndiBindings.from(env), env);
    }
}
