package io.parley.bench.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * What a scenario sent and what each client received. Latency runs from the moment a send was due on the open-loop
 * schedule to a recipient's {@code message.created} (the sender's own copy is not counted). Loss and duplication are
 * judged by seq: every member of a conversation must see 1, 2, 3... of it exactly once, in order.
 */
public final class Ledger {

    /** A send on its way: when it was due, who sent it, how many recipients are still to get it. */
    private static final class InFlight {
        final long dueNanos;
        final String sender;
        int remaining;
        long lastNanos;

        InFlight(long dueNanos, String sender, int remaining) {
            this.dueNanos = dueNanos;
            this.sender = sender;
            this.remaining = remaining;
        }
    }

    private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();
    /** clientMessageId to the seq it was stored with: a second seq for one id would be a duplicate stored. */
    private final Map<String, Long> storedSeq = new ConcurrentHashMap<>();
    /** Per conversation, the highest seq acked to its senders. */
    private final Map<String, Long> lastSeq = new ConcurrentHashMap<>();

    final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(120), 3);
    final Histogram lastDelivery = new Histogram(TimeUnit.SECONDS.toNanos(120), 3);
    /** From due to the sender's ack: the store path (gateway, message-service, PostgreSQL) without the delivery. */
    final Histogram toAck = new Histogram(TimeUnit.SECONDS.toNanos(120), 3);

    final AtomicLong sent = new AtomicLong();
    final AtomicLong acked = new AtomicLong();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong duplicated = new AtomicLong();
    final AtomicLong skipped = new AtomicLong();
    final AtomicLong storedTwice = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    private volatile boolean measuring = true;
    private volatile long lastReceivedNanos;

    /** A send is due now; {@code recipients} members other than the sender should get it. */
    public void due(String clientMessageId, String sender, long dueNanos, int recipients) {
        inFlight.put(clientMessageId, new InFlight(dueNanos, sender, recipients));
        sent.incrementAndGet();
    }

    /**
     * The sender's {@code ack} of {@code clientMessageId}, stored as {@code seq} of {@code conversation}: counted once
     * per clientMessageId; a second, different seq for the same id counts as stored twice.
     */
    void acked(String conversation, String clientMessageId, long seq, long nowNanos) {
        Long before = storedSeq.putIfAbsent(clientMessageId, seq);
        if (before == null) {
            acked.incrementAndGet();
            InFlight flight = inFlight.get(clientMessageId);
            if (flight != null && measuring) {
                synchronized (latency) {
                    toAck.recordValue(
                            Math.min(Math.max(0, nowNanos - flight.dueNanos), toAck.getHighestTrackableValue()));
                }
            }
        } else if (before != seq) {
            storedTwice.incrementAndGet();
        }
        lastSeq.merge(conversation, seq, Math::max);
    }

    /** An error frame the harness does not retry. */
    void refused() {
        refused.incrementAndGet();
    }

    /** Latency figures from here on only (after a warm-up, say); counts are kept throughout. */
    public void resetLatency() {
        synchronized (latency) {
            latency.reset();
            lastDelivery.reset();
            toAck.reset();
        }
    }

    /** Whether latencies are recorded from now on ({@code on}) or not (a warm-up). */
    public void measuring(boolean on) {
        measuring = on;
    }

    /**
     * A client got {@code message.created}; {@code highest} is the highest seq it had of that conversation. Answers
     * the client's new highest seq.
     */
    long received(String user, String conversation, long seq, String clientMessageId, long highest, long nowNanos) {
        if (seq <= highest) {
            duplicated.incrementAndGet();
            return highest;
        }
        if (seq > highest + 1) {
            skipped.addAndGet(seq - highest - 1);
        }
        lastReceivedNanos = nowNanos;
        InFlight flight = clientMessageId == null ? null : inFlight.get(clientMessageId);
        if (flight != null && !flight.sender.equals(user)) {
            delivered.incrementAndGet();
            long took = Math.max(0, nowNanos - flight.dueNanos);
            boolean last;
            synchronized (flight) {
                flight.lastNanos = Math.max(flight.lastNanos, nowNanos);
                last = --flight.remaining == 0;
            }
            if (measuring) {
                synchronized (latency) {
                    latency.recordValue(Math.min(took, latency.getHighestTrackableValue()));
                    if (last) {
                        lastDelivery.recordValue(Math.min(
                                Math.max(0, flight.lastNanos - flight.dueNanos),
                                lastDelivery.getHighestTrackableValue()));
                    }
                }
            }
            if (last) {
                inFlight.remove(clientMessageId);
            }
        }
        return seq;
    }

    /** Sends made so far. */
    public long sentCount() {
        return sent.get();
    }

    /** Sends acked so far: the messages stored. */
    public long ackedCount() {
        return acked.get();
    }

    /** When the last new message arrived at any client (System.nanoTime). */
    public long lastReceivedNanos() {
        return lastReceivedNanos;
    }

    /** The highest seq acked in {@code conversation}, 0 if none. */
    public long lastSeq(String conversation) {
        return lastSeq.getOrDefault(conversation, 0L);
    }

    /** Deliveries still expected. */
    public long outstanding() {
        return inFlight.values().stream()
                .mapToLong(f -> Math.max(0, f.remaining))
                .sum();
    }

    /**
     * When the oldest send that is not yet acked and delivered to every recipient was due (System.nanoTime), or
     * {@link Long#MAX_VALUE} when nothing is outstanding.
     */
    public long oldestOutstandingDueNanos() {
        long oldest = Long.MAX_VALUE;
        for (Map.Entry<String, InFlight> e : inFlight.entrySet()) {
            InFlight flight = e.getValue();
            if (flight.remaining > 0 || !storedSeq.containsKey(e.getKey())) {
                oldest = Math.min(oldest, flight.dueNanos);
            }
        }
        return oldest;
    }

    /** A copy of the latencies from due to each recipient's {@code message.created}. */
    public Histogram latencySnapshot() {
        synchronized (latency) {
            return latency.copy();
        }
    }

    /** A copy of the latencies from due to the sender's {@code ack}. */
    public Histogram toAckSnapshot() {
        synchronized (latency) {
            return toAck.copy();
        }
    }

    /** A copy of the latencies from due to the last recipient's {@code message.created}, one per message. */
    public Histogram lastDeliverySnapshot() {
        synchronized (latency) {
            return lastDelivery.copy();
        }
    }
}
