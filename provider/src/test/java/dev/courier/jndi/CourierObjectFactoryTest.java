package dev.courier.jndi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.jms.CourierConnectionFactory;
import java.util.Hashtable;
import javax.naming.ConfigurationException;
import javax.naming.Reference;
import javax.naming.StringRefAddr;
import javax.naming.spi.NamingManager;
import org.junit.jupiter.api.Test;

/** A connection factory survives the trip through its JNDI Reference. */
class CourierObjectFactoryTest {

    private static final String FACTORY_CLASS = CourierConnectionFactory.class.getName();

    @Test
    void rebuildsTheFactoryFromItsReference() throws Exception {
        CourierConnectionFactory original = new CourierConnectionFactory("vm://ref?clientID=cts&consumerWindow=3");
        Object rebuilt = new CourierObjectFactory().getObjectInstance(original.getReference(), null, null, null);
        assertEquals(original.getUrl(), assertInstanceOf(CourierConnectionFactory.class, rebuilt).getUrl());
    }

    @Test
    void jndiFindsTheObjectFactoryTheReferenceNames() throws Exception {
        CourierConnectionFactory original = new CourierConnectionFactory("tcp://localhost:61700");
        Object rebuilt = NamingManager.getObjectInstance(original.getReference(), null, null, new Hashtable<>());
        assertEquals(original.getUrl(), assertInstanceOf(CourierConnectionFactory.class, rebuilt).getUrl());
    }

    @Test
    void declinesWhatIsNotItsReference() throws Exception {
        CourierObjectFactory factory = new CourierObjectFactory();
        assertNull(factory.getObjectInstance("not a reference", null, null, null));
        assertNull(factory.getObjectInstance(new Reference("com.example.Other"), null, null, null));
    }

    @Test
    void referenceWithoutUrlIsAConfigurationError() {
        Reference reference = new Reference(FACTORY_CLASS, CourierObjectFactory.class.getName(), null);
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> new CourierObjectFactory().getObjectInstance(reference, null, null, null));
        assertTrue(e.getMessage().contains("'url'"), e.getMessage());
    }

    @Test
    void referenceWithMalformedUrlIsAConfigurationError() {
        Reference reference = new Reference(FACTORY_CLASS, CourierObjectFactory.class.getName(), null);
        reference.add(new StringRefAddr("url", "vm://x?nonsense=1"));
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> new CourierObjectFactory().getObjectInstance(reference, null, null, null));
        assertTrue(e.getMessage().contains("nonsense"), e.getMessage());
    }
}
