package dev.courier.broker;

import dev.courier.message.Address;
import dev.courier.message.MessageRecord;
import dev.courier.store.MessageStore;
import dev.courier.store.StoreBatch;
import dev.courier.store.StoredMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One broker: its destinations (created on first use), named subscriptions, connected clients
 * and their client IDs. It owns no thread of its own except a scheduler, started the first
 * time a message with a delivery delay arrives, so an idle broker costs nothing.
 *
 * <p>Threading: destination and client-ID tables are concurrent maps; each destination guards
 * its own state. Sends from different threads to different destinations never contend.
 */
public final class Broker implements QueueHost {

    /** Property a dead letter carries: the destination it was first sent to. */
    public static final String ORIGINAL_DESTINATION_PROPERTY = "CourierOriginalDestination";

    private final String name;
    private final BrokerConfig config;
    private final Map<Address, MessageQueue> queues = new ConcurrentHashMap<>();
    private final Map<Address, TopicDestination> topics = new ConcurrentHashMap<>();
    private final Map<Address, BrokerConnection> temporaryOwners = new ConcurrentHashMap<>();
    /** Per temporary destination, the connections to tell when it goes (see {@link #watchTemporary}). */
    private final Map<Address, Map<BrokerConnection, Consumer<Address>>> temporaryWatchers = new ConcurrentHashMap<>();
    private final Map<String, BrokerConnection> clientIds = new ConcurrentHashMap<>();
    private final Map<Long, BrokerConnection> connections = new ConcurrentHashMap<>();
    private final SubscriptionRegistry subscriptions = new SubscriptionRegistry(this);
    private final BrokerStore store;
    private final AtomicLong nextConnectionId = new AtomicLong();
    private final Object schedulerLock = new Object();
    private ScheduledThreadPoolExecutor scheduler;
    /** One thread that reads paged messages back from the store, started by the first page-in. */
    private ThreadPoolExecutor pager;
    private volatile boolean stopped;

