package dev.courier.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LedgerTest {

    @Test
    void everyMessageArrivingOnceFromEveryProducerPasses() {
        Ledger ledger = new Ledger("q", 2);
        for (int seq = 0; seq < 3; seq++) {
            ledger.record(1, seq);
            ledger.record(0, seq);
        }
        ledger.record(0, 3);

        ledger.verify(new long[] {4, 3});
        assertEquals(7, ledger.delivered());
    }

    @Test
    void aLostMessageFailsAndIsNamed() {
        Ledger ledger = new Ledger("q", 1);
        ledger.record(0, 0);
        ledger.record(0, 2);

        WorkloadFailure failure = assertThrows(WorkloadFailure.class, () -> ledger.verify(new long[] {3}));
        assertTrue(failure.getMessage().contains("1 lost"), failure.getMessage());
        assertTrue(failure.getMessage().contains("producer 0 message 1 arrived 0 times"), failure.getMessage());
    }

    @Test
    void aDuplicatedMessageFailsAndIsNamed() {
        Ledger ledger = new Ledger("q", 1);
        ledger.record(0, 0);
        ledger.record(0, 1);
        ledger.record(0, 1);

        WorkloadFailure failure = assertThrows(WorkloadFailure.class, () -> ledger.verify(new long[] {2}));
        assertTrue(failure.getMessage().contains("1 duplicated"), failure.getMessage());
        assertTrue(failure.getMessage().contains("message 1 arrived 2 times"), failure.getMessage());
    }

    @Test
    void aMessageBeyondWhatWasSentFails() {
        Ledger ledger = new Ledger("q", 1);
        ledger.record(0, 0);
        ledger.record(0, 1);

        assertThrows(WorkloadFailure.class, () -> ledger.verify(new long[] {1}));
    }

    @Test
    void aMessageFromAnUnknownProducerIsRefusedWhenItArrives() {
        Ledger ledger = new Ledger("q", 1);

        assertThrows(IllegalStateException.class, () -> ledger.record(1, 0));
    }

    @Test
    void sequenceNumbersBeyondOneSegmentAreCounted() {
        Ledger ledger = new Ledger("q", 1);
        int sent = (1 << 20) + 5;
        for (int seq = 0; seq < sent; seq++) {
            ledger.record(0, seq);
        }

        ledger.verify(new long[] {sent});
    }
}
