package dev.courier.client;

import dev.courier.broker.BrokerException;
import jakarta.jms.JMSException;

/** Opens the right {@link BrokerLink} for a connection URL. */
public final class BrokerLinks {

    private BrokerLinks() {
    }

    public static BrokerLink open(ConnectionUrl url, String user, String password) throws JMSException {
        if (url.isVm()) {
            try {
                return new VmBrokerLink(VmBrokers.obtain(url).connect(user, password));
            } catch (BrokerException e) {
                throw BrokerErrors.toJms(e);
            }
        }
        if (url.isFailover()) {
            return FailoverBrokerLink.connect(url, user, password);
        }
        return TcpBrokerLink.connect(url, user, password);
    }
}
