package dev.courier.broker;

import dev.courier.message.Address;
import dev.courier.selector.Selector;
import dev.courier.selector.SelectorSyntaxException;
import dev.courier.store.RecoveryVisitor;
import dev.courier.store.StoreException;
import dev.courier.store.StoredMessage;
import dev.courier.store.SubscriptionDefinition;
import java.util.HashMap;
import java.util.Map;

/**
 * Rebuilds a broker from its store on start: durable subscriptions (with their selectors), then
 * every stored message on the queue or subscription that holds it, with its delivery count;
 * messages whose delivery time is still to come are scheduled again. Past a queue's memory bound
 * the rest of its messages are not even decoded: they form its paged tail. What cannot be read is
 * reported and skipped, so one bad row never stops a broker from starting.
 *
 * <p>Runs once, on the starting thread, before any client can connect.
 */
final class BrokerRecovery implements RecoveryVisitor {

    private static final System.Logger LOG = System.getLogger(BrokerRecovery.class.getName());
    private static final String QUEUE_PREFIX = BrokerStore.queueStoreName("");

    private final Broker broker;
    private final Map<String, MessageQueue> subscriptionQueues = new HashMap<>();
    private int messages;
    private int skipped;

    BrokerRecovery(Broker broker) {
        this.broker = broker;
    }

    void run() throws BrokerException {
        try {
            broker.store().store().recover(this);
        } catch (StoreException e) {
            throw new BrokerException(ErrorCode.GENERAL, "cannot recover broker '" + broker.name() + "': " + e.getMessage());
        }
        LOG.log(System.Logger.Level.INFO, "broker {0} recovered {1} messages and {2} durable subscriptions{3}",
                broker.name(), messages, subscriptionQueues.size(), skipped == 0 ? "" : " (" + skipped + " unreadable rows skipped)");
    }

    @Override
    public void subscription(SubscriptionDefinition definition) {
        Selector selector;
        try {
            selector = Selector.compile(definition.selector());
        } catch (SelectorSyntaxException e) {
            corrupt("durable subscription " + definition.name(), e);
            return;
        }
        Subscription subscription = broker.subscriptions().restore(definition, selector);
        subscriptionQueues.put(definition.queueName(), subscription.queue);
    }

    /** Messages beyond a queue's memory bound stay in the store, undecoded: the queue pages them. */
    @Override
    public boolean wantsMessage(String queueName, long messageId) {
        MessageQueue queue = queueOf(queueName);
        return queue == null || !queue.wouldPage(messageId);
    }

    @Override
    public void pagedReference(String queueName, long messageId) {
        queueOf(queueName).recoveredPaged(messageId);
        messages++;
    }

    private MessageQueue queueOf(String queueName) {
        return queueName.startsWith(QUEUE_PREFIX)
                ? broker.queue(Address.queue(queueName.substring(QUEUE_PREFIX.length())))
                : subscriptionQueues.get(queueName);
    }

    @Override
    public void reference(String queueName, StoredMessage message, int deliveryCount) {
        MessageQueue queue = queueOf(queueName);
        if (queue == null) {
            corrupt("message " + message.id() + " of unknown queue " + queueName, null);
            return;
        }
        QueueEntry entry = new QueueEntry(message.record(), 0, message.id());
        entry.deliveryCount = deliveryCount;
        broker.enqueueWhenDue(queue, entry);
        messages++;
    }

    @Override
    public void lastMessageId(long id) {
        broker.store().recoveredMessageId(id);
    }

    @Override
    public void corrupt(String what, Exception cause) {
        skipped++;
        LOG.log(System.Logger.Level.WARNING, "skipping unreadable " + what, cause);
    }
}
