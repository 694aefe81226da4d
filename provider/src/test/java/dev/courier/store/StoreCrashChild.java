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
 * prints {@code -id} once that commit returned: those removals must survive too.
 */
public final class StoreCrashChild {

    private StoreCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        H2MessageStore store = args.length > 2
                ? new H2MessageStore(Path.of(args[0]), Durability.valueOf(args[1]),
                        new H2MessageStore.JournalSettings(Long.parseLong(args[2]), Long.MAX_VALUE, 3_600_000))
                : new H2MessageStore(Path.of(args[0]), Durability.valueOf(args[1]));
        store.commit(new StoreBatch());
        AtomicLong ids = new AtomicLong();
        boolean acknowledge = Boolean.getBoolean("crash.acknowledge");
        System.out.println("ready");
        System.out.flush();
        for (int t = 0; t < 4; t++) {
            Thread worker = new Thread(() -> {
                try {
                    while (true) {
                        long id = ids.incrementAndGet();
                        MessageRecord record = MessageRecord.builder().messageId("ID:" + id)
                                .destination(Address.queue("crash")).body(BodyType.TEXT, "payload " + id).build();
                        store.commit(new StoreBatch().addMessage(new StoredMessage(id, record))
                                .addReference("crash", id).addReference("copy", id));
                        print(Long.toString(id));
                        if (acknowledge) {
                            store.commit(new StoreBatch().removeReference("copy", id));
                            print("-" + id);
                        }
                    }
                } catch (StoreException e) {
                    e.printStackTrace();
                }
            });
            worker.start();
        }
    }

    private static void print(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }
}
