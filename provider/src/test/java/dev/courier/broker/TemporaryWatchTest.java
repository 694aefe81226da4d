package dev.courier.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.courier.message.Address;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Connections watching another's temporary destination are told when it goes, once, and only while they watch. */
class TemporaryWatchTest {

    private final Broker broker = new Broker("unit", BrokerConfig.defaults());
    private final List<Address> told = new CopyOnWriteArrayList<>();
    private BrokerConnection owner;
    private BrokerConnection watcher;

    @BeforeEach
    void connect() throws Exception {
        owner = broker.connect(null, null);
        watcher = broker.connect(null, null);
    }

    @AfterEach
    void stop() {
        broker.stop();
    }

    @Test
    void aWatcherIsToldOnceWhenTheOwnerDeletesIt() throws Exception {
        Address q = owner.createTemporary(Address.Kind.TEMPORARY_QUEUE);
        watcher.watchTemporary(q, told::add);
        watcher.watchTemporary(q, told::add);
        owner.deleteTemporary(q);
        assertEquals(List.of(q), told);
    }

    @Test
    void aWatcherIsToldWhenTheOwnerCloses() throws Exception {
        Address t = owner.createTemporary(Address.Kind.TEMPORARY_TOPIC);
        watcher.watchTemporary(t, told::add);
        owner.close();
        assertEquals(List.of(t), told);
    }

    @Test
    void aClosedWatcherIsNotToldAnyMore() throws Exception {
        Address q = owner.createTemporary(Address.Kind.TEMPORARY_QUEUE);
        watcher.watchTemporary(q, told::add);
        watcher.close();
        owner.deleteTemporary(q);
        assertEquals(List.of(), told);
    }

    @Test
    void watchingADeletedDestinationFailsAsInvalidAndRegistersNothing() throws Exception {
        Address q = owner.createTemporary(Address.Kind.TEMPORARY_QUEUE);
        owner.deleteTemporary(q);
        BrokerException e = assertThrows(BrokerException.class, () -> watcher.watchTemporary(q, told::add));
        assertEquals(ErrorCode.INVALID_DESTINATION, e.code());
        assertThrows(IllegalArgumentException.class, () -> watcher.watchTemporary(Address.queue("permanent"), told::add));
        assertEquals(List.of(), told);
    }
}
