package dev.courier.store;

import dev.courier.message.Address;
import dev.courier.message.BodyType;
import dev.courier.message.MessageRecord;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child JVM of {@link H2StoreCrashTest}: commits batches from four threads until killed and
 * prints each message id on stdout only after its commit returned, so every printed id must
 * survive the SIGKILL. Arguments: store directory, durability, and optionally a journal capacity
 * in bytes, which also holds H2's own writes back (see {@link H2CommitJournalTest}). With
 * {@code -Dcrash.acknowledge=true} each thread then removes the message's "copy" reference and
 * prints {@code -id} once that commit returned: those removals must survive too. With
 * {@code -Dcrash.busyH2=true} every batch also (re)defines a subscription, which the store cannot
 * defer, so each is an H2 transaction of its own. With {@code -Dcrash.trail=N} each thread also
 * removes the "crash" reference of the message it added N messages before, like a consumer
 * trailing its producer: it prints {@code ?id} before that commit and {@code ~id} once it
 * returned.
 */
public final class StoreCrashChild {

    private StoreCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        H2MessageStore store = args.length > 2
                ? new H2MessageStore(Path.of(args[0]), Durability.valueOf(args[1]),
                        new H2MessageStore.JournalSettings(Long.parseLong(args[2]), Long.MAX_VALUE, true))
                : new H2MessageStore(Path.of(args[0]), Durability.valueOf(args[1]));
        store.commit(new StoreBatch());
        AtomicLong ids = new AtomicLong();
        boolean acknowledge = Boolean.getBoolean("crash.acknowledge");
        System.out.println("ready");
        System.out.flush();
        boolean busyH2 = Boolean.getBoolean("crash.busyH2");
        int trail = Integer.getInteger("crash.trail", 0);
        SubscriptionDefinition subscription = new SubscriptionDefinition("crash", "busy", "topic", null, false, false, "busy");
        for (int t = 0; t < 4; t++) {
            Thread worker = new Thread(() -> {
                java.util.ArrayDeque<Long> unconsumed = new java.util.ArrayDeque<>();
                try {
                    while (true) {
                        long id = ids.incrementAndGet();
                        StoreBatch batch = new StoreBatch();
                        if (busyH2) {
                            // A subscription cannot be deferred: every batch is an H2 transaction at once.
                            batch.addSubscription(subscription);
                        }
                        store.commit(batch.addMessage(message(id)).addReference("crash", id).addReference("copy", id));
                        print(Long.toString(id));
                        if (acknowledge) {
                            store.commit(new StoreBatch().removeReference("copy", id));
                            print("-" + id);
                        }
                        if (trail > 0) {
                            unconsumed.add(id);
                            if (unconsumed.size() > trail) {
                                long old = unconsumed.poll();
                                print("?" + old);
                                store.commit(new StoreBatch().removeReference("crash", old));
                                print("~" + old);
                            }
                        }
                    }
                } catch (StoreException e) {
                    e.printStackTrace();
                }
            });
            worker.start();
        }
    }

    private static StoredMessage message(long id) {
        MessageRecord record = MessageRecord.builder().messageId("ID:" + id)
                .destination(Address.queue("crash")).body(BodyType.TEXT, "payload " + id).build();
        return new StoredMessage(id, record);
    }

    private static void print(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }
}
