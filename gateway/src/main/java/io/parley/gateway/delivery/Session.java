package io.parley.gateway.delivery;

import io.parley.events.Role;
import io.parley.gateway.metrics.GatewayMetrics;
import io.quarkus.websockets.next.WebSocketConnection;
import java.util.UUID;

/**
 * One open WebSocket connection: whose it is, its token, its liveness and its outbound queue; the order of its
 * message frames is its {@link SeqGate}, so that it receives
 * each {@code message.created} once and in order, also while a resume replays history.
 */
public final class Session {

    private final WebSocketConnection connection;
    private final String userId;
    /** Whether the current token is an admin's: decided by each token, the one of the upgrade and each auth frame's. */
    private volatile boolean admin;
    /** The role of the current token. */
    private volatile Role role;
    /** Whether the registry holds this connection. Guarded by the registry, under {@code this}. */
    boolean registered;
    /**
     * True once the registry was told the connection closed: it is never registered again, also when its close came
     * before its registration. Guarded by the registry, under {@code this}.
     */
    boolean removed;

    private volatile String token;
    /**
     * When a frame (text or pong) last came from the client, in nanos: a client silent for too long is gone. Counted
     * from the registration ({@link #startLiveness}), from when the connection is pinged.
     */
    private volatile long lastHeardNanos = System.nanoTime();
    /** When the last ping went to the client, in nanos (the registration's time before the first). */
    private volatile long lastPingNanos = System.nanoTime();
    /** When the client last sent a frame of its own (not a pong), in nanos: a client that keeps talking needs no ping. */
    private volatile long lastFrameNanos = System.nanoTime();

    private volatile boolean silenceClosed;
    /** When the token expires, in epoch seconds: the connection is closed then, unless a fresh token came. */
    private volatile long expiresAt;
    /** The Vert.x WebSocket under the connection, to see whether its client keeps reading (null if unavailable). */
    private final io.vertx.core.http.WebSocketBase socket;
    /** The HTTP connection under it, cut when a close frame cannot get through (null if unavailable). */
    private final io.vertx.core.http.HttpConnection tcp;
    /**
     * Since when the outbound queue has been full, in nanos; 0 while the client keeps up. Written under {@code this};
     * volatile so that the every-second check of an idle connection reads it without taking the lock.
     */
    private volatile long fullSince;

    private boolean overflowed;
    /** The close code the gateway closed the connection with; 0 while it has not closed it. */
    private volatile short closedWith;

    /** How long a client may leave its outbound queue full before it is disconnected. */
    static final java.time.Duration SLOW_READER_GRACE = java.time.Duration.ofSeconds(5);

    public static final short TOO_SLOW = 1013;
    /** The close of a connection whose client stopped answering pings. */
    public static final io.quarkus.websockets.next.CloseReason SILENT =
            new io.quarkus.websockets.next.CloseReason(1001, "no pong: the connection is taken for dead");
    /** The order of this connection's message frames, per conversation (see {@link SeqGate}). Guarded by {@code this}. */
    private final SeqGate<Outgoing> order = new SeqGate<>(this::send);

    private final GatewayMetrics metrics;
    /** Writes this connection's frames on its event loop (null when the loop is unknown: written from the caller). */
    private final LoopWriter writer;

    /**
     * A frame on its way to this connection: its text, and for a live {@code message.created} its event's
     * {@code occurredAt} in epoch milliseconds (0 otherwise), to measure the delivery's latency once written.
     */
    record Outgoing(String text, long occurredAtMillis) {}

    /**
     * @param connection the connection itself (not the per-callback proxy)
     * @param userId     the token's {@code sub}
     * @param role       the token's role
     * @param token      the raw token, used for the calls made on the client's behalf
     * @param expiresAt  the token's {@code exp}, in epoch seconds
     * @param tcp        the HTTP connection under the WebSocket, or null if unknown
     * @param metrics    where frames written, delivery latencies and slow-reader closes are counted
     */
    public Session(
            WebSocketConnection connection,
            String userId,
            Role role,
            String token,
            long expiresAt,
            io.vertx.core.http.HttpConnection tcp,
            GatewayMetrics metrics) {
        this.metrics = metrics;
        this.socket = Backpressure.underlying(connection);
        this.tcp = tcp;
        io.netty.channel.EventLoop loop = Backpressure.eventLoop(tcp);
        this.writer = loop == null || socket == null ? null : LoopWriter.of(loop);
        if (socket != null) {
            // A pong only proves the client is there: noted on the event loop by Vert.x itself, in place of the
            // endpoint's callback (which dispatches every pong through the framework's machinery, a thousand a
            // second with ten thousand connections; docs/benchmarks.md "Idle connections"). The callback stays for
            // a connection whose Vert.x WebSocket cannot be reached.
            socket.pongHandler(data -> heard());
        }
        this.connection = connection;
        this.userId = userId;
        this.role = role;
        this.admin = role == Role.ADMIN;
        this.token = token;
        this.expiresAt = expiresAt;
    }

