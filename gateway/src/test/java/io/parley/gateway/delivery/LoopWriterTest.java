package io.parley.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The writes of one event loop's connections, on a real Netty loop without sockets: each producer's writes run on the
 * loop in the order given, what queues while the loop is busy runs in one task, and a failing write stops no other.
 */
class LoopWriterTest {

    /** A loop that counts the tasks handed to it. */
    private static final class CountingLoop extends DefaultEventLoop {
        final AtomicInteger tasks = new AtomicInteger();

        CountingLoop() {
            super(Executors.defaultThreadFactory());
        }

        @Override
        public void execute(Runnable task) {
            tasks.incrementAndGet();
            super.execute(task);
        }
    }

    private final CountingLoop loop = new CountingLoop();
    private final LoopWriter writer = new LoopWriter(loop);

    @AfterEach
    void stop() throws InterruptedException {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    /** Keeps the loop busy until the answered latch is counted down. */
    private CountDownLatch busyLoop() {
        CountDownLatch busy = new CountDownLatch(1);
        loop.execute(() -> {
            try {
                busy.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return busy;
    }

    /** Waits until everything queued so far has run on the loop. */
    private void settle() throws Exception {
        loop.submit(() -> {}).get(5, TimeUnit.SECONDS);
    }

    @Test
    void eachProducersWritesRunOnTheLoopInTheirOrder() throws Exception {
        int producers = 4;
        int each = 20_000;
        List<List<Integer>> seen = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            seen.add(Collections.synchronizedList(new ArrayList<>()));
        }
        List<Thread> threads = new ArrayList<>();
        AtomicInteger offLoop = new AtomicInteger();
        for (int p = 0; p < producers; p++) {
            List<Integer> mine = seen.get(p);
            Thread thread = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    int n = i;
                    writer.write(() -> {
                        if (!loop.inEventLoop()) {
                            offLoop.incrementAndGet();
                        }
                        mine.add(n);
                    });
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        // a drain writes at most a batch per task: settle until the last batch has run
        for (int i = 0; i < 1_000 && seen.stream().anyMatch(mine -> mine.size() < each); i++) {
            settle();
        }
        for (List<Integer> mine : seen) {
            assertThat(mine).hasSize(each);
            for (int i = 0; i < each; i++) {
                assertThat(mine.get(i)).isEqualTo(i);
            }
        }
        assertThat(offLoop).hasValue(0);
    }

    @Test
    void whatQueuesWhileTheLoopIsBusyRunsInOneTask() throws Exception {
        CountDownLatch busy = busyLoop();
        int before = loop.tasks.get();
        AtomicInteger written = new AtomicInteger();
        for (int i = 0; i < 1_000; i++) {
            writer.write(written::incrementAndGet);
        }
        busy.countDown();
        settle();
        assertThat(written).hasValue(1_000);
        // the thousand writes took one task of the loop (the settle's is the other)
        assertThat(loop.tasks.get() - before).isEqualTo(2);
    }

    @Test
    void onTheLoopWithNothingWaitingAWriteRunsAtOnce() throws Exception {
        List<String> order = new ArrayList<>();
        loop.submit(() -> {
                    writer.write(() -> order.add("write"));
                    order.add("after the call");
                })
                .get(5, TimeUnit.SECONDS);
        assertThat(order).containsExactly("write", "after the call");
    }

    @Test
    void onTheLoopBehindQueuedWritesAWriteWaitsItsTurn() throws Exception {
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch busy = busyLoop();
        // a task ahead of the drain in the loop's queue, which writes from the loop once the outside write is queued:
        // it must not overtake it
        loop.execute(() -> writer.write(() -> order.add("from the loop")));
        writer.write(() -> order.add("queued from outside"));
        busy.countDown();
        settle();
        settle();
        assertThat(order).containsExactly("queued from outside", "from the loop");
    }

    @Test
    void aWriteThatFailsStopsNoOther() throws Exception {
        CountDownLatch busy = busyLoop();
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        writer.write(() -> order.add("first"));
        writer.write(() -> {
            throw new IllegalStateException("the connection broke under the write");
        });
        writer.write(() -> order.add("third"));
        busy.countDown();
        settle();
        assertThat(order).containsExactly("first", "third");
    }

    @Test
    void aWriteMadeByAQueuedWriteOnTheLoopWaitsBehindTheOnesQueuedBeforeIt() throws Exception {
        CountDownLatch busy = busyLoop();
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        // the first write's callback writes again (as a close handler sending to another connection would)
        writer.write(() -> {
            order.add("first");
            writer.write(() -> order.add("made by the first"));
        });
        writer.write(() -> order.add("second"));
        busy.countDown();
        settle();
        settle();
        assertThat(order).containsExactly("first", "second", "made by the first");
    }

    @Test
    void aBurstLargerThanABatchLetsTheLoopsOtherWorkRunBetweenBatches() throws Exception {
        CountDownLatch busy = busyLoop();
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < LoopWriter.BATCH + 10; i++) {
            writer.write(() -> order.add("write"));
        }
        loop.execute(() -> order.add("other work"));
        busy.countDown();
        settle();
        settle();
        assertThat(order).hasSize(LoopWriter.BATCH + 11);
        assertThat(order.indexOf("other work")).isEqualTo(LoopWriter.BATCH);
    }
}
