package dev.courier.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConnectionUrlTest {

    @Test
    void vmUrlNamesTheBrokerAndCarriesOptions() {
        ConnectionUrl url = ConnectionUrl.parse("vm://orders?persistent=false&clientID=app%201");
        assertTrue(url.isVm());
        assertEquals("orders", url.name());
        assertEquals("false", url.option("persistent"));
        assertEquals("app 1", url.option("clientID"));
    }

    @Test
    void tcpUrlHasHostAndPort() {
        ConnectionUrl url = ConnectionUrl.parse("tcp://127.0.0.1:61700?consumerWindow=0");
        assertEquals("127.0.0.1", url.host());
        assertEquals(61700, url.port());
        assertEquals(0, url.intOption("consumerWindow", 1000));
    }

    @Test
    void heartbeatIsATcpOption() {
        assertEquals(500, ConnectionUrl.parse("tcp://h:1?heartbeat=500").intOption("heartbeat", 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConnectionUrl.parse("vm://a?heartbeat=500"));
        assertTrue(e.getMessage().contains("heartbeat"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "orders", "http://x", "vm://", "vm://a/b", "tcp://host", "tcp://host:0",
        "tcp://host:99999", "tcp://host:abc", "vm://a?typo=1", "vm://a?flag", "tcp://h:1?data=/tmp"})
    void malformedUrlsAreRefusedWithAReason(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConnectionUrl.parse(text));
        assertTrue(e.getMessage().length() > 10, e.getMessage());
    }

    @Test
    void nonNumericIntegerOptionIsRefused() {
        ConnectionUrl url = ConnectionUrl.parse("vm://a?consumerWindow=lots");
        assertThrows(IllegalArgumentException.class, () -> url.intOption("consumerWindow", 1));
    }

    @Test
    void failoverUrlListsItsBrokersInOrderWithTheirOwnTcpOptions() {
        ConnectionUrl url = ConnectionUrl.parse(
                "failover:(tcp://h1:1?heartbeat=300,tcp://h2:2)?heartbeat=700&clientID=app&maxReconnectAttempts=5");
        assertTrue(url.isFailover());
        assertEquals(2, url.members().size());
        assertEquals("h1", url.members().get(0).host());
        assertEquals(1, url.members().get(0).port());
        assertEquals(300, url.members().get(0).intOption("heartbeat", 0), "a broker's own option wins");
        assertEquals("h2", url.members().get(1).host());
        assertEquals(700, url.members().get(1).intOption("heartbeat", 0), "the outer TCP option is the default");
        assertEquals("app", url.option("clientID"));
        assertEquals(5, FailoverPolicy.of(url).maxAttempts());
    }

    @Test
    void failoverOfOneBrokerNeedsNoParentheses() {
        ConnectionUrl url = ConnectionUrl.parse("failover:tcp://h:61700?initialReconnectDelay=50&consumerWindow=0");
        assertEquals(1, url.members().size());
        assertEquals("h", url.members().get(0).host());
        assertEquals(61700, url.members().get(0).port());
        assertEquals(0, url.intOption("consumerWindow", 1000));
        assertEquals(50, FailoverPolicy.of(url).initialDelayMillis());
    }

    @Test
    void failoverPolicyDefaultsRetryForEverWithGrowingDelays() {
        FailoverPolicy policy = FailoverPolicy.of(ConnectionUrl.parse("failover:tcp://h:1"));
        assertEquals(new FailoverPolicy(100, 5_000, 2.0, -1, -1), policy);
        assertEquals(0, policy.delayMillis(0), "the first attempt goes at once");
        assertEquals(100, policy.delayMillis(1));
        assertEquals(200, policy.delayMillis(2));
        assertEquals(400, policy.delayMillis(3));
        assertEquals(5_000, policy.delayMillis(60), "capped at maxReconnectDelay");
        assertTrue(policy.mayTry(1_000_000, false));
    }

    @Test
    void failoverAttemptLimitsCountAttemptsAfterTheLossOrAfterTheFirstTry() {
        FailoverPolicy policy = FailoverPolicy.of(ConnectionUrl.parse(
                "failover:tcp://h:1?maxReconnectAttempts=2&startupMaxReconnectAttempts=0&backoffMultiplier=1.5"));
        assertTrue(policy.mayTry(1, false));
        assertFalse(policy.mayTry(2, false));
        assertTrue(policy.mayTry(0, true), "the first connection is always tried");
        assertFalse(policy.mayTry(1, true));
        assertEquals(150, policy.delayMillis(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"failover:", "failover:()", "failover:(tcp://h:1", "failover:(tcp://h:1)x",
        "failover:(vm://a)", "failover:(tcp://h:1,)", "failover:(tcp://h:1?clientID=x)", "failover:tcp://h:1?typo=1",
        "failover:tcp://h:1?data=/tmp", "failover:tcp://h:1?maxReconnectAttempts=-2",
        "failover:tcp://h:1?backoffMultiplier=0.5", "failover:tcp://h:1?initialReconnectDelay=10&maxReconnectDelay=5",
        "failover:tcp://h:1?initialReconnectDelay=soon", "failover:(tcp://h:1?heartbeat=x)"})
    void malformedFailoverUrlsAreRefusedWithAReason(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConnectionUrl.parse(text));
        assertTrue(e.getMessage().length() > 10, e.getMessage());
    }

    @Test
    void maxQueueMemoryIsAVmBrokerOptionWithByteSuffixes() {
        assertEquals(64 * 1024, VmBrokers.configOf(ConnectionUrl.parse("vm://a?maxQueueMemory=64k")).maxQueueMemory());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> VmBrokers.configOf(ConnectionUrl.parse("vm://a?maxQueueMemory=much")));
        assertTrue(bad.getMessage().contains("maxQueueMemory=much"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConnectionUrl.parse("tcp://h:1?maxQueueMemory=64k"));
    }
}
