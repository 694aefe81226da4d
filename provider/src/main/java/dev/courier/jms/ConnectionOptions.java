package dev.courier.jms;

import dev.courier.client.ConnectionUrl;
import dev.courier.jms.message.DeserializationPolicy;

/**
 * The client-side settings a connection URL carries.
 *
 * @param clientId       administratively configured client ID, or null
 * @param consumerWindow how many messages a consumer may hold unconsumed (0 = fetch on receive)
 * @param deserialization which classes {@code ObjectMessage.getObject} may load
 */
record ConnectionOptions(String clientId, int consumerWindow, DeserializationPolicy deserialization) {

    static final int DEFAULT_CONSUMER_WINDOW = 1000;

    static ConnectionOptions of(ConnectionUrl url) throws jakarta.jms.JMSException {
        try {
            int window = url.intOption("consumerWindow", DEFAULT_CONSUMER_WINDOW);
            if (window < 0) {
                throw new IllegalArgumentException("consumerWindow must not be negative: " + window);
            }
            String allow = url.option("deserializationAllowList");
            String deny = url.option("deserializationDenyList");
            DeserializationPolicy policy = allow == null && deny == null
                    ? DeserializationPolicy.defaults() : DeserializationPolicy.of(allow, deny);
            return new ConnectionOptions(url.option("clientID"), window, policy);
        } catch (IllegalArgumentException e) {
            throw new jakarta.jms.JMSException(e.getMessage());
        }
    }
}
