package io.parley.gateway.delivery;

import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes the frames of the connections of one event loop on that loop, in one task for everything queued since its last
 * run: a message fanned out to a thousand connections from a Kafka consumer's thread costs each loop one wake-up and
 * one task, instead of one task per connection (docs/benchmarks.md, "Fan-out's frames").
 *
 * <p>Order: a connection's frames are queued under its lock, in the order its {@link Session} releases them, into its
 * loop's one queue, which only that loop drains, first in first out; so they are written in that order. A frame
 * released on the loop itself while nothing of that loop waits is written at once (nothing can be ahead of it).
 */
final class LoopWriter {

    private static final Map<EventLoop, LoopWriter> WRITERS = new ConcurrentHashMap<>();

    /** Writes per task at most: a burst of a thousand connections' frames does not keep the loop from its reads. */
    static final int BATCH = 1024;

    private final EventLoop loop;
    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    LoopWriter(EventLoop loop) {
        this.loop = loop;
    }

    /** The writer of {@code loop} (one per loop, made at its first connection). */
    static LoopWriter of(EventLoop loop) {
        return WRITERS.computeIfAbsent(loop, LoopWriter::new);
    }

    /**
     * Runs {@code write} (a connection's write of one frame, or its close) on this loop: now if called on the loop with
     * nothing of it waiting, otherwise in one of the loop's next drains, after every write queued before it. The caller
     * holds the connection's lock, so that its frames queue in the order it releases them.
     */
    void write(Runnable write) {
        if (loop.inEventLoop() && !scheduled.get()) {
            write.run();
            return;
        }
        queue.add(write);
        schedule();
    }

    /** Has the loop drain the queue, unless a drain is already due. */
    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                loop.execute(this::drain);
            } catch (RejectedExecutionException e) {
                // the loop is shutting down, and its connections with it: nothing of theirs can be written any more
                scheduled.set(false);
                queue.clear();
            }
        }
    }

    /**
     * Runs up to {@link #BATCH} queued writes in the order queued (then lets the loop's other work run, and goes on in
     * a next task); one that fails stops no other. While it runs, the writer counts as scheduled, so that a write made
     * meanwhile on the loop (by a write's own callbacks) queues behind the others instead of overtaking them.
     */
    private void drain() {
        try {
            for (int i = 0; i < BATCH; i++) {
                Runnable write = queue.poll();
                if (write == null) {
                    break;
                }
                try {
                    write.run();
                } catch (RuntimeException | LinkageError | AssertionError e) {
                    // a connection that failed under the write: the others' frames still go
                    io.quarkus.logging.Log.debugf("frame not written: %s", e.toString());
                }
            }
        } finally {
            scheduled.set(false);
            if (!queue.isEmpty()) {
                schedule();
            }
        }
    }
}