    /** A broker that keeps everything in memory. */
    public Broker(String name, BrokerConfig config) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.store = new BrokerStore(null);
    }

    private Broker(String name, BrokerConfig config, MessageStore store) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.store = new BrokerStore(Objects.requireNonNull(store, "store"));
    }

    /**
     * Starts a broker on a store: everything the store holds (durable subscriptions, queued
     * messages with their delivery counts, delayed messages) is restored first.
     *
     * @throws BrokerException when the store cannot be read
     */
    public static Broker open(String name, BrokerConfig config, MessageStore store) throws BrokerException {
        Broker broker = new Broker(name, config, store);
        try {
            new BrokerRecovery(broker).run();
        } catch (BrokerException | RuntimeException e) {
            store.close();
            throw e;
        }
        return broker;
    }

    public String name() {
        return name;
    }

    public BrokerConfig config() {
        return config;
    }

    public boolean isStopped() {
        return stopped;
    }

    /** Opens a connection for a client. */
    public BrokerConnection connect(String user, String password) throws BrokerException {
        if (stopped) {
            throw new BrokerException(ErrorCode.CLOSED, "broker '" + name + "' is stopped");
        }
        authenticate(user, password);
        BrokerConnection connection = new BrokerConnection(nextConnectionId.incrementAndGet(), this, user);
        connections.put(connection.id(), connection);
        return connection;
    }

    /**
     * No user name: allowed when anonymous access is on. A user name: checked against the user
     * store, when there is one (without one, credentials are not checked).
     */
    private void authenticate(String user, String password) throws BrokerException {
        if (user == null || user.isEmpty()) {
            if (!config.anonymous()) {
                throw new BrokerException(ErrorCode.SECURITY, "broker '" + name + "' requires a user name and password");
            }
            return;
        }
        UserStore users = config.users();
        if (users != null && !users.verify(user, password)) {
            throw new BrokerException(ErrorCode.SECURITY, "invalid user name or password for user '" + user + "'");
        }
    }

    /** Closes every connection and the scheduler. Messages held in memory are dropped. */
    public void stop() {
        stopped = true;
        for (BrokerConnection connection : List.copyOf(connections.values())) {
            connection.close();
        }
        synchronized (schedulerLock) {
            if (scheduler != null) {
                scheduler.shutdownNow();
                scheduler = null;
            }
            if (pager != null) {
                pager.shutdownNow();
                pager = null;
            }
        }
        store.close();
    }

    /** Statistics of every queue (temporary ones included) and durable subscription. */
    public List<QueueStats> queueStats() {
        List<QueueStats> result = new ArrayList<>();
        for (MessageQueue queue : queues.values()) {
            result.add(queue.stats());
        }
        for (Subscription subscription : subscriptions.durableSubscriptions()) {
            result.add(subscription.queue.stats());
        }
        return result;
    }

    /** Statistics of one queue, or null if it does not exist. */
    public QueueStats queueStats(String queueName) {
        MessageQueue queue = queues.get(Address.queue(queueName));
        return queue == null ? null : queue.stats();
    }

    /** Sends waiting for room on a full queue (flow control), over all connections. */
    public int waitingSends() {
        int n = 0;
        for (BrokerConnection connection : connections.values()) {
            n += connection.waitingSends();
        }
        return n;
    }

    public int connectionCount() {
        return connections.size();
    }

    /** True while any thread of this broker (the delivery-delay scheduler, the pager) is alive. */
    public boolean hasThreads() {
        synchronized (schedulerLock) {
            return scheduler != null || pager != null;
        }
    }

    @Override
    public boolean isDeadLetterQueue(String queueName) {
        return config.deadLetterQueue().equals(queueName);
    }

    @Override
    public long maxQueueMemory() {
        return config.maxQueueMemory();
    }

    @Override
    public MessageStore pagingStore() {
        return store.store();
    }

    @Override
    public void pageInLater(MessageQueue queue) {
        synchronized (schedulerLock) {
            if (stopped) {
                return;
            }
            if (pager == null) {
                // One thread: page-ins are store reads, and the store serializes them anyway.
                pager = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "courier-pager-" + name);
                    t.setDaemon(true);
                    return t;
                });
            }
            pager.execute(queue::pageIn);
        }
    }

    SubscriptionRegistry subscriptions() {
        return subscriptions;
    }

    BrokerStore store() {
        return store;
    }

    MessageQueue queue(Address address) {
        if (address.isTemporary()) {
            MessageQueue queue = queues.get(address);
            if (queue == null) {
                throw new IllegalStateException("temporary queue " + address + " does not exist");
            }
            return queue;
        }
        return queues.computeIfAbsent(address,
                a -> new MessageQueue(a.name(), BrokerStore.queueStoreName(a.name()), this));
    }

    TopicDestination topic(Address address) {
        TopicDestination topic = topics.get(address);
        if (topic != null) {
            return topic;
        }
        if (address.isTemporary()) {
            throw new IllegalStateException("temporary topic " + address + " does not exist");
        }
        return topics.computeIfAbsent(address, a -> new TopicDestination(a.name()));
    }

    /** Takes a subscription off its topic, if the topic (a temporary one may be gone) still exists. */
    void detach(Subscription subscription) {
        TopicDestination topic = topics.get(subscription.topic);
        if (topic != null) {
            topic.remove(subscription);
        }
    }

    void checkRoutable(Address destination) throws BrokerException {
        if (destination == null) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "message has no destination");
        }
        if (destination.isTemporary()) {
            checkTemporaryExists(destination);
        }
    }

    /**
     * Delivers a message outside a transaction, unless a queue it would go to is full and could
     * only keep it in memory (it is not stored: non-persistent, or a queue the store does not
     * know): then nothing happens and that queue is returned, for the sender to wait for room
     * ({@link MessageQueue#awaitRoom}) and try again. A persistent message is made durable first;
     * it is enqueued now or when its delivery time comes.
     */
    MessageQueue routeUnlessFull(MessageRecord record, long originConnectionId) throws BrokerException {
        Address destination = record.destination();
        checkRoutable(destination);
        if (!record.persistent() || !store.isEnabled()) {
            // Nothing to make durable: skip the plan and its allocations.
            if (destination.isQueue()) {
                MessageQueue queue = destination.isTemporary() ? queues.get(destination) : queue(destination);
                if (queue != null) {
                    if (queue.isFull()) {
                        return queue;
                    }
                    enqueueWhenDue(queue, new QueueEntry(record, originConnectionId));
                }
            } else {
                TopicDestination topic = destination.isTemporary() ? topics.get(destination) : topic(destination);
                if (topic != null) {
                    MessageQueue full = topic.fullSubscriptionFor(record, originConnectionId);
                    if (full != null) {
                        return full;
                    }
                    topic.publishTransient(record, originConnectionId, this);
                }
            }
            return null;
        }
        RoutingPlan plan = new RoutingPlan();
        StoreBatch batch = new StoreBatch();
        plan(record, originConnectionId, plan, batch);
        MessageQueue full = plan.fullQueueForUnstored();
        if (full != null) {
            return full;
        }
        commitPlanned(plan, batch);
        plan.apply(this);
        return null;
    }

    /**
     * Delivers a message like {@link #routeUnlessFull}, without waiting for the store: returns a
     * full queue to wait for (then nothing happened and {@code whenRouted} will not run), or null,
     * and then {@code whenRouted} runs once the message is enqueued (null) or refused by the
     * store. When nothing is stored that is at once, on this thread; otherwise, once the store has
     * made the message durable, the enqueueing and {@code whenRouted} run on {@code afterStore}
     * (the store's thread only hands them over, so routing work never delays its next flush).
     * For callers that must not block a thread on the disk (the TCP server).
     *
     * @throws BrokerException when the message cannot be routed at all (then nothing happened)
     */
    MessageQueue routeUnlessFullThen(MessageRecord record, long originConnectionId, Executor afterStore,
            Consumer<BrokerException> whenRouted) throws BrokerException {
        if (!record.persistent() || !store.isEnabled()) {
            MessageQueue full = routeUnlessFull(record, originConnectionId);
            if (full == null) {
                whenRouted.accept(null);
            }
            return full;
        }
        checkRoutable(record.destination());
        RoutingPlan plan = new RoutingPlan();
        StoreBatch batch = new StoreBatch();
        plan(record, originConnectionId, plan, batch);
        MessageQueue full = plan.fullQueueForUnstored();
        if (full != null) {
            return full;
        }
        commitPlannedThen(plan, batch, afterStore, failure -> {
            try {
                if (failure == null) {
                    plan.apply(this);
                }
            } finally {
                // Durable (or refused) either way: the sender must hear of it.
                whenRouted.accept(failure);
            }
        });
        return null;
    }

    /**
     * Commits a planned batch like {@link #commitPlanned} without waiting: {@code whenStored}
     * runs once the store has made it durable (null) or refused it, on {@code afterStore} (the
     * store's thread only hands it over, so the work after it never delays the next flush), or at
     * once on this thread when there is nothing to store. On a refusal the plan's stored entries
     * are already forgotten. Nothing is enqueued here: {@code whenStored} applies the plan.
     */
    void commitPlannedThen(RoutingPlan plan, StoreBatch batch, Executor afterStore,
            Consumer<BrokerException> whenStored) {
        if (batch.isEmpty() || !store.isEnabled()) {
            // Nothing to make durable (a queue the store does not know): done here, at once.
            whenStored.accept(null);
            return;
        }
        plan.announceStored();
        try {
            store.commitThen(batch, failure -> afterStore.execute(() -> {
                try {
                    if (failure != null) {
                        plan.abandonStored();
                    }
                } finally {
                    whenStored.accept(failure);
                }
            }));
        } catch (RuntimeException e) {
            plan.abandonStored();
            throw e;
        }
    }

    /** Commits a planned batch, telling the queues about their stored entries first (see {@link MessageQueue}). */
    void commitPlanned(RoutingPlan plan, StoreBatch batch) throws BrokerException {
        plan.announceStored();
        try {
            store.commit(batch);
        } catch (BrokerException | RuntimeException e) {
            plan.abandonStored();
            throw e;
        }
    }

    /**
     * Decides where a message goes: adds its entries to {@code plan} and, for what must be
     * durable, the store operations to {@code batch}. Nothing is enqueued yet.
     */
    void plan(MessageRecord record, long originConnectionId, RoutingPlan plan, StoreBatch batch) {
        Address destination = record.destination();
        if (destination.isQueue()) {
            MessageQueue queue = destination.isTemporary() ? queues.get(destination) : queue(destination);
            if (queue == null) {
                return;
            }
            long id = 0;
            if (store.stores(record.persistent(), queue)) {
                id = store.nextMessageId();
                batch.addMessage(new StoredMessage(id, record)).addReference(queue.storeName(), id);
            }
            plan.add(queue, new QueueEntry(record, originConnectionId, id));
            return;
        }
        TopicDestination topic = destination.isTemporary() ? topics.get(destination) : topic(destination);
        if (topic == null) {
            return;
        }
        List<Subscription> matching = new ArrayList<>(4);
        topic.matching(record, originConnectionId, matching);
        long id = 0;
        for (Subscription subscription : matching) {
            long reference = 0;
            if (store.stores(record.persistent(), subscription.queue)) {
                if (id == 0) {
                    id = store.nextMessageId();
                    batch.addMessage(new StoredMessage(id, record));
                }
                batch.addReference(subscription.queue.storeName(), id);
                reference = id;
            }
            plan.add(subscription.queue, new QueueEntry(record, originConnectionId, reference));
        }
    }

    /** Puts an entry on its queue now, or when the message's delivery time comes. */
    @Override
    public void enqueueWhenDue(MessageQueue queue, QueueEntry entry) {
        long deliveryTime = entry.record.deliveryTime();
        long delay = deliveryTime == 0 ? 0 : deliveryTime - System.currentTimeMillis();
        if (delay > 0) {
            if (entry.isStored()) {
                // Announced until it arrives, so a page-in meanwhile does not take it early.
                queue.expectStored(entry.storeId);
            }
            try {
                scheduler().schedule(() -> queue.enqueue(entry), delay, TimeUnit.MILLISECONDS);
                return;
            } catch (BrokerException stopped) {
                return;
            }
        }
        queue.enqueue(entry);
    }

    /**
     * Moves a message that failed too often from {@code from} to the dead-letter queue, noting
     * where it came from. A stored message moves atomically in the store.
     */
    void deadLetter(QueueEntry entry, MessageQueue from) {
        MessageRecord original = entry.record;
        MessageRecord dead = original.toBuilder()
                .destination(Address.queue(config.deadLetterQueue()))
                .property(ORIGINAL_DESTINATION_PROPERTY, String.valueOf(original.destination()))
                .expiration(0)
                .deliveryTime(0)
                .build();
        MessageQueue deadLetterQueue = queue(dead.destination());
        StoreBatch batch = new StoreBatch();
        long id = 0;
        if (store.stores(dead.persistent(), deadLetterQueue)) {
            id = store.nextMessageId();
            batch.addMessage(new StoredMessage(id, dead)).addReference(deadLetterQueue.storeName(), id);
        }
        if (entry.isStored()) {
            batch.removeReference(from.storeName(), entry.storeId);
        }
        if (id != 0) {
            deadLetterQueue.expectStored(id);
        }
        if (!store.commitOrLog(batch) && id != 0) {
            // Not stored after all: it must stay in memory, where an unstored entry lives.
            deadLetterQueue.abandonStored(id);
            id = 0;
        }
        deadLetterQueue.enqueue(new QueueEntry(dead, entry.originConnectionId, id));
    }

    void claimClientId(String clientId, BrokerConnection connection) throws BrokerException {
        if (clientId == null || clientId.isEmpty()) {
            throw new BrokerException(ErrorCode.INVALID_CLIENT_ID, "client ID must not be empty");
        }
        BrokerConnection holder = clientIds.putIfAbsent(clientId, connection);
        if (holder != null && holder != connection) {
            throw new BrokerException(ErrorCode.INVALID_CLIENT_ID, "client ID '" + clientId + "' is already in use");
        }
    }

    void createTemporary(Address address, BrokerConnection owner) {
        temporaryOwners.put(address, owner);
        if (address.isQueue()) {
            queues.put(address, new MessageQueue(address.name(), null, this));
        } else {
            topics.put(address, new TopicDestination(address.name()));
        }
    }

    void checkTemporaryExists(Address address) throws BrokerException {
        if (!temporaryOwners.containsKey(address)) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, address + " has been deleted");
        }
    }

    void checkTemporaryConsumer(Address address, BrokerConnection connection) throws BrokerException {
        BrokerConnection owner = temporaryOwners.get(address);
        if (owner == null) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, address + " has been deleted");
        }
        if (owner != connection) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION,
                    "only the connection that created " + address + " can consume from it");
        }
    }

    /** Deletes a temporary destination, refusing while consumers use it. */
    void deleteTemporary(Address address) throws BrokerException {
        boolean inUse = address.isQueue()
                ? queues.get(address) != null && queues.get(address).consumerCount() > 0
                : topics.get(address) != null && topics.get(address).subscriptionCount() > 0;
        if (inUse) {
            throw new BrokerException(ErrorCode.ILLEGAL_STATE, address + " still has consumers");
        }
        dropTemporary(address);
    }

    /**
     * Tells {@code onDeleted} when the temporary destination is deleted, so that the watcher may
     * send to it without waiting for an answer each time.
     *
     * @throws BrokerException INVALID_DESTINATION when it is gone already (nothing is registered)
     */
    void watchTemporary(Address address, BrokerConnection watcher, Consumer<Address> onDeleted) throws BrokerException {
        temporaryWatchers.computeIfAbsent(address, a -> new ConcurrentHashMap<>()).put(watcher, onDeleted);
        // Checked after registering: dropTemporary removes the owner before it takes the
        // watchers, so either it sees this watcher or this sees the owner gone.
        if (!temporaryOwners.containsKey(address)) {
            unwatchTemporary(address, watcher);
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, address + " has been deleted");
        }
    }

    void unwatchTemporary(Address address, BrokerConnection watcher) {
        temporaryWatchers.computeIfPresent(address, (a, watchers) -> {
            watchers.remove(watcher);
            return watchers.isEmpty() ? null : watchers;
        });
    }

    void dropTemporary(Address address) {
        temporaryOwners.remove(address);
        Map<BrokerConnection, Consumer<Address>> watchers = temporaryWatchers.remove(address);
        if (watchers != null) {
            watchers.values().forEach(w -> w.accept(address));
        }
        if (address.isQueue()) {
            MessageQueue queue = queues.remove(address);
            if (queue != null) {
                queue.purge();
            }
        } else {
            topics.remove(address);
        }
    }

    void disconnected(BrokerConnection connection) {
        connections.remove(connection.id());
        String clientId = connection.clientId();
        if (clientId != null) {
            clientIds.remove(clientId, connection);
        }
    }

    private ScheduledThreadPoolExecutor scheduler() throws BrokerException {
        synchronized (schedulerLock) {
            if (stopped) {
                throw new BrokerException(ErrorCode.CLOSED, "broker '" + name + "' is stopped");
            }
            if (scheduler == null) {
                scheduler = new ScheduledThreadPoolExecutor(1, r -> {
                    Thread t = new Thread(r, "courier-scheduler-" + name);
                    t.setDaemon(true);
                    return t;
                });
                scheduler.setRemoveOnCancelPolicy(true);
            }
            return scheduler;
        }
    }
}
