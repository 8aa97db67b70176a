package io.parley.gateway.delivery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The order of one connection's {@code message.created} frames, per conversation: each goes out once, in seq order,
 * also while a resume replays history. Knows nothing of sockets or JSON: it passes frames of any type {@code F} to the
 * sink it was given, in the order they must be written.
 *
 * <p>The rules:
 * <ul>
 *   <li>A live frame goes out when its seq is above the highest seq sent in its conversation (the mark), which it
 *       then becomes; one at or below the mark (a duplicate, or older than what was sent) is dropped. A frame with a
 *       seq of 0 or less is not ordered: it goes out as it comes.</li>
 *   <li>A gap (seq jumps above mark + 1) is not waited for: the frame goes out and becomes the mark, and the missing
 *       seqs, should they come later, are dropped. A gap means the connection missed messages (it was not connected
 *       when they were published); the client's {@code resume} from its own position fills it.</li>
 *   <li>{@link #holdUntilResume()} holds every live frame until {@link #releaseHold()}.</li>
 *   <li>{@link #startReplay} sets a conversation's mark to the client's position and holds its live frames; the
 *       replayed frames go out above the mark, and {@link #endReplay} then lets the held ones through, sorted by
 *       seq, each once.</li>
 * </ul>
 * Conversations are independent of each other. Not thread-safe: its owner ({@link Session}) calls it under its lock.
 *
 * <p>Bounded: marks are kept for the {@link #MAX_MARKS} conversations used last (an admin's connection sees every
 * support conversation, so over days their number has no other bound). A conversation whose mark was forgotten starts
 * again from 0: its next frame goes out whatever its seq, and should that be one the connection already had (a
 * redelivery), the client drops it by its own position (docs/api.md, resume). A conversation being replayed keeps
 * its mark until its replay ends.
 *
 * @param <F> the frame type (the connection's encoded text)
 */
public final class SeqGate<F> {

    private final Consumer<F> out;
    /** The most conversations whose mark one connection keeps. */
    public static final int MAX_MARKS = 10_000;

    /** Conversations being replayed, with the live frames that arrived meanwhile. */
    private final Map<UUID, List<Held<F>>> replaying = new HashMap<>();
    /** Per conversation, the highest seq sent; the least recently used first, at most {@code maxMarks} of them. */
    private final Map<UUID, Long> lastSeq;
    /** Live frames held until the client's resume; null when not holding. */
    private List<Held<F>> heldUntilResume;

    private record Held<F>(UUID conversationId, long seq, F frame) {}

    /**
     * @param out where frames go, in the order they must be written
     */
    public SeqGate(Consumer<F> out) {
        this(out, MAX_MARKS);
    }

    /**
     * @param out      where frames go, in the order they must be written
     * @param maxMarks the most conversations whose mark is kept
     */
    SeqGate(Consumer<F> out, int maxMarks) {
        this.out = out;
        this.lastSeq = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Long> eldest) {
                // the least recently used first, skipping the conversations being replayed
                Iterator<Map.Entry<UUID, Long>> entries = entrySet().iterator();
                while (size() > maxMarks && entries.hasNext()) {
                    if (!replaying.containsKey(entries.next().getKey())) {
                        entries.remove();
                    }
                }
                return false; // LinkedHashMap: a method that removed entries itself answers false
            }
        };
    }

    /** How many conversations' marks are kept. */
    int marks() {
        return lastSeq.size();
    }

    /**
     * A live frame of {@code conversationId} with {@code seq}: sent now, held back during a hold or a replay of its
     * conversation, or dropped if not above what was sent.
     */
    public void offer(UUID conversationId, long seq, F frame) {
        if (heldUntilResume != null) {
            heldUntilResume.add(new Held<>(conversationId, seq, frame));
            return;
        }
        List<Held<F>> held = replaying.get(conversationId);
        if (held != null) {
            held.add(new Held<>(conversationId, seq, frame));
            return;
        }
        if (seq > 0 && seq <= mark(conversationId)) {
            return;
        }
        if (seq > 0) {
            lastSeq.put(conversationId, seq);
        }
        out.accept(frame);
    }

    /** Holds every live frame from now until {@link #releaseHold()}. */
    public void holdUntilResume() {
        heldUntilResume = new ArrayList<>();
    }

    /** Whether live frames are being held until a resume. */
    public boolean holding() {
        return heldUntilResume != null;
    }

    /**
     * Ends the hold: held frames of conversations being replayed wait for their replay; the others go out now, in the
     * order they came (each once). Does nothing when not holding.
     */
    public void releaseHold() {
        List<Held<F>> held = heldUntilResume;
        heldUntilResume = null;
        if (held != null) {
            held.forEach(h -> offer(h.conversationId(), h.seq(), h.frame()));
        }
    }

    /**
     * Starts replaying {@code conversationId} after {@code afterSeq}, the client's own position: its mark becomes that
     * position (lower or higher than before) and its live frames wait until {@link #endReplay}.
     */
    public void startReplay(UUID conversationId, long afterSeq) {
        replaying.putIfAbsent(conversationId, new ArrayList<>());
        lastSeq.put(conversationId, afterSeq);
    }

    /** A replayed frame: sent if its seq is above the mark (which it then becomes), else dropped. */
    public void replayed(UUID conversationId, long seq, F frame) {
        if (seq <= mark(conversationId)) {
            return;
        }
        lastSeq.put(conversationId, seq);
        out.accept(frame);
    }

    /** Ends the replay of {@code conversationId}: the live frames held meanwhile follow, in seq order, each once. */
    public void endReplay(UUID conversationId) {
        List<Held<F>> held = replaying.remove(conversationId);
        if (held == null) {
            return;
        }
        held.sort(Comparator.comparingLong(Held::seq));
        for (Held<F> h : held) {
            offer(conversationId, h.seq(), h.frame());
        }
    }

    /** The highest seq sent in {@code conversationId} (or the position a replay started from); 0 if none. */
    public long mark(UUID conversationId) {
        return lastSeq.getOrDefault(conversationId, 0L);
    }
}
