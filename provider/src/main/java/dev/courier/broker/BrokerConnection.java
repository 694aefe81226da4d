package dev.courier.broker;

import dev.courier.broker.InFlightTable.InFlight;
import dev.courier.message.Address;
import dev.courier.message.MessageRecord;
import dev.courier.selector.Selector;
import dev.courier.selector.SelectorSyntaxException;
import dev.courier.store.StoreBatch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The broker's side of one client connection: its client ID, consumers, the messages delivered
 * to it and not yet settled, and the temporary destinations it owns. The in-VM link calls these
 * methods directly; the TCP server calls them for the frames it decodes.
 *
 * <p>Threading: any client thread may call any method. Deliveries are registered from dispatch
 * (under a queue's lock), hence the concurrent maps and the {@link InFlightTable}, which most
 * deliveries pass without a lock; nothing here holds a lock while calling a queue except
 * {@link #setClientId}, which only touches the broker's client-ID table.
 */
public final class BrokerConnection {

    private final long id;
    private final Broker broker;
    private final String user;
    private final Map<Long, ServerConsumer> consumers = new ConcurrentHashMap<>();
    private final InFlightTable deliveries = new InFlightTable();
    private final Set<Address> temporaries = ConcurrentHashMap.newKeySet();
    /** Other connections' temporary destinations this one watches (see {@link #watchTemporary}). */
    private final Set<Address> watched = ConcurrentHashMap.newKeySet();
    private final AtomicLong nextDeliveryId = new AtomicLong();
    private final AtomicLong nextTemporary = new AtomicLong();
    private volatile String clientId;
    private volatile boolean closed;
    /** Sends waiting for room on a full queue (flow control). */
    private final Set<Held> held = ConcurrentHashMap.newKeySet();
    private volatile boolean stopWaiting;

    BrokerConnection(long id, Broker broker, String user) {
        this.id = id;
        this.broker = broker;
        this.user = user;
    }

    public long id() {
        return id;
    }

    public String user() {
        return user;
    }

    public String clientId() {
        return clientId;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Claims a client ID broker-wide. */
    public synchronized void setClientId(String value) throws BrokerException {
        checkOpen();
        if (clientId != null) {
            throw new BrokerException(ErrorCode.ILLEGAL_STATE, "client ID is already set to '" + clientId + "'");
        }
        broker.claimClientId(value, this);
        clientId = value;
    }

    /**
     * Routes a message now (a non-transacted send). While a queue it goes to is full and cannot
     * page it (see {@link #trySendThen}), the calling thread waits, holding no lock, until there is
     * room or the connection closes (then {@link ErrorCode#CLOSED}).
     */
    public void send(MessageRecord record) throws BrokerException {
        while (true) {
            MessageQueue full = routeOrFull(record);
            if (full == null) {
                return;
            }
            CountDownLatch room = new CountDownLatch(1);
            Held held = hold(full, room::countDown);
            if (held != null) {
                try {
                    room.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BrokerException(ErrorCode.GENERAL, "interrupted while waiting for room on " + full.name());
                } finally {
                    unhold(held);
                }
            }
        }
    }

    /**
     * Routes a message now without blocking the calling thread, for callers that must not (the
     * TCP server). A persistent message's store commit is not awaited (see
     * {@link Broker#routeUnlessFullThen}). Returns true when the message was routed or is being
     * made durable: {@code whenRouted} then runs once with the outcome (null, or the store's
     * failure), on this thread, or on {@code afterStore} once the store is done. Returns false
     * when a queue it goes to holds its memory bound and cannot page it (non-persistent, or not
     * stored): then nothing is sent,
     * {@code whenRouted} never runs, and {@code onRoom} runs once, on another thread, when the
     * caller should call again (there may be room, or the connection is closing). {@code onRoom}
     * must only signal: it may run under a queue's lock.
     */
    public boolean trySendThen(MessageRecord record, Runnable onRoom, Executor afterStore,
            Consumer<BrokerException> whenRouted) throws BrokerException {
        while (true) {
            checkOpen();
            MessageQueue full = broker.routeUnlessFullThen(record, id, afterStore, whenRouted);
            if (full == null) {
                return true;
            }
            checkMayWait(full);
            if (hold(full, onRoom) != null) {
                return false;
            }
        }
    }

    /**
     * The client is closing: sends waiting for room give up with {@link ErrorCode#CLOSED}, and
     * later ones that would wait fail the same way, so the close is not stuck behind them.
     */
    public void stopWaiting() {
        stopWaiting = true;
        for (Held held : List.copyOf(this.held)) {
            held.queue.cancelWait(held);
            held.run();
        }
    }

    /** Sends of this connection waiting for room (flow control). */
    int waitingSends() {
        return held.size();
    }

    private MessageQueue routeOrFull(MessageRecord record) throws BrokerException {
        checkOpen();
        MessageQueue full = broker.routeUnlessFull(record, id);
        if (full != null) {
            checkMayWait(full);
        }
        return full;
    }

    /** A send that would wait for room on {@code full} fails instead once the client is closing. */
    private void checkMayWait(MessageQueue full) throws BrokerException {
        if (stopWaiting) {
            throw new BrokerException(ErrorCode.CLOSED, "the connection is closing; " + full.name()
                    + " is full and the message was not sent");
        }
    }

    /** Registers a waiter on a full queue; null when there is room already (or the connection stops waiting). */
    private Held hold(MessageQueue queue, Runnable onRoom) {
        Held h = new Held(queue, onRoom);
        held.add(h);
        if (stopWaiting || !queue.awaitRoom(h)) {
            held.remove(h);
            return null;
        }
        return h;
    }

    private void unhold(Held h) {
        if (held.remove(h)) {
            h.queue.cancelWait(h);
        }
    }

    /**
     * Commits a local transaction: acknowledges the deliveries and routes the messages together.
     * If any delivery is unknown (lost with a connection) nothing is applied.
     */
    public void commit(List<MessageRecord> sends, long[] acknowledgements) throws BrokerException {
        checkOpen();
        StoreBatch batch = new StoreBatch();
        RoutingPlan plan = planCommit(sends, acknowledgements, batch);
        broker.commitPlanned(plan, batch);
        committed(plan, acknowledgements);
    }

    /**
     * Commits like {@link #commit} without blocking the calling thread, for callers that must
     * not wait for the disk (the TCP server): once the store has made the transaction durable,
     * its acknowledgements are settled and its messages enqueued on {@code afterStore}, then
     * {@code whenDone} runs there with null, or with the store's failure (then nothing of the
     * transaction happened). When nothing needs the store all of it runs at once, on this thread.
     *
     * @throws BrokerException when the transaction cannot commit at all (then nothing happened
     *                         and {@code whenDone} never runs)
     */
    public void commitThen(List<MessageRecord> sends, long[] acknowledgements, Executor afterStore,
            Consumer<BrokerException> whenDone) throws BrokerException {
        checkOpen();
        StoreBatch batch = new StoreBatch();
        RoutingPlan plan = planCommit(sends, acknowledgements, batch);
        broker.commitPlannedThen(plan, batch, afterStore, failure -> {
            try {
                if (failure == null) {
                    committed(plan, acknowledgements);
                }
            } finally {
                // Durable (or refused) either way: the committer must hear of it.
                whenDone.accept(failure);
            }
        });
    }

    /**
     * Checks a transaction's acknowledgements and plans its sends: the store operations go to
     * {@code batch}, nothing is applied yet. If any delivery is unknown (lost with a connection)
     * the whole transaction is refused.
     */
    private RoutingPlan planCommit(List<MessageRecord> sends, long[] acknowledgements, StoreBatch batch)
            throws BrokerException {
        for (long deliveryId : acknowledgements) {
            InFlight delivery = deliveries.get(deliveryId);
            if (delivery == null) {
                throw new BrokerException(ErrorCode.TRANSACTION_ROLLED_BACK,
                        "delivery " + deliveryId + " is no longer held by this connection; the transaction was rolled back");
            }
            if (delivery.entry().isStored()) {
                batch.removeReference(delivery.queue().storeName(), delivery.entry().storeId);
            }
        }
        RoutingPlan plan = new RoutingPlan();
        for (MessageRecord record : sends) {
            broker.checkRoutable(record.destination());
            broker.plan(record, id, plan, batch);
        }
        return plan;
    }

    /** A durable transaction takes effect: its deliveries are settled, its messages enqueued. */
    private void committed(RoutingPlan plan, long[] acknowledgements) {
        for (long deliveryId : acknowledgements) {
            InFlight delivery = deliveries.remove(deliveryId);
            if (delivery != null) {
                delivery.queue().acknowledged(delivery.entry());
            }
        }
        plan.apply(broker);
    }

    /** Opens a consumer; deliveries start as soon as it has credit. */
    public void openConsumer(long consumerId, ConsumerSpec spec, DeliverySink sink) throws BrokerException {
        checkOpen();
        Address destination = spec.destination();
        if (destination == null) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "destination must not be null");
        }
        Selector selector = compile(spec.selector());
        if (destination.isTemporary()) {
            broker.checkTemporaryConsumer(destination, this);
        }
        ServerConsumer consumer;
        if (destination.isQueue()) {
            MessageQueue queue = broker.queue(destination);
            consumer = new ServerConsumer(consumerId, this, queue, selector, sink, null, spec.credit());
        } else if (spec.subscriptionName() != null) {
            Subscription subscription = broker.subscriptions().attach(this, spec, selector);
            consumer = new ServerConsumer(consumerId, this, subscription.queue, Selector.MATCH_ALL, sink,
                    subscription, spec.credit());
        } else {
            MessageQueue queue = new MessageQueue("consumer:" + id + ":" + consumerId, null, broker);
            Subscription subscription = new Subscription(destination, selector, spec.noLocal(), null, false, queue);
            subscription.noLocalConnectionId = id;
            broker.topic(destination).add(subscription);
            consumer = new ServerConsumer(consumerId, this, queue, Selector.MATCH_ALL, sink, subscription, spec.credit());
        }
        consumers.put(consumerId, consumer);
        consumer.queue.addConsumer(consumer);
    }

    /**
     * Closes a consumer. Deliveries it received stay with the connection until they are
     * acknowledged or released, as a session may still commit or acknowledge them.
     */
    public void closeConsumer(long consumerId) {
        ServerConsumer consumer = consumers.remove(consumerId);
        if (consumer == null) {
            return;
        }
        consumer.queue.removeConsumer(consumer);
        Subscription subscription = consumer.subscription;
        if (subscription != null) {
            if (subscription.key == null) {
                broker.detach(subscription);
            } else {
                broker.subscriptions().detach(subscription);
            }
        }
    }

    public void addCredit(long consumerId, int credit) {
        ServerConsumer consumer = consumers.get(consumerId);
        if (consumer != null) {
            consumer.queue.addCredit(consumer, credit);
        }
    }

    /** Sets the consumer's credit to zero: nothing more is pushed until it grants more. */
    public void revokeCredit(long consumerId) {
        ServerConsumer consumer = consumers.get(consumerId);
        if (consumer != null) {
            consumer.queue.revokeCredit(consumer);
        }
    }

    /**
     * An automatic acknowledgement (AUTO_ACKNOWLEDGE, DUPS_OK) of one message: settled at once,
     * written to the store with its next group, without waiting.
     */
    public void acknowledge(long deliveryId) {
        InFlight delivery = deliveries.remove(deliveryId);
        if (delivery != null) {
            if (delivery.entry().isStored()) {
                broker.store().commitLater(
                        new StoreBatch().removeReference(delivery.queue().storeName(), delivery.entry().storeId));
            }
            delivery.queue().acknowledged(delivery.entry());
        }
    }

    /**
     * Automatic acknowledgements of several messages (a listener pass's), each as
     * {@link #acknowledge(long)} does it, settled together: one store batch for the stored ones,
     * and one call under each queue's lock per run of deliveries from that queue. Reads only the
     * first {@code count} ids.
     */
    public void acknowledgeConsumed(long[] deliveryIds, int count) {
        InFlight[] settled = new InFlight[count];
        int n = 0;
        StoreBatch stored = null;
        for (int i = 0; i < count; i++) {
            InFlight delivery = deliveries.remove(deliveryIds[i]);
            if (delivery != null) {
                settled[n++] = delivery;
                if (delivery.entry().isStored()) {
                    if (stored == null) {
                        stored = new StoreBatch();
                    }
                    stored.removeReference(delivery.queue().storeName(), delivery.entry().storeId);
                }
            }
        }
        if (stored != null) {
            broker.store().commitLater(stored);
        }
        acknowledgedByQueue(settled, n);
    }

    /** Tells the queues about the first {@code n} settled deliveries: one call per run of one queue's. */
    private static void acknowledgedByQueue(InFlight[] settled, int n) {
        int from = 0;
        for (int i = 1; i <= n; i++) {
            if (i == n || settled[i].queue() != settled[from].queue()) {
                settled[from].queue().acknowledged(settled, from, i);
                from = i;
            }
        }
    }

    /** True when settling any of the first {@code count} deliveries touches the store (see {@link #isStored}). */
    public boolean anyStored(long[] deliveryIds, int count) {
        for (int i = 0; i < count; i++) {
            if (isStored(deliveryIds[i])) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether settling this delivery touches the store (its message is stored); false for an
     * unknown one. Lets the TCP server settle the others on a thread that must never block.
     */
    public boolean isStored(long deliveryId) {
        InFlight delivery = deliveries.get(deliveryId);
        return delivery != null && delivery.entry().isStored();
    }

    /** An application's {@code acknowledge()}: returns once the settlement is durable. */
    public void acknowledge(long[] deliveryIds) {
        StoreBatch batch = new StoreBatch();
        InFlight[] settled = new InFlight[deliveryIds.length];
        int n = 0;
        for (long deliveryId : deliveryIds) {
            InFlight delivery = deliveries.remove(deliveryId);
            if (delivery != null) {
                settled[n++] = delivery;
                if (delivery.entry().isStored()) {
                    batch.removeReference(delivery.queue().storeName(), delivery.entry().storeId);
                }
            }
        }
        // An explicit acknowledge() returns once durable: acknowledged messages must not come back
        // after a crash. The automatic ones above only cost a possible redelivery.
        broker.store().commitOrLog(batch);
        acknowledgedByQueue(settled, n);
    }

    /**
     * Returns deliveries to their queues in their original order.
     *
     * @param delivered true when the application may have seen them (recover, rollback): they
     *                  count as an attempt and are marked redelivered; false for messages that
     *                  were only prefetched
     */
    public void release(long[] deliveryIds, boolean delivered) {
        Map<MessageQueue, List<QueueEntry>> byQueue = new IdentityHashMap<>();
        for (long deliveryId : deliveryIds) {
            InFlight delivery = deliveries.remove(deliveryId);
            if (delivery != null) {
                byQueue.computeIfAbsent(delivery.queue(), q -> new ArrayList<>()).add(delivery.entry());
            }
        }
        byQueue.forEach((queue, entries) -> returnToQueue(queue, entries, delivered));
    }

    /** A snapshot of the waiting messages of a queue that match a selector. */
    public List<MessageRecord> browse(Address queue, String selectorText) throws BrokerException {
        checkOpen();
        if (queue == null || !queue.isQueue()) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "only queues can be browsed: " + queue);
        }
        Selector selector = compile(selectorText);
        if (queue.isTemporary()) {
            broker.checkTemporaryExists(queue);
        }
        return broker.queue(queue).browse(selector);
    }

    /** Creates a temporary queue or topic owned by this connection; the broker picks its name. */
    public Address createTemporary(Address.Kind kind) throws BrokerException {
        checkOpen();
        if (!kind.isTemporary()) {
            throw new IllegalArgumentException("not a temporary kind: " + kind);
        }
        String prefix = kind == Address.Kind.TEMPORARY_QUEUE ? "temp-queue-" : "temp-topic-";
        Address address = Address.of(kind, prefix + broker.name() + "-" + id + "-" + nextTemporary.incrementAndGet());
        broker.createTemporary(address, this);
        temporaries.add(address);
        return address;
    }

    public void deleteTemporary(Address address) throws BrokerException {
        checkOpen();
        if (!temporaries.contains(address)) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, address + " does not belong to this connection");
        }
        broker.deleteTemporary(address);
        temporaries.remove(address);
    }

    /**
     * Has {@code onDeleted} told, on whatever thread deletes it, when the temporary destination
     * goes: a remote client then sends to it without waiting for the broker's answer, and stops
     * once told. The listener must only enqueue (like a {@link DeliverySink}).
     *
     * @throws BrokerException INVALID_DESTINATION when it is gone already
     */
    public void watchTemporary(Address address, Consumer<Address> onDeleted) throws BrokerException {
        checkOpen();
        if (address == null || !address.isTemporary()) {
            throw new IllegalArgumentException("not a temporary destination: " + address);
        }
        if (watched.add(address)) {
            try {
                broker.watchTemporary(address, this, a -> {
                    watched.remove(a);
                    onDeleted.accept(a);
                });
            } catch (BrokerException e) {
                watched.remove(address);
                throw e;
            }
        }
    }

    /** Deletes a durable subscription of this connection's client ID (or of none). */
    public void unsubscribe(String name) throws BrokerException {
        checkOpen();
        broker.subscriptions().unsubscribe(clientId, name);
    }

    /**
     * Closes the connection: consumers stop, unsettled deliveries return to their queues as
     * possibly delivered, temporary destinations and the client ID are released.
     */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopWaiting();
        for (Long consumerId : List.copyOf(consumers.keySet())) {
            closeConsumer(consumerId);
        }
        release(deliveries.ids(), true);
        for (Address address : temporaries) {
            broker.dropTemporary(address);
        }
        temporaries.clear();
        for (Address address : watched) {
            broker.unwatchTemporary(address, this);
        }
        watched.clear();
        broker.disconnected(this);
    }

    /** Registers a delivery; called by a queue during dispatch. */
    long track(QueueEntry entry, MessageQueue queue) {
        long deliveryId = nextDeliveryId.incrementAndGet();
        deliveries.put(new InFlight(deliveryId, entry, queue));
        return deliveryId;
    }

    private void returnToQueue(MessageQueue queue, List<QueueEntry> entries, boolean delivered) {
        entries.sort(Comparator.comparingLong(e -> e.sequence));
        List<QueueEntry> dead = queue.release(entries, delivered, broker.config().maxDeliveryAttempts());
        if (delivered && broker.store().isEnabled()) {
            StoreBatch counts = new StoreBatch();
            for (QueueEntry entry : entries) {
                if (entry.isStored() && !dead.contains(entry)) {
                    counts.updateDeliveryCount(queue.storeName(), entry.storeId, entry.deliveryCount);
                }
            }
            broker.store().commitLater(counts);
        }
        for (QueueEntry entry : dead) {
            broker.deadLetter(entry, queue);
        }
    }

    private static Selector compile(String selectorText) throws BrokerException {
        try {
            return Selector.compile(selectorText);
        } catch (SelectorSyntaxException e) {
            throw new BrokerException(ErrorCode.INVALID_SELECTOR, e.getMessage());
        }
    }

    private void checkOpen() throws BrokerException {
        if (closed) {
            throw new BrokerException(ErrorCode.CLOSED, "connection is closed");
        }
    }

    /** A send waiting for room on {@code queue}; runs its signal at most once. Identity equality. */
    private final class Held implements Runnable {
        final MessageQueue queue;
        final Runnable onRoom;

        Held(MessageQueue queue, Runnable onRoom) {
            this.queue = queue;
            this.onRoom = onRoom;
        }

        @Override
        public void run() {
            if (held.remove(this)) {
                onRoom.run();
            }
        }
    }
}
