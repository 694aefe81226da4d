package dev.courier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

class GroupCommitterTest {

    private static List<StoreException> allCommitted(List<StoreBatch> batches) {
        return new ArrayList<>(Collections.nCopies(batches.size(), null));
    }

    /** Records each group, says the first has started, and holds every group until {@code release}. */
    private static GroupCommitter.Handler holdingEachGroup(CountDownLatch started, CountDownLatch release,
            BiConsumer<List<StoreBatch>, Boolean> record) {
        return (batches, sync) -> {
            record.accept(batches, sync);
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new StoreException("interrupted");
            }
            return allCommitted(batches);
        };
    }

    @Test
    void waitingCallersAreCommittedTogetherInSubmissionOrder() throws Exception {
        CountDownLatch firstGroupStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<List<StoreBatch>> groups = Collections.synchronizedList(new ArrayList<>());
        GroupCommitter committer = new GroupCommitter("test-writer", (batches, sync) -> {
            groups.add(List.copyOf(batches));
            firstGroupStarted.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new StoreException("interrupted");
            }
            return allCommitted(batches);
        });
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            StoreBatch first = new StoreBatch();
            Future<?> f0 = pool.submit(() -> {
                committer.commit(first);
                return null;
            });
            assertTrue(firstGroupStarted.await(5, TimeUnit.SECONDS));
            List<StoreBatch> later = new ArrayList<>();
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                StoreBatch b = new StoreBatch().addReference("q", i);
                later.add(b);
                Thread caller = new Thread(() -> {
                    try {
                        committer.commit(b);
                    } catch (StoreException e) {
                        throw new IllegalStateException(e);
                    }
                });
                caller.start();
                callers.add(caller);
                // A caller waits only once its batch is queued: so the next one queues after it.
                awaitWaiting(caller);
            }
            release.countDown();
            f0.get(5, TimeUnit.SECONDS);
            for (Thread caller : callers) {
                caller.join(5000);
            }
            assertEquals(2, groups.size());
            assertEquals(List.of(first), groups.get(0));
            assertEquals(later, groups.get(1));
        } finally {
            pool.shutdownNow();
            committer.close();
        }
    }

    private static void awaitWaiting(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (t.getState() != Thread.State.WAITING) {
            assertTrue(System.nanoTime() < deadline, "caller never waited");
            Thread.sleep(1);
        }
    }

    @Test
    void aRejectedBatchFailsOnlyItsCaller() throws Exception {
        StoreBatch bad = new StoreBatch();
        GroupCommitter committer = new GroupCommitter("test-writer", (batches, sync) -> {
            List<StoreException> results = allCommitted(batches);
            for (int i = 0; i < batches.size(); i++) {
                if (batches.get(i) == bad) {
                    results.set(i, new StoreException("rejected"));
                }
            }
            return results;
        });
        try {
            committer.commit(new StoreBatch());
            StoreException e = assertThrows(StoreException.class, () -> committer.commit(bad));
            assertEquals("rejected", e.getMessage());
            committer.commit(new StoreBatch());
        } finally {
            committer.close();
        }
    }

    @Test
    void aGroupFailureFailsTheGroupAndEveryLaterCommit() throws Exception {
        StoreException failure = new StoreException("fsync failed");
        GroupCommitter committer = new GroupCommitter("test-writer", (batches, sync) -> {
            throw failure;
        });
        try {
            StoreException e = assertThrows(StoreException.class, () -> committer.commit(new StoreBatch()));
            assertSame(failure, e.getCause());
            StoreException later = assertThrows(StoreException.class, () -> committer.commit(new StoreBatch()));
            assertSame(failure, later.getCause());
        } finally {
            committer.close();
        }
    }

    @Test
    void anInterruptedCallerStillLearnsTheOutcomeAndKeepsItsInterrupt() throws Exception {
        List<StoreBatch> seen = Collections.synchronizedList(new ArrayList<>());
        GroupCommitter committer = new GroupCommitter("test-writer", (batches, sync) -> {
            seen.addAll(batches);
            return allCommitted(batches);
        });
        try {
            StoreBatch batch = new StoreBatch();
            Thread.currentThread().interrupt();
            committer.commit(batch);
            assertTrue(Thread.interrupted());
            assertEquals(List.of(batch), seen);
        } finally {
            committer.close();
        }
    }

    @Test
    void closeCommitsWhatIsQueuedThenRefuses() throws Exception {
        GroupCommitter committer = new GroupCommitter("test-writer", (batches, sync) -> allCommitted(batches));
        committer.commit(new StoreBatch());
        committer.close();
        committer.close();
        assertThrows(StoreException.class, () -> committer.commit(new StoreBatch()));
    }

    @Test
    void groupsAreCappedAndSubmitWaitsWhileTooManyBatchesArePending() throws Exception {
        CountDownLatch firstGroupStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        GroupCommitter committer = new GroupCommitter("test-writer",
                holdingEachGroup(firstGroupStarted, release, (batches, sync) -> sizes.add(batches.size())), 3, 5);
        try {
            committer.submit(new StoreBatch());
            assertTrue(firstGroupStarted.await(5, TimeUnit.SECONDS));
            for (int i = 0; i < 5; i++) {
                committer.submit(new StoreBatch());
            }
            Thread sixth = new Thread(() -> {
                try {
                    committer.submit(new StoreBatch());
                } catch (StoreException e) {
                    throw new IllegalStateException(e);
                }
            });
            sixth.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (sixth.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(Thread.State.WAITING, sixth.getState(), "a sixth pending batch was queued");
            release.countDown();
            sixth.join(5000);
            assertTrue(!sixth.isAlive());
        } finally {
            release.countDown();
            committer.close();
        }
        assertEquals(7, sizes.stream().mapToInt(Integer::intValue).sum());
        assertTrue(sizes.stream().allMatch(n -> n <= 3), "group sizes " + sizes);
    }

    @Test
    void onlyGroupsSomebodyWaitsForAreFlushed() throws Exception {
        CountDownLatch firstGroupStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Boolean> syncs = Collections.synchronizedList(new ArrayList<>());
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        GroupCommitter committer = new GroupCommitter("test-writer",
                holdingEachGroup(firstGroupStarted, release, (batches, sync) -> {
                    syncs.add(sync);
                    sizes.add(batches.size());
                }));
        try {
            committer.submit(new StoreBatch());
            assertTrue(firstGroupStarted.await(5, TimeUnit.SECONDS));
            // While the first group is being written, a submitted batch and a waiting commit queue up.
            committer.submit(new StoreBatch());
            Thread waiting = new Thread(() -> {
                try {
                    committer.commit(new StoreBatch());
                } catch (StoreException e) {
                    throw new IllegalStateException(e);
                }
            });
            waiting.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (committer.queued() < 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(2, committer.queued());
            release.countDown();
            waiting.join(5_000);
            committer.submit(new StoreBatch());
        } finally {
            committer.close();
        }
        assertEquals(List.of(1, 2, 1), sizes);
        assertEquals(List.of(false, true, false), syncs, "a group is flushed when a caller waits for one of its batches");
    }

    @Test
    void calledBackCommitsAreFlushedAndToldInSubmissionOrderOnTheWriterThread() throws Exception {
        CountDownLatch firstGroupStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Boolean> syncs = Collections.synchronizedList(new ArrayList<>());
        GroupCommitter committer = new GroupCommitter("test-writer",
                holdingEachGroup(firstGroupStarted, release, (batches, sync) -> syncs.add(sync)));
        List<String> told = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch allTold = new CountDownLatch(3);
        try {
            committer.commitThen(new StoreBatch(), e -> {
                told.add("first:" + e + ":" + Thread.currentThread().getName());
                allTold.countDown();
            });
            assertTrue(firstGroupStarted.await(5, TimeUnit.SECONDS));
            assertEquals(List.of(), told, "nobody is told before the group is durable");
            for (int i = 0; i < 2; i++) {
                String name = "later" + i;
                committer.commitThen(new StoreBatch(), e -> {
                    told.add(name + ":" + e + ":" + Thread.currentThread().getName());
                    allTold.countDown();
                });
            }
            release.countDown();
            assertTrue(allTold.await(5, TimeUnit.SECONDS));
        } finally {
            committer.close();
        }
        assertEquals(List.of("first:null:test-writer", "later0:null:test-writer", "later1:null:test-writer"), told);
        assertEquals(List.of(true, true), syncs, "a called-back commit is flushed like a waiting one");
    }

    @Test
    void aCallbackThatThrowsLeavesTheOthersAndTheStoreWorking() throws Exception {
        StoreBatch bad = new StoreBatch();
        GroupCommitter committer = new GroupCommitter("test-writer", (batches, sync) -> {
            List<StoreException> results = allCommitted(batches);
            int i = batches.indexOf(bad);
            if (i >= 0) {
                results.set(i, new StoreException("rejected"));
            }
            return results;
        });
        List<String> told = Collections.synchronizedList(new ArrayList<>());
        try {
            committer.commitThen(bad, e -> {
                told.add(e.getMessage());
                throw new IllegalStateException("a careless callback");
            });
            committer.commit(new StoreBatch());
            assertEquals(List.of("rejected"), told);
            committer.commit(new StoreBatch());
        } finally {
            committer.close();
        }
    }

    @Test
    void aCalledBackCommitOnAFailedStoreIsRefusedAtOnce() throws Exception {
        GroupCommitter committer = new GroupCommitter("test-writer", (batches, sync) -> {
            throw new StoreException("fsync failed");
        });
        try {
            assertThrows(StoreException.class, () -> committer.commit(new StoreBatch()));
            List<StoreException> told = new ArrayList<>();
            assertThrows(StoreException.class, () -> committer.commitThen(new StoreBatch(), told::add));
            assertEquals(List.of(), told, "a refused batch is not called back as well");
        } finally {
            committer.close();
        }
    }
}
