package dev.courier.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Broker settings: the memory bound's default and the byte counts operators write. */
class BrokerConfigTest {

    @Test
    void byteCountsTakeKMAndGSuffixesInEitherCase() {
        assertEquals(100, BrokerConfig.parseBytes("100"));
        assertEquals(64 * 1024, BrokerConfig.parseBytes("64k"));
        assertEquals(64 * 1024, BrokerConfig.parseBytes("64K"));
        assertEquals(16L << 20, BrokerConfig.parseBytes(" 16m "));
        assertEquals(2L << 30, BrokerConfig.parseBytes("2G"));
    }

    @Test
    void anythingElseIsRefused() {
        for (String bad : new String[] {"", "k", "12x", "0", "-1k", "1.5g", "99999999999g"}) {
            assertThrows(IllegalArgumentException.class, () -> BrokerConfig.parseBytes(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> BrokerConfig.defaults().withMaxQueueMemory(0));
    }

    @Test
    void theDefaultBoundIsASixteenthOfTheHeap() {
        assertEquals(Runtime.getRuntime().maxMemory() / 16, BrokerConfig.defaults().maxQueueMemory());
        assertTrue(BrokerConfig.defaults().withMaxQueueMemory(4096).withMaxDeliveryAttempts(2).maxQueueMemory() == 4096);
    }
}
