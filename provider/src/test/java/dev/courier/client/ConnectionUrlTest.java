package dev.courier.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void maxQueueMemoryIsAVmBrokerOptionWithByteSuffixes() {
        assertEquals(64 * 1024, VmBrokers.configOf(ConnectionUrl.parse("vm://a?maxQueueMemory=64k")).maxQueueMemory());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> VmBrokers.configOf(ConnectionUrl.parse("vm://a?maxQueueMemory=much")));
        assertTrue(bad.getMessage().contains("maxQueueMemory=much"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConnectionUrl.parse("tcp://h:1?maxQueueMemory=64k"));
    }
}
