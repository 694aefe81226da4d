package dev.courier.store;

class InMemoryMessageStoreTest extends MessageStoreContractTest {

    @Override
    protected MessageStore create() {
        return new InMemoryMessageStore();
    }

    /** Nothing is durable: recovery replays what this instance committed. */
    @Override
    protected MessageStore reopen(MessageStore old) {
        return old;
    }
}
