package dev.courier.jndi;

import java.util.Hashtable;
import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/** Builds InitialContexts over Courier's factory from key/value pairs, as a jndi.properties would. */
final class JndiEnvironments {

    private JndiEnvironments() {
    }

    static Hashtable<String, Object> environment(String... keysAndValues) {
        Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, CourierInitialContextFactory.class.getName());
        for (int i = 0; i < keysAndValues.length; i += 2) {
            env.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return env;
    }

    static InitialContext initialContext(String... keysAndValues) throws NamingException {
        return new InitialContext(environment(keysAndValues));
    }
}
