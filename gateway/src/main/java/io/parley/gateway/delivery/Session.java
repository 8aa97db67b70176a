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
    /** Guarded by {@code this}. */
    private final Map<UUID, Long> lastSeq = new HashMap<>();
    /** Conversations being replayed, with the live frames that arrived meanwhile. Guarded by {@code this}. */
    private final Map<UUID, List<Pending>> replaying = new HashMap<>();

    record Pending(long seq, String frame) {
    }

    public Session(WebSocketConnection connection, String userId, boolean admin, String token, long expiresAt) {
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

    /** A frame that is not ordered by seq (edits, deletes, receipts): sent now. */
    public void sendNow(String frame) {
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

    private void send(String frame) {
        if (connection.isOpen()) {
            // Frames are queued on the connection in the order of these calls; a failed write means it closed.
            connection.sendText(frame).subscribe().with(ok -> { }, failure -> { });
        }
    }
}
