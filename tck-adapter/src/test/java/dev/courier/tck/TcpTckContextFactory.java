package dev.courier.tck;

import dev.courier.jndi.CourierInitialContextFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.Hashtable;
import java.util.Map;
import java.util.Properties;
import javax.naming.ConfigurationException;
import javax.naming.Context;
import javax.naming.NamingException;
import javax.naming.spi.InitialContextFactory;

/**
 * The TCK's JNDI names over {@code tcp://}: the bindings of {@code jndi.properties}, with every
 * connection factory replaced by its entry in {@code jndi-tcp.properties}, whose
 * {@code ${courier.tck.port}} is the port of the broker {@link TcpTckBroker} started. Installed by
 * that listener as {@code java.naming.factory.initial}; a factory left on {@code vm://} is refused,
 * so a name added to one file and not the other fails loudly instead of testing the wrong
 * transport. Stateless.
 */
public final class TcpTckContextFactory implements InitialContextFactory {

    private static final String OVERRIDES = "jndi-tcp.properties";
    private static final String PORT_PLACEHOLDER = "${" + TcpTckBroker.PORT + "}";

    @Override
    public Context getInitialContext(Hashtable<?, ?> environment) throws NamingException {
        String port = System.getProperty(TcpTckBroker.PORT);
        if (port == null) {
            throw new ConfigurationException(TcpTckBroker.PORT + " is not set: no TCK broker was started");
        }
        Hashtable<Object, Object> env = new Hashtable<>(environment);
        for (Map.Entry<Object, Object> entry : overrides().entrySet()) {
            env.put(entry.getKey(), ((String) entry.getValue()).replace(PORT_PLACEHOLDER, port));
        }
        for (Map.Entry<Object, Object> entry : env.entrySet()) {
            String key = entry.getKey().toString();
            boolean factory = key.equals(Context.PROVIDER_URL) || key.startsWith("connectionFactory.");
            if (factory && !entry.getValue().toString().startsWith("tcp://")) {
                throw new ConfigurationException(key + " has no tcp:// entry in " + OVERRIDES);
            }
        }
        env.put(Context.INITIAL_CONTEXT_FACTORY, CourierInitialContextFactory.class.getName());
        return new CourierInitialContextFactory().getInitialContext(env);
    }

    private static Properties overrides() throws ConfigurationException {
        Properties properties = new Properties();
        try (InputStream in = TcpTckContextFactory.class.getClassLoader().getResourceAsStream(OVERRIDES)) {
            if (in == null) {
                throw new ConfigurationException(OVERRIDES + " is not on the class path");
            }
            properties.load(in);
        } catch (IOException e) {
            ConfigurationException failure = new ConfigurationException("cannot read " + OVERRIDES);
            failure.setRootCause(e);
            throw failure;
        }
        return properties;
    }
}
