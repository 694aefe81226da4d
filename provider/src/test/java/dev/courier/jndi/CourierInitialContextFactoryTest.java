package dev.courier.jndi;

import static dev.courier.jndi.JndiEnvironments.environment;
import static dev.courier.jndi.JndiEnvironments.initialContext;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.jms.CourierConnectionFactory;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.Topic;
import jakarta.jms.TopicConnectionFactory;
import java.util.Hashtable;
import javax.naming.ConfigurationException;
import javax.naming.Context;
import javax.naming.InvalidNameException;
import javax.naming.NameNotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every configuration key of DESIGN.md's JNDI contract, the dynamic names and the configuration errors. */
class CourierInitialContextFactoryTest {

    @ParameterizedTest
    @ValueSource(strings = {"ConnectionFactory", "QueueConnectionFactory", "TopicConnectionFactory"})
    void alwaysBindsTheDefaultFactoriesToVmDefault(String name) throws Exception {
        Context context = initialContext();
        CourierConnectionFactory factory = (CourierConnectionFactory) context.lookup(name);
        assertEquals("vm://default", factory.getUrl());
    }

    @Test
    void defaultFactoriesServeEveryDomain() throws Exception {
        Context context = initialContext();
        assertInstanceOf(ConnectionFactory.class, context.lookup("ConnectionFactory"));
        assertInstanceOf(QueueConnectionFactory.class, context.lookup("QueueConnectionFactory"));
        assertInstanceOf(TopicConnectionFactory.class, context.lookup("TopicConnectionFactory"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ConnectionFactory", "QueueConnectionFactory", "TopicConnectionFactory"})
    void providerUrlSetsTheDefaultFactoriesUrl(String name) throws Exception {
        Context context = initialContext(Context.PROVIDER_URL, "vm://orders?consumerWindow=5");
        assertEquals("vm://orders?consumerWindow=5", ((CourierConnectionFactory) context.lookup(name)).getUrl());
    }

    @Test
    void connectionFactoryKeyBindsAnExtraFactoryWithItsOptions() throws Exception {
        Context context = initialContext(
                Context.PROVIDER_URL, "vm://a",
                "connectionFactory.Durable", "vm://a?clientID=cts",
                "connectionFactory.Remote", "tcp://broker.example:61700");
        assertEquals("vm://a?clientID=cts", ((CourierConnectionFactory) context.lookup("Durable")).getUrl());
        assertEquals("tcp://broker.example:61700", ((CourierConnectionFactory) context.lookup("Remote")).getUrl());
        assertEquals("vm://a", ((CourierConnectionFactory) context.lookup("ConnectionFactory")).getUrl());
    }

    @Test
    void connectionFactoryKeyMayReplaceOneDefaultFactory() throws Exception {
        Context context = initialContext(Context.PROVIDER_URL, "vm://a", "connectionFactory.ConnectionFactory", "vm://b");
        assertEquals("vm://b", ((CourierConnectionFactory) context.lookup("ConnectionFactory")).getUrl());
        assertEquals("vm://a", ((CourierConnectionFactory) context.lookup("QueueConnectionFactory")).getUrl());
    }

    @Test
    void queueKeyBindsAQueueByPhysicalName() throws Exception {
        Context context = initialContext("queue.Orders", "orders.incoming");
        Queue queue = (Queue) context.lookup("Orders");
        assertEquals("orders.incoming", queue.getQueueName());
    }

    @Test
    void topicKeyBindsATopicByPhysicalName() throws Exception {
        Context context = initialContext("topic.Prices", "prices.eu");
        Topic topic = (Topic) context.lookup("Prices");
        assertEquals("prices.eu", topic.getTopicName());
    }

    @Test
    void physicalNamesLoseSurroundingBlanks() throws Exception {
        Context context = initialContext("queue.Orders", " orders \t");
        assertEquals("orders", ((Queue) context.lookup("Orders")).getQueueName());
    }

    @Test
    void dynamicQueuesNeedNoConfiguration() throws Exception {
        Queue queue = (Queue) initialContext().lookup("dynamicQueues/anything.at.all");
        assertEquals("anything.at.all", queue.getQueueName());
    }

    @Test
    void dynamicTopicsNeedNoConfiguration() throws Exception {
        Topic topic = (Topic) initialContext().lookup("dynamicTopics/news/sport");
        assertEquals("news/sport", topic.getTopicName());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dynamicQueues/", "dynamicTopics/"})
    void dynamicPrefixWithoutANameIsInvalid(String name) {
        InvalidNameException e = assertThrows(InvalidNameException.class, () -> initialContext().lookup(name));
        assertTrue(e.getMessage().contains(name), e.getMessage());
    }

    @Test
    void unknownNameIsNotFoundAndNamed() {
        NameNotFoundException e = assertThrows(NameNotFoundException.class,
                () -> initialContext("queue.Orders", "orders").lookup("Ordres"));
        assertTrue(e.getMessage().contains("'Ordres'"), e.getMessage());
        assertTrue(e.getMessage().contains("Orders"), "lists what is bound: " + e.getMessage());
    }

    @Test
    void otherKeysOfTheEnvironmentAreIgnored() throws Exception {
        Context context = initialContext("java.naming.security.principal", "someone", "queueing", "x");
        assertThrows(NameNotFoundException.class, () -> context.lookup("ing"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "java.naming.provider.url | http://wrong",
        "java.naming.provider.url | ''",
        "connectionFactory.Bad    | vm://",
        "connectionFactory.Bad    | vm://x?clientId=typo",
        "connectionFactory.Bad    | tcp://host:notaport",
        "queue.Empty              | ''",
        "topic.Blank              | '  '",
    })
    void malformedValueIsAConfigurationErrorNamingTheKey(String key, String value) {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> initialContext(key, value));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    @Test
    void malformedUrlMessageSaysWhatIsWrong() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> initialContext("connectionFactory.Bad", "vm://x?clientId=typo"));
        assertTrue(e.getMessage().contains("unknown option 'clientId'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"queue.", "topic.", "connectionFactory."})
    void keyWithoutAJndiNameIsAConfigurationError(String key) {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> initialContext(key, "x"));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    @Test
    void oneNameBoundTwiceIsAConfigurationErrorNamingBothKeys() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> initialContext("queue.Orders", "a", "topic.Orders", "b"));
        assertTrue(e.getMessage().contains("queue.Orders") && e.getMessage().contains("topic.Orders"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"queue.ConnectionFactory", "topic.TopicConnectionFactory"})
    void destinationCannotTakeADefaultFactoryName(String key) {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> initialContext(key, "x"));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"queue.dynamicQueues", "topic.dynamicTopics/x", "connectionFactory.dynamicQueues/y"})
    void dynamicPrefixesAreReserved(String key) {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> initialContext(key, "vm://x"));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    @Test
    void nonStringValueIsAConfigurationError() {
        Hashtable<String, Object> env = environment();
        env.put("queue.Orders", 42);
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> new CourierInitialContextFactory().getInitialContext(env));
        assertTrue(e.getMessage().contains("queue.Orders"), e.getMessage());
    }

    @Test
    void nullEnvironmentMeansDefaults() throws Exception {
        Context context = new CourierInitialContextFactory().getInitialContext(null);
        assertEquals("vm://default", ((CourierConnectionFactory) context.lookup("ConnectionFactory")).getUrl());
    }

    @Test
    void theThreeDefaultNamesShareOneFactory() throws Exception {
        Context context = initialContext();
        assertSame(context.lookup("ConnectionFactory"), context.lookup("TopicConnectionFactory"));
    }
}