    public WebSocketConnection connection() {
        return connection;
    }

    public String userId() {
        return userId;
    }

    /** Whether the connection's current token is an admin's. */
    public boolean isAdmin() {
        return admin;
    }

    /** The role of the connection's current token. */
    public Role role() {
        return role;
    }

    /** The connection's current token, raw. */
    public String token() {
        return token;
    }

    /**
     * Replaces the connection's token with a fresh one of the same user, and with it everything a token decides:
     * the role (and so whether support conversations' events reach it) and the expiry. Called by
     * {@link SessionRegistry#renew}, which keeps its set of admins in step.
     */
    void renew(String token, long expiresAt, Role role) {
        this.token = token;
        this.expiresAt = expiresAt;
        this.role = role;
        this.admin = role == Role.ADMIN;
    }

    /**
     * Closes the connection with {@code reason} once the frames given to it before are written: a close frame sent
     * straight away would leave them unsent (Vert.x refuses writes once a close has begun), and a client that resumes
     * gets back only messages, not edits, receipts or counts. The close's outcome is not awaited.
     */
    public synchronized void close(io.quarkus.websockets.next.CloseReason reason) {
        closing((short) reason.getCode());
        onLoop(() -> connection.close(reason).subscribe().with(ok -> {}, failure -> {}));
    }

    /** Runs {@code write} through the connection's {@link LoopWriter}, or at once when its loop is unknown. */
    private void onLoop(Runnable write) {
        if (writer != null) {
            writer.write(write);
        } else {
            write.run();
        }
    }

    /** Notes that a pong came from the client just now: it is there. */
    public void heard() {
        lastHeardNanos = System.nanoTime();
    }

    /** Notes that a frame of the client's own (a text frame) came just now: it is there, and needs no ping. */
    public void spoke() {
        long now = System.nanoTime();
        lastHeardNanos = now;
        lastFrameNanos = now;
    }

    /**
     * Starts the liveness clocks at the registration: the connection is pinged from now on ({@link #pingIfDue}), so its
     * silence is counted from now, not from the upgrade (which may be long before under a burst of connects, while its
     * presence was being stored, and no ping went meanwhile).
     */
    void startLiveness() {
        long now = System.nanoTime();
        lastPingNanos = now;
        lastHeardNanos = now;
        lastFrameNanos = now;
    }

    /**
     * Sends a WebSocket ping (RFC 6455 section 5.5.2: the client answers with a pong, which {@link #heard} notes) if
     * the last one went {@code intervalNanos} or more before {@code nowNanos} and the client sent no frame of its own
     * within {@code talkingNanos}: a client that keeps talking (an app's own {@code ping} frames, sends, reads) proves
     * itself and keeps its network's path open without one. A pong does not put the next ping off, so a silent client
     * that answers is pinged every interval. Written on the connection's event loop among its other writes
     * ({@link LoopWriter}), so that the pings of a loop's connections due at one check go in one task.
     *
     * @param nowNanos      {@link System#nanoTime()} of the check
     * @param intervalNanos when the next ping is due after the last, in nanos
     * @param talkingNanos  how recent a frame of the client's own spares the ping, in nanos
     */
    public void pingIfDue(long nowNanos, long intervalNanos, long talkingNanos) {
        if (nowNanos - lastPingNanos < intervalNanos || nowNanos - lastFrameNanos < talkingNanos) {
            return;
        }
        lastPingNanos = nowNanos;
        onLoop(this::ping);
    }

    private void ping() {
        if (socket != null) {
            if (!socket.isClosed()) {
                socket.writePing(io.vertx.core.buffer.Buffer.buffer());
            }
            return;
        }
        if (connection.isOpen()) {
            connection
                    .sendPing(io.vertx.core.buffer.Buffer.buffer())
                    .subscribe()
                    .with(ok -> {}, failure -> {});
        }
    }

    /**
     * Closes the connection if nothing came from its client for longer than {@code timeoutNanos}: its network is
     * gone (pings are sent meanwhile, and every live client answers them). Close 1001, then the TCP connection is
     * cut a second later, since a close frame does not reach a client that is gone. Answers whether it closed.
     */
    public boolean closeIfSilent(long timeoutNanos) {
        if (silenceClosed || System.nanoTime() - lastHeardNanos <= timeoutNanos) {
            return false;
        }
        silenceClosed = true;
        closing((short) SILENT.getCode());
        connection.close(SILENT).subscribe().with(ok -> {}, failure -> {});
        cutSoon();
        return true;
    }

    public long expiresAt() {
        return expiresAt;
    }

