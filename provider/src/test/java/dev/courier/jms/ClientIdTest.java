package dev.courier.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import org.junit.jupiter.api.Test;

/**
 * Client identifiers (spec 6.1.2): set once, administratively or "immediately after it creates
 * the connection and before any other action on the connection is taken"; unique among the
 * connections of a broker at any one time.
 */
@AllTransports
class ClientIdTest extends BrokerFixture {

    @Test
    void clientIdIsNullUntilSet() throws Exception {
        try (Connection c = factory().createConnection()) {
            assertNull(c.getClientID());
            c.setClientID("app-1");
            assertEquals("app-1", c.getClientID());
        }
    }

    @Test
    void settingClientIdTwiceThrowsIllegalState() throws Exception {
        try (Connection c = factory().createConnection()) {
            c.setClientID("app-1");
            assertThrows(IllegalStateException.class, () -> c.setClientID("app-2"));
            assertThrows(IllegalStateException.class, () -> c.setClientID("app-1"));
            assertEquals("app-1", c.getClientID());
        }
    }

    @Test
    void settingClientIdAfterCreateSessionThrowsIllegalState() throws Exception {
        try (Connection c = factory().createConnection()) {
            c.createSession();
            assertThrows(IllegalStateException.class, () -> c.setClientID("app-1"));
            assertNull(c.getClientID());
        }
    }

    @Test
    void settingClientIdAfterStartThrowsIllegalState() throws Exception {
        try (Connection c = factory().createConnection()) {
            c.start();
            assertThrows(IllegalStateException.class, () -> c.setClientID("app-1"));
        }
    }

    @Test
    void duplicateClientIdOnTwoLiveConnectionsThrowsInvalidClientId() throws Exception {
        try (Connection first = factory().createConnection(); Connection second = factory().createConnection()) {
            first.setClientID("app-1");
            assertThrows(InvalidClientIDException.class, () -> second.setClientID("app-1"));
            assertNull(second.getClientID());
            second.setClientID("app-2"); // a failed attempt does not use up the one allowed set
            assertEquals("app-2", second.getClientID());
        }
    }

    @Test
    void clientIdIsReusableAfterTheFirstConnectionCloses() throws Exception {
        Connection first = factory().createConnection();
        first.setClientID("app-1");
        first.close();
        try (Connection second = factory().createConnection()) {
            second.setClientID("app-1");
            assertEquals("app-1", second.getClientID());
        }
    }

    @Test
    void clientIdFromUrlIsSetAndCannotBeChanged() throws Exception {
        try (Connection c = factory("clientID=configured").createConnection()) {
            assertEquals("configured", c.getClientID());
            assertThrows(IllegalStateException.class, () -> c.setClientID("other"));
            assertEquals("configured", c.getClientID());
        }
    }

    @Test
    void clientIdFromUrlIsUniqueAmongLiveConnections() throws Exception {
        CourierConnectionFactory f = factory("clientID=configured");
        try (Connection first = f.createConnection()) {
            assertThrows(InvalidClientIDException.class, f::createConnection);
            try (Connection other = factory().createConnection()) {
                assertThrows(InvalidClientIDException.class, () -> other.setClientID("configured"));
            }
        }
        try (Connection again = f.createConnection()) {
            assertEquals("configured", again.getClientID());
        }
    }

    @Test
    void emptyOrNullClientIdIsRejected() throws Exception {
        try (Connection c = factory().createConnection()) {
            assertThrows(InvalidClientIDException.class, () -> c.setClientID(""));
            assertThrows(InvalidClientIDException.class, () -> c.setClientID(null));
            c.setClientID("ok");
        }
    }
}
