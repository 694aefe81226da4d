package dev.courier.jms;

import dev.courier.client.BrokerLinks;
import dev.courier.client.ConnectionUrl;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicConnectionFactory;
import java.io.Serializable;
import javax.naming.NamingException;
import javax.naming.Reference;
import javax.naming.Referenceable;
import javax.naming.StringRefAddr;

/**
 * Courier's connection factory: everything a connection needs is in its URL
 * ({@code vm://NAME[?options]} or {@code tcp://HOST:PORT[?options]}); see DESIGN.md.
 * Immutable and thread-safe; serializable and referenceable so it can be bound in JNDI.
 */
public class CourierConnectionFactory implements ConnectionFactory, QueueConnectionFactory, TopicConnectionFactory,
        Serializable, Referenceable {

    private static final long serialVersionUID = 1L;

    /** The URL of {@code new CourierConnectionFactory()}. */
    public static final String DEFAULT_URL = "vm://default";

    private final String url;

    public CourierConnectionFactory() {
        this(DEFAULT_URL);
    }

    /**
     * @throws IllegalArgumentException if the URL is malformed or has an unknown option
     */
    public CourierConnectionFactory(String url) {
        ConnectionUrl.parse(url);
        this.url = url;
    }

    public String getUrl() {
        return url;
    }

    @Override
    public Connection createConnection() throws JMSException {
        return createCourierConnection(null, null);
    }

    @Override
    public Connection createConnection(String userName, String password) throws JMSException {
        return createCourierConnection(userName, password);
    }

    @Override
    public QueueConnection createQueueConnection() throws JMSException {
        return createCourierConnection(null, null);
    }

    @Override
    public QueueConnection createQueueConnection(String userName, String password) throws JMSException {
        return createCourierConnection(userName, password);
    }

    @Override
    public TopicConnection createTopicConnection() throws JMSException {
        return createCourierConnection(null, null);
    }

    @Override
    public TopicConnection createTopicConnection(String userName, String password) throws JMSException {
        return createCourierConnection(userName, password);
    }

    @Override
    public JMSContext createContext() {
        return createContext(null, null, JMSContext.AUTO_ACKNOWLEDGE);
    }

    @Override
    public JMSContext createContext(String userName, String password) {
        return createContext(userName, password, JMSContext.AUTO_ACKNOWLEDGE);
    }

    /** A context on a new connection; its session is made on first use (see {@link CourierJMSContext}). */
    @Override
    public JMSContext createContext(String userName, String password, int sessionMode) {
        CourierJMSContext.checkSessionMode(sessionMode);
        try {
            return CourierJMSContext.open(createCourierConnection(userName, password), sessionMode);
        } catch (JMSException e) {
            throw JmsRuntimeExceptions.of(e);
        }
    }

    @Override
    public JMSContext createContext(int sessionMode) {
        return createContext(null, null, sessionMode);
    }

    private CourierConnection createCourierConnection(String user, String password) throws JMSException {
        ConnectionUrl parsed;
        try {
            parsed = ConnectionUrl.parse(url);
        } catch (IllegalArgumentException e) {
            throw new JMSException(e.getMessage());
        }
        ConnectionOptions options = ConnectionOptions.of(parsed);
        CourierConnection connection = new CourierConnection(BrokerLinks.open(parsed, user, password), options);
        if (options.clientId() != null) {
            try {
                connection.assignClientId(options.clientId());
            } catch (JMSException e) {
                connection.close();
                throw e;
            }
        }
        return connection;
    }

    @Override
    public Reference getReference() throws NamingException {
        Reference reference = new Reference(getClass().getName(), "dev.courier.jndi.CourierObjectFactory", null);
        reference.add(new StringRefAddr("url", url));
        return reference;
    }

    @Override
    public String toString() {
        return "CourierConnectionFactory[" + url + "]";
    }
}
