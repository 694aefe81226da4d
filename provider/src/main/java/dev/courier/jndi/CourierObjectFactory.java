package dev.courier.jndi;

import dev.courier.jms.CourierConnectionFactory;
import java.util.Hashtable;
import javax.naming.ConfigurationException;
import javax.naming.Context;
import javax.naming.Name;
import javax.naming.RefAddr;
import javax.naming.Reference;
import javax.naming.spi.ObjectFactory;

/**
 * Rebuilds a {@link CourierConnectionFactory} from the {@link Reference} its
 * {@code getReference()} made, so a factory bound by reference in any JNDI service (an
 * application server's, LDAP, a file system context) comes back as itself. Stateless and thread-safe.
 */
public class CourierObjectFactory implements ObjectFactory {

    /** The reference address that carries the factory's connection URL. */
    public static final String URL_ADDRESS = "url";

    /**
     * @return the connection factory, or null when {@code obj} is not a reference to one, so
     *         that JNDI can try other object factories, as {@link ObjectFactory} asks
     * @throws ConfigurationException when the reference is Courier's but its URL is missing or malformed
     */
    @Override
    public Object getObjectInstance(Object obj, Name name, Context nameCtx, Hashtable<?, ?> environment)
            throws ConfigurationException {
        if (!(obj instanceof Reference)) {
            return null;
        }
        Reference reference = (Reference) obj;
        if (!CourierConnectionFactory.class.getName().equals(reference.getClassName())) {
            return null;
        }
        RefAddr address = reference.get(URL_ADDRESS);
        if (address == null || !(address.getContent() instanceof String)) {
            throw new ConfigurationException("reference to " + reference.getClassName() + " has no '"
                    + URL_ADDRESS + "' address");
        }
        String url = (String) address.getContent();
        try {
            return new CourierConnectionFactory(url);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("reference to " + reference.getClassName() + " has a malformed URL: "
                    + e.getMessage());
        }
    }
}
