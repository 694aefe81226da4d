package dev.courier.jms;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.broker.UserStore;
import jakarta.jms.Connection;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.JMSSecurityRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials checked against a user file of salted hashes; anonymous access on or off. */
@AllTransports
class AuthenticationTest extends BrokerFixture {

    @TempDir
    Path dir;

    private String usersOption() throws Exception {
        Path file = dir.resolve("users.properties");
        Files.writeString(file, "alice=" + UserStore.entry("secret") + "\n");
        return "users=" + file;
    }

    @Test
    void aKnownUserWithTheRightPasswordConnectsAndOthersAreRefused() throws Exception {
        CourierConnectionFactory f = factory(usersOption());
        try (Connection c = f.createConnection("alice", "secret")) {
            assertNotNull(c.createSession());
        }
        assertThrows(JMSSecurityException.class, () -> f.createConnection("alice", "wrong").close());
        assertThrows(JMSSecurityException.class, () -> f.createConnection("mallory", "secret").close());
        assertThrows(JMSSecurityRuntimeException.class, () -> f.createContext("alice", "wrong").close());
        try (JMSContext context = f.createContext("alice", "secret")) {
            assertNotNull(context.createQueue("q"));
        }
    }

    @Test
    void anonymousAccessIsAllowedUnlessSwitchedOff() throws Exception {
        String users = usersOption();
        try (Connection c = factory(users).createConnection()) {
            assertNotNull(c.createSession());
        }
        stopBroker();
        CourierConnectionFactory closed = factory(users + "&anonymous=false");
        assertThrows(JMSSecurityException.class, () -> closed.createConnection().close());
        try (Connection c = closed.createConnection("alice", "secret")) {
            assertNotNull(c.createSession());
        }
    }

    @Test
    void aStoredHashVerifiesOnlyItsOwnPasswordAndNeverContainsIt() {
        String entry = UserStore.entry("secret");
        assertTrue(entry.startsWith("pbkdf2-sha256:") && !entry.contains("secret"), entry);
        assertTrue(!UserStore.entry("secret").equals(entry), "each entry has its own salt");
    }
}
