package io.parley.gateway.delivery;

import io.quarkus.websockets.next.WebSocketConnection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One open WebSocket connection: whose it is, and per conversation the last seq it was sent, so that it receives
 * each {@code message.created} once and in order, also while a resume replays history.
 */
public final class Session {

    private final WebSocketConnection connection;
    private final String userId;
    private final boolean admin;
    private volatile String token;
    /** When the token expires, in epoch seconds: the connection is closed then, unless a fresh token came. */
    private volatile long expiresAt;
    /** The Vert.x WebSocket under the connection, to see whether its client keeps reading (null if unavailable). */
    private final io.vertx.core.http.WebSocketBase socket;
    /** The HTTP connection under it, cut when a close frame cannot get through (null if unavailable). */
    private final io.vertx.core.http.HttpConnection tcp;
    /** Since when the outbound queue has been full, in nanos; 0 while the client keeps up. Guarded by {@code this}. */
    private long fullSince;
    private boolean overflowed;

    /** How long a client may leave its outbound queue full before it is disconnected. */
    static final long SLOW_READER_GRACE_NANOS = 5_000_000_000L;
    public static final short TOO_SLOW = 1013;
    /** Guarded by {@code this}. */
    private final Map<UUID, Long> lastSeq = new HashMap<>();
    /** Conversations being replayed, with the live frames that arrived meanwhile. Guarded by {@code this}. */
    private final Map<UUID, List<Pending>> replaying = new HashMap<>();

    record Pending(long seq, String frame) {
    }

    /**
     * Live message frames held since the connection opened, for a client that said it will resume first
     * ({@code /ws?resume=1}); null when not holding. Guarded by {@code this}.
     */
    private List<Held> heldUntilResume;

    private record Held(UUID conversationId, long seq, String frame) {
    }

    public Session(WebSocketConnection connection, String userId, boolean admin, String token, long expiresAt,
                   io.vertx.core.http.HttpConnection tcp) {
        this.socket = Backpressure.underlying(connection);
        this.tcp = tcp;
        this.connection = connection;
        this.userId = userId;
        this.admin = admin;
        this.token = token;
        this.expiresAt = expiresAt;
    }

    public WebSocketConnection connection() {
        return connection;
    }

    public String userId() {
        return userId;
    }

    public boolean isAdmin() {
        return admin;
    }

    public String token() {
        return token;
    }

    /** Replaces the connection's token with a fresh one of the same user. */
    public void renew(String token, long expiresAt) {
        this.token = token;
        this.expiresAt = expiresAt;
    }

    public long expiresAt() {
        return expiresAt;
    }

    /** A live message frame: sent now, held back during a replay of its conversation, dropped if already sent. */
    public synchronized void offer(UUID conversationId, long seq, String frame) {
        if (heldUntilResume != null) {
            heldUntilResume.add(new Held(conversationId, seq, frame));
            return;
        }
        List<Pending> held = replaying.get(conversationId);
        if (held != null) {
            held.add(new Pending(seq, frame));
            return;
        }
        if (seq > 0 && seq <= lastSeq.getOrDefault(conversationId, 0L)) {
            return;
        }
        if (seq > 0) {
            lastSeq.put(conversationId, seq);
        }
        send(frame);
    }

    /**
     * Holds every live message frame until {@link #releaseHold}: a reconnecting client's resume then decides what it
     * lacks, and no live message can overtake the replay of the ones before it.
     */
    public synchronized void holdUntilResume() {
        heldUntilResume = new ArrayList<>();
    }

    /**
     * Ends the hold (at the client's resume, after {@link #startReplay} for its conversations, or when it did not
     * come in time): held frames of conversations being replayed wait for their replay; the others go out now.
     */
    public synchronized void releaseHold() {
        List<Held> held = heldUntilResume;
        heldUntilResume = null;
        if (held != null) {
            held.forEach(h -> offer(h.conversationId(), h.seq(), h.frame()));
        }
    }

    /** A frame that is not ordered by seq (edits, deletes, receipts): sent now. */
    public synchronized void sendNow(String frame) {
        send(frame);
    }

    /**
     * Starts replaying {@code conversationId} after {@code afterSeq}, the client's own position: live frames wait
     * until {@link #endReplay}. A client that resumes from before a message this connection already sent gets it
     * again (its position says it lacks it); nothing after its position is ever skipped.
     */
    public synchronized void startReplay(UUID conversationId, long afterSeq) {
        replaying.putIfAbsent(conversationId, new ArrayList<>());
        lastSeq.put(conversationId, afterSeq);
    }

    /** A replayed message: sent unless this connection already has it. */
    public synchronized void replayed(UUID conversationId, long seq, String frame) {
        if (seq <= lastSeq.getOrDefault(conversationId, 0L)) {
            return;
        }
        lastSeq.put(conversationId, seq);
        send(frame);
    }

    /** Ends the replay: what arrived live meanwhile follows, in seq order, each once. */
    public synchronized void endReplay(UUID conversationId) {
        List<Pending> held = replaying.remove(conversationId);
        if (held == null) {
            return;
        }
        held.sort((a, b) -> Long.compare(a.seq(), b.seq()));
        for (Pending pending : held) {
            offer(conversationId, pending.seq(), pending.frame());
        }
    }

    /**
     * Closes the connection if its client has left the outbound queue full for longer than the grace period: 1013,
     * and, since that close frame waits behind the full queue, the TCP connection is cut a second later.
     */
    public synchronized void closeIfStalled() {
        if (overflowed || socket == null || fullSince == 0) {
            return;
        }
        if (!socket.writeQueueFull()) {
            fullSince = 0;
        } else if (System.nanoTime() - fullSince > SLOW_READER_GRACE_NANOS) {
            overflowed = true;
            socket.close(TOO_SLOW, "too slow: reconnect and resume");
            if (tcp != null) {
                java.util.concurrent.CompletableFuture.delayedExecutor(1, java.util.concurrent.TimeUnit.SECONDS)
                        .execute(tcp::close);
            }
        }
    }

    /**
     * Frames are queued on the connection in the order of these calls. A client that stops reading fills the queue;
     * it is then noted, and {@link #closeIfStalled()} ends the connection if it stays full. Guarded by {@code this}.
     */
    private void send(String frame) {
        if (overflowed || !connection.isOpen()) {
            return;
        }
        if (socket != null && socket.writeQueueFull()) {
            if (fullSince == 0) {
                fullSince = System.nanoTime();
            }
        } else {
            fullSince = 0;
        }
        connection.sendText(frame).subscribe().with(ok -> { }, failure -> { });
    }
}