    /**
     * A live message frame: sent now, held back during a replay of its conversation, dropped if already sent.
     *
     * @param occurredAtMillis the event's {@code occurredAt} in epoch milliseconds, from which the delivery's latency
     *                         is measured when the frame is written
     */
    public synchronized void offer(UUID conversationId, long seq, String frame, long occurredAtMillis) {
        order.offer(conversationId, seq, new Outgoing(frame, occurredAtMillis));
    }

    /**
     * Holds every live message frame until {@link #releaseHold}: a reconnecting client's resume then decides what it
     * lacks, and no live message can overtake the replay of the ones before it.
     */
    public synchronized void holdUntilResume() {
        order.holdUntilResume();
    }

    /**
     * Ends the hold (at the client's resume, after {@link #startReplay} for its conversations, or when it did not
     * come in time): held frames of conversations being replayed wait for their replay; the others go out now.
     */
    public synchronized void releaseHold() {
        order.releaseHold();
    }

    /** A frame that is not ordered by seq (edits, deletes, receipts): sent now. */
    public synchronized void sendNow(String frame) {
        send(new Outgoing(frame, 0));
    }

    /**
     * Starts replaying {@code conversationId} after {@code afterSeq}, the client's own position: live frames wait
     * until {@link #endReplay}. A client that resumes from before a message this connection already sent gets it
     * again (its position says it lacks it); nothing after its position is ever skipped.
     */
    public synchronized void startReplay(UUID conversationId, long afterSeq) {
        order.startReplay(conversationId, afterSeq);
    }

    /** A replayed message: sent unless this connection already has it. */
    public synchronized void replayed(UUID conversationId, long seq, String frame) {
        order.replayed(conversationId, seq, new Outgoing(frame, 0));
    }

    /** Ends the replay: what arrived live meanwhile follows, in seq order, each once. */
    public synchronized void endReplay(UUID conversationId) {
        order.endReplay(conversationId);
    }

    /**
     * Closes the connection if its client has left the outbound queue full for longer than the grace period: 1013,
     * and, since that close frame waits behind the full queue, the TCP connection is cut a second later.
     */
    public void closeIfStalled() {
        if (fullSince == 0) {
            return; // the client keeps up: nothing to lock for (the common case, every second for every connection)
        }
        synchronized (this) {
            closeIfStillStalled();
        }
    }

    private void closeIfStillStalled() {
        if (overflowed || socket == null || fullSince == 0) {
            return;
        }
        if (!socket.writeQueueFull()) {
            fullSince = 0;
        } else if (System.nanoTime() - fullSince > SLOW_READER_GRACE.toNanos()) {
            overflowed = true;
            metrics.slowReaderClosed();
            closing(TOO_SLOW);
            socket.close(TOO_SLOW, "too slow: reconnect and resume");
            cutSoon();
        }
    }

    /**
     * Notes that the gateway closes this connection with {@code code}: the close is counted with it, also when the
     * client never answers the close frame (a client that does not read, or is gone).
     */
    public void closing(short code) {
        if (closedWith == 0) {
            closedWith = code;
        }
    }

    /** The code the gateway closed this connection with, or null when it did not close it (the client did). */
    public Short closedWith() {
        return closedWith == 0 ? null : closedWith;
    }

    /** Cuts the TCP connection a second from now, whether or not the client answered the close frame. */
    private void cutSoon() {
        if (tcp != null) {
            java.util.concurrent.CompletableFuture.delayedExecutor(1, java.util.concurrent.TimeUnit.SECONDS)
                    .execute(() -> Backpressure.cut(tcp));
        }
    }

    /**
     * Frames are queued on the connection in the order of these calls, and written on its event loop in that order
     * ({@link LoopWriter}). A client that stops reading fills the queue; it is then noted, and
     * {@link #closeIfStalled()} ends the connection if it stays full. Guarded by {@code this}.
     */
    private void send(Outgoing frame) {
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
        metrics.frameSent(frame.text());
        onLoop(() -> write(frame));
    }

    /** Writes {@code frame} on the socket now: on the connection's event loop (called by {@link LoopWriter}). */
    void write(Outgoing frame) {
        long occurredAt = frame.occurredAtMillis();
        if (socket != null) {
            if (!socket.isClosed()) {
                // straight to the Vert.x WebSocket: no Mutiny subscription and no context capture per frame, which a
                // fan-out to a thousand connections would pay a thousand times (docs/benchmarks.md, "Fan-out's frames")
                socket.writeTextMessage(frame.text()).onSuccess(ok -> metrics.delivered(occurredAt));
            }
            return;
        }
        connection.sendText(frame.text()).subscribe().with(ok -> metrics.delivered(occurredAt), failure -> {});
    }

    /** Bytes written to this connection that its client has not taken yet (0 when unknown). */
    public long queuedBytes() {
        return tcp == null ? 0 : Backpressure.queuedBytes(tcp);
    }

    /** Whether this connection's outbound queue is full now: its client is not keeping up. */
    public boolean outboundFull() {
        return socket != null && !overflowed && socket.writeQueueFull();
    }
}
