package dev.courier.broker;

import dev.courier.message.MessageRecord;
import dev.courier.selector.Selector;
import dev.courier.store.MessageStore;
import dev.courier.store.QueuePage;
import dev.courier.store.StoreException;
import dev.courier.store.StoredReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The messages of one queue or one topic subscription, and the consumers that compete for them.
 *
 * <p>Order: highest priority first, arrival order within a priority. A released message goes back
 * to its original place, so a rollback redelivers in the original order.
 *
 * <p>Dispatch runs on whichever thread changed something (a sender, a consumer granting credit, a
 * release), under this queue's monitor. It pushes to {@link DeliverySink}s, which only enqueue, so
 * the monitor is never held across I/O or application code. Which consumer gets a message is
 * {@link CompetingConsumers}' choice. A message no consumer accepts stays in place (still
 * browsable) and dispatch moves on to the messages behind it.
 *
 * <h2>Memory bound, paging and flow control</h2>
 * The queue counts the bytes of the messages it holds in memory, waiting or delivered and not yet
 * acknowledged, in its {@link MemoryBound}. At {@link QueueHost#maxQueueMemory} it is full: a
 * stored (persistent) message that arrives then is left in the store only, as part of the
 * queue's <em>paged tail</em>, of which the queue keeps just a count; a message that cannot be
 * paged (non-persistent, or a queue the store does not know) is held back by the broker before it
 * gets here ({@link #isFull}, {@link #awaitRoom}). Once the tail exists every stored arrival joins
 * it, so the tail stays in arrival order behind what is in memory. When consumers bring memory
 * below half the bound (or take everything that waits), {@link #pageIn} reads the tail's next
 * messages from the store on the broker's pager thread, outside this monitor, and appends them.
 * Paged messages are ordered by store id, not priority: a paged high-priority message waits for
 * its page.
 *
 * <p>The race between a page-in's read and concurrent sends is settled with {@code cursor} and
 * {@code inTransit}: every stored message of this queue with an id up to {@code cursor} is known
 * to the queue (in memory, delivered, gone, or announced in {@code inTransit}), and every stored
 * message above it that was enqueued is in the paged tail. A sender announces a stored message
 * ({@link #expectStored}) before its store commit and enqueues it after; a page-in skips what is
 * still announced, and such a message arriving at or below the cursor goes to memory. So a
 * message is never read twice, never skipped, and never put ahead of older paged ones from the
 * same producer (whose ids are smaller).
 *
 * <p>Threading: every mutable field, and the state of {@link #consumers} and {@link #memory}, is
 * guarded by {@code this}; only {@link MemoryBound#isFull} is read without it.
 */
final class MessageQueue {

    private static final System.Logger LOG = System.getLogger(MessageQueue.class.getName());
    private static final int LEVELS = 10;
    /** Most messages one page-in reads; the byte budget usually ends it first. */
    private static final int PAGE_MESSAGES = 2000;

    private final String name;
    /** The name the store knows this queue by, or null when it keeps nothing durable. */
    private final String storeName;
    private final QueueHost host;
    private final MemoryBound memory;
    @SuppressWarnings("unchecked")
    private final ArrayDeque<QueueEntry>[] levels = new ArrayDeque[LEVELS];
    private final CompetingConsumers consumers = new CompetingConsumers();
    private int size;
    private long nextSequence;
    private int inFlight;
    private long enqueuedCount;
    private long dequeuedCount;
    private long expiredCount;
    /** See the class comment. */
    private long cursor;
    private final Set<Long> inTransit = new HashSet<>();
    /** Messages in the paged tail (only in the store). */
    private long pagedCount;
    /** Messages ever put in the paged tail; tells a page-in what arrived while it read. */
    private long pagedArrivals;
    private boolean pageInScheduled;
    /** Changes when the queue is purged, so a page-in that read before it discards what it read. */
    private int generation;

    MessageQueue(String name, String storeName, QueueHost host) {
        this.name = name;
        this.storeName = storeName;
        this.host = host;
        this.memory = new MemoryBound(host.maxQueueMemory());
    }

    String name() {
        return name;
    }

    /** The store's name for this queue; null for queues that keep nothing durable (temporary ones). */
    String storeName() {
        return storeName;
    }

    /**
     * Adds a message. A stored one goes to the paged tail instead of memory when the queue is
     * full or already has a tail (see the class comment); anything else is kept in memory, even
     * past the bound (senders of such messages wait for {@link #awaitRoom} first).
     */
    synchronized void enqueue(QueueEntry entry) {
        enqueuedCount++;
        long id = entry.storeId;
        if (id != 0) {
            if (!inTransit.isEmpty()) {
                inTransit.remove(id);
            }
            if (id > cursor) {
                if (pagedCount > 0 || memory.atBound()) {
                    pagedCount++;
                    pagedArrivals++;
                    return;
                }
                cursor = id;
            }
        }
        add(entry);
        dispatchArrival(entry);
        maybePageIn();
    }

    /** Whether {@link #enqueue} would page a stored message with this id now (used by recovery). */
    synchronized boolean wouldPage(long storeId) {
        return storeId > cursor && (pagedCount > 0 || memory.atBound());
    }

    /** Recovery found a message that {@link #wouldPage}: it joins the paged tail without being loaded. */
    synchronized void recoveredPaged(long storeId) {
        enqueuedCount++;
        pagedCount++;
        pagedArrivals++;
    }

    /** A stored message for this queue is about to be committed; {@link #enqueue} follows (or {@link #abandonStored}). */
    synchronized void expectStored(long storeId) {
        inTransit.add(storeId);
    }

    /** The commit announced by {@link #expectStored} failed: the message will not arrive. */
    synchronized void abandonStored(long storeId) {
        inTransit.remove(storeId);
    }

    /**
     * Counts this queue in {@code counter} while it is full (a topic counts its full
     * subscriptions, so a publish checks one number); null stops counting it.
     */
    synchronized void countFullIn(AtomicInteger counter) {
        memory.countFullIn(counter);
    }

    /** True while the queue holds its bound or more in memory: unpageable senders should wait. */
    boolean isFull() {
        return memory.isFull();
    }

    /**
     * Registers {@code onRoom} to run once when memory drops below the bound. Returns false, and
     * registers nothing, when there is room already. {@code onRoom} runs under this queue's
     * monitor, so it must only signal (count down a latch, submit a task).
     */
    synchronized boolean awaitRoom(Runnable onRoom) {
        return memory.awaitRoom(onRoom);
    }

    /** Forgets a waiter registered by {@link #awaitRoom} that gave up (its connection closed). */
    synchronized void cancelWait(Runnable onRoom) {
        memory.cancelWait(onRoom);
    }

    synchronized void addConsumer(ServerConsumer consumer) {
        consumers.add(consumer);
        dispatch();
    }

    synchronized void removeConsumer(ServerConsumer consumer) {
        consumers.remove(consumer);
    }

    synchronized int consumerCount() {
        return consumers.count();
    }

    synchronized void addCredit(ServerConsumer consumer, int credit) {
        if (consumers.addCredit(consumer, credit)) {
            dispatch();
        }
    }

    synchronized void revokeCredit(ServerConsumer consumer) {
        consumers.revokeCredit(consumer);
    }

    /** A delivered message was acknowledged: it leaves the queue for good. */
    synchronized void acknowledged(QueueEntry entry) {
        inFlight--;
        dequeuedCount++;
        forget(entry);
        maybePageIn();
    }

    /** Acknowledged deliveries {@code from} (inclusive) to {@code to} (exclusive), all of this queue. */
    synchronized void acknowledged(InFlightTable.InFlight[] deliveries, int from, int to) {
        for (int i = from; i < to; i++) {
            inFlight--;
            dequeuedCount++;
            forget(deliveries[i].entry());
        }
        maybePageIn();
    }

    /**
     * Delivered messages come back (recover, rollback, close, lost connection).
     *
     * @param delivered whether the application may have seen them; if so they count as a
     *                  delivery attempt and, past the limit, go to the dead-letter queue
     * @return the entries that exceeded the delivery limit; the caller routes them to the
     *         dead-letter queue outside this queue's lock
     */
    synchronized List<QueueEntry> release(List<QueueEntry> entries, boolean delivered, int maxDeliveryAttempts) {
        List<QueueEntry> dead = null;
        // Reinsert newest first so that, in the usual case, each one goes to the head of its level.
        for (int i = entries.size() - 1; i >= 0; i--) {
            QueueEntry entry = entries.get(i);
            inFlight--;
            if (delivered) {
                entry.deliveryCount++;
                if (entry.deliveryCount >= maxDeliveryAttempts && !host.isDeadLetterQueue(name)) {
                    dequeuedCount++;
                    forget(entry);
                    if (dead == null) {
                        dead = new ArrayList<>();
                    }
                    dead.add(entry);
                    continue;
                }
            }
            insertInOrder(entry);
        }
        dispatch();
        return dead == null ? List.of() : dead;
    }

    /**
     * The messages waiting for dispatch that match {@code selector}: those in memory in dispatch
     * order, then those of the paged tail in store order, read from the store outside the monitor.
     * Of the tail, at most the queue's memory bound in bytes is read, so a browse of a huge
     * backlog cannot exhaust the heap.
     */
    List<MessageRecord> browse(Selector selector) throws BrokerException {
        List<MessageRecord> result;
        long after;
        synchronized (this) {
            result = browseMemory(selector);
            if (pagedCount == 0) {
                return result;
            }
            after = cursor;
        }
        MessageStore store = host.pagingStore();
        long budget = memory.max();
        long now = System.currentTimeMillis();
        try {
            while (budget > 0) {
                QueuePage page = store.readQueue(storeName, after, PAGE_MESSAGES, budget);
                if (page.isEmpty()) {
                    break;
                }
                for (StoredReference ref : page.messages()) {
                    MessageRecord record = ref.message().record();
                    budget -= record.estimatedSize();
                    if (!record.isExpired(now) && (selector.isMatchAll() || selector.matches(record))) {
                        result.add(record);
                    }
                }
                after = page.lastMessageId();
            }
        } catch (StoreException e) {
            throw new BrokerException(ErrorCode.GENERAL, "cannot browse the paged messages of " + name + ": " + e.getMessage());
        }
        return result;
    }

    private List<MessageRecord> browseMemory(Selector selector) {
        List<MessageRecord> result = new ArrayList<>(Math.min(size, 1024));
        long now = System.currentTimeMillis();
        for (int p = LEVELS - 1; p >= 0; p--) {
            ArrayDeque<QueueEntry> level = levels[p];
            if (level == null) {
                continue;
            }
            for (QueueEntry e : level) {
                if (!e.record.isExpired(now) && (selector.isMatchAll() || selector.matches(e.record))) {
                    result.add(e.record);
                }
            }
        }
        return result;
    }

    /**
     * Reads the paged tail's next messages from the store and appends them. Runs on the broker's
     * pager thread; the store is read outside the monitor (see the class comment for the race).
     */
    void pageIn() {
        long after;
        long budget;
        long arrivalsBefore;
        int generationBefore;
        synchronized (this) {
            after = cursor;
            budget = Math.max(1, memory.room());
            arrivalsBefore = pagedArrivals;
            generationBefore = generation;
        }
        QueuePage page;
        try {
            page = host.pagingStore().readQueue(storeName, after, PAGE_MESSAGES, budget);
        } catch (StoreException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot page in messages of " + name + ": " + e.getMessage());
            synchronized (this) {
                pageInScheduled = false;
            }
            return;
        }
        List<QueueEntry> delayed = null;
        synchronized (this) {
            pageInScheduled = false;
            if (generation != generationBefore) {
                maybePageIn();
                return;
            }
            long now = System.currentTimeMillis();
            long accounted = page.unreadable();
            for (StoredReference ref : page.messages()) {
                long id = ref.message().id();
                if (inTransit.contains(id)) {
                    // Its sender has not enqueued it yet; it will land at or below the cursor, in memory.
                    continue;
                }
                accounted++;
                QueueEntry entry = new QueueEntry(ref.message().record(), 0, id);
                entry.deliveryCount = ref.deliveryCount();
                if (entry.record.deliveryTime() > now) {
                    inTransit.add(id);
                    if (delayed == null) {
                        delayed = new ArrayList<>();
                    }
                    delayed.add(entry);
                } else {
                    add(entry);
                }
            }
            cursor = Math.max(cursor, page.lastMessageId());
            // Nothing left in the store after the cursor: the tail is what arrived during the read.
            pagedCount = page.isEmpty() ? pagedArrivals - arrivalsBefore : Math.max(0, pagedCount - accounted);
            if (delayed != null) {
                // Counted when they first arrived; their second arrival, when due, must not count again.
                enqueuedCount -= delayed.size();
            }
            if (page.unreadable() > 0) {
                LOG.log(System.Logger.Level.WARNING, "skipped {0} unreadable paged messages of {1}", page.unreadable(), name);
            }
            dispatch();
        }
        if (delayed != null) {
            for (QueueEntry entry : delayed) {
                host.enqueueWhenDue(this, entry);
            }
        }
    }

    /** Drops every waiting message (used when a subscription is replaced or removed). */
    synchronized void purge() {
        long bytes = 0;
        for (int p = 0; p < LEVELS; p++) {
            if (levels[p] != null) {
                for (QueueEntry entry : levels[p]) {
                    bytes += entry.record.estimatedSize();
                }
                levels[p].clear();
            }
        }
        size = 0;
        pagedCount = 0;
        generation++;
        memory.removed(bytes);
    }

    synchronized QueueStats stats() {
        return new QueueStats(name, size, inFlight, consumers.count(), enqueuedCount, dequeuedCount, expiredCount,
                memory.bytes(), pagedCount);
    }

    /** Puts a message in memory behind the others of its priority. */
    private void add(QueueEntry entry) {
        entry.sequence = nextSequence++;
        level(entry.record.priority()).addLast(entry);
        size++;
        memory.added(entry.record.estimatedSize());
    }

    /** A message left memory for good (acknowledged, expired, dead-lettered). */
    private void forget(QueueEntry entry) {
        memory.removed(entry.record.estimatedSize());
    }

    /** Asks for a page-in when there is a tail and memory has room for a good part of a page. */
    private void maybePageIn() {
        if (pagedCount > 0 && !pageInScheduled
                && (memory.bytes() <= memory.max() / 2 || (size == 0 && consumers.anyWithCredit()))) {
            pageInScheduled = true;
            host.pageInLater(this);
        }
    }

    private ArrayDeque<QueueEntry> level(int priority) {
        int p = priority < 0 ? 0 : Math.min(priority, LEVELS - 1);
        ArrayDeque<QueueEntry> level = levels[p];
        if (level == null) {
            level = new ArrayDeque<>();
            levels[p] = level;
        }
        return level;
    }

    private void insertInOrder(QueueEntry entry) {
        ArrayDeque<QueueEntry> level = level(entry.record.priority());
        size++;
        QueueEntry first = level.peekFirst();
        if (first == null || entry.sequence < first.sequence) {
            level.addFirst(entry);
            return;
        }
        QueueEntry last = level.peekLast();
        if (entry.sequence > last.sequence) {
            level.addLast(entry);
            return;
        }
        // Rare: released behind messages that are still waiting. Unwind to the slot and rebuild.
        ArrayDeque<QueueEntry> before = new ArrayDeque<>();
        while (!level.isEmpty() && level.peekFirst().sequence < entry.sequence) {
            before.addLast(level.pollFirst());
        }
        level.addFirst(entry);
        while (!before.isEmpty()) {
            level.addFirst(before.pollLast());
        }
    }

    private void dispatch() {
        dispatchWaiting();
        maybePageIn();
    }

    /**
     * Offers a newly added message to the consumers. Every change that could make a waiting
     * message deliverable (a consumer, credit, a release, a page-in) runs a full dispatch, so
     * what already waits cannot go anywhere: only the newcomer is tried, and an arrival costs the
     * same however many messages wait for consumers without credit.
     */
    private void dispatchArrival(QueueEntry entry) {
        if (!consumers.anyWithCredit()) {
            return;
        }
        if (entry.record.expiration() != 0) {
            dispatchWaiting(); // rare: the full pass also drops what has expired meanwhile
            return;
        }
        ServerConsumer consumer = consumers.pick(entry);
        if (consumer == null) {
            return;
        }
        level(entry.record.priority()).pollLast(); // add() just put it there
        size--;
        deliver(consumer, entry);
    }

    private void dispatchWaiting() {
        if (size == 0 || !consumers.anyWithCredit()) {
            return;
        }
        long now = 0;
        for (int p = LEVELS - 1; p >= 0 && size > 0; p--) {
            ArrayDeque<QueueEntry> level = levels[p];
            if (level == null || level.isEmpty()) {
                continue;
            }
            Iterator<QueueEntry> it = level.iterator();
            while (it.hasNext()) {
                if (!consumers.anyWithCredit()) {
                    return;
                }
                QueueEntry entry = it.next();
                if (entry.record.expiration() != 0) {
                    if (now == 0) {
                        now = System.currentTimeMillis();
                    }
                    if (entry.record.isExpired(now)) {
                        it.remove();
                        size--;
                        expiredCount++;
                        dequeuedCount++;
                        forget(entry);
                        continue;
                    }
                }
                ServerConsumer consumer = consumers.pick(entry);
                if (consumer == null) {
                    continue;
                }
                it.remove();
                size--;
                deliver(consumer, entry);
            }
        }
    }

    private void deliver(ServerConsumer consumer, QueueEntry entry) {
        consumers.spend(consumer);
        inFlight++;
        long deliveryId = consumer.connection.track(entry, this);
        consumer.sink.deliver(deliveryId, entry.record, entry.deliveryCount + 1, entry.sequence);
    }
}
