package io.parley.bench.engine;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One user on one WebSocket, behaving as the contract asks of an app: it keeps the highest seq it has of each
 * conversation, keeps every send until its ack (and sends it again with the same clientMessageId after a reconnect
 * or an {@code unavailable}/{@code rate_limited} error), and when its connection drops it reconnects with
 * {@code ?resume=1} and resumes every conversation it knows from those seqs before sending anything else.
 */
public final class Client {

    private final String userId;
    private final String token;
    private final WebSocketClient via;
    private final URI gateway;
    private final Vertx vertx;
    /** Where what this client sees is written down; a new one per measured run. */
    private volatile Ledger ledger;

    private final Map<String, Long> highest = new ConcurrentHashMap<>();
    /** The conversations this user knows of (an app has them from its list): all of them are resumed. */
    private final java.util.Set<String> conversations = ConcurrentHashMap.newKeySet();
    /** Sends not acked yet, by clientMessageId, in the order they were made. */
    private final Map<String, String> unacked = new LinkedHashMap<>();

    private volatile WebSocket socket;
    private volatile boolean live;
    private volatile boolean closing;
    private volatile boolean reconnect;
    private volatile long resumedAtNanos;
    private volatile long droppedAtNanos;
    private volatile long upgradedAtNanos;
    private volatile long welcomedAtNanos;
    private volatile int failedConnects;
    private volatile int connects;

    Client(String userId, String token, WebSocketClient via, URI gateway, Vertx vertx, Ledger ledger) {
        this.userId = userId;
        this.token = token;
        this.via = via;
        this.gateway = gateway;
        this.vertx = vertx;
        this.ledger = ledger;
    }

    /** Opens the connection; completes when the gateway's welcome frame has arrived (and, after a drop, resumed). */
    Future<Void> connect() {
        Promise<Void> ready = Promise.promise();
        via.connect(new WebSocketConnectOptions()
                        .setHost(gateway.getHost())
                        .setPort(gateway.getPort())
                        .setURI(connects == 0 ? "/ws" : "/ws?resume=1")
                        .addHeader("Authorization", "Bearer " + token))
                .onFailure(e -> {
                    failedConnects++;
                    ready.tryFail(e);
                })
                .onSuccess(ws -> {
                    upgradedAtNanos = System.nanoTime();
                    socket = ws;
                    connects++;
                    boolean again = connects > 1;
                    ws.textMessageHandler(text -> onText(text, again, ready));
                    ws.closeHandler(v -> onClose(ws));
                    // a gateway that vanishes resets the connection: the close handler reconnects
                    ws.exceptionHandler(e -> {});
                });
        return ready.future();
    }

    /** The user this client is. */
    public String userId() {
        return userId;
    }

    /** Writes what this client sees into {@code ledger} from now on (a new one per measured run). */
    public void useLedger(Ledger ledger) {
        this.ledger = ledger;
    }

    /** Reconnects and resumes whenever the connection drops (the storm), instead of staying closed. */
    public void reconnectOnDrop() {
        this.reconnect = true;
    }

    /** When this client last had its {@code resumed} frame (System.nanoTime), 0 if never. */
    public long resumedAtNanos() {
        return resumedAtNanos;
    }

    /** When this client's last WebSocket upgrade succeeded (System.nanoTime), 0 if never. */
    public long upgradedAtNanos() {
        return upgradedAtNanos;
    }

    /** When this client last had its {@code welcome} frame (System.nanoTime), 0 if never. */
    public long welcomedAtNanos() {
        return welcomedAtNanos;
    }

    /** How many of this client's connection attempts failed (refused, 503, reset) since it was made. */
    public int failedConnects() {
        return failedConnects;
    }

    /** When this client's connection last dropped without its asking (System.nanoTime), 0 if never. */
    public long droppedAtNanos() {
        return droppedAtNanos;
    }

    /** Whether the connection is up (welcomed, and resumed after a drop). */
    public boolean live() {
        return live;
    }

    private void onText(String text, boolean again, Promise<Void> ready) {
        long now = System.nanoTime();
        JsonObject frame = new JsonObject(text);
        switch (frame.getString("type", "")) {
            case "welcome" -> {
                welcomedAtNanos = now;
                if (again) {
                    JsonObject positions = new JsonObject();
                    conversations.forEach(c -> positions.put(c, highest.getOrDefault(c, 0L)));
                    highest.forEach(positions::put);
                    socket.writeTextMessage(new JsonObject()
                            .put("type", "resume")
                            .put("positions", positions)
                            .encode());
                } else {
                    live = true;
                    ready.tryComplete();
                }
            }
            case "resumed" -> {
                resumedAtNanos = now;
                live = true;
                resendUnacked();
                ready.tryComplete();
            }
            case "message.created" -> received(frame.getJsonObject("message"), now);
            case "ack" -> {
                JsonObject message = frame.getJsonObject("message");
                synchronized (unacked) {
                    unacked.remove(message.getString("clientMessageId"));
                }
                ledger.acked(
                        message.getString("conversationId"),
                        message.getString("clientMessageId"),
                        message.getLong("seq"),
                        now);
            }
            case "error" -> {
                String code = frame.getString("code", "");
                String ref = frame.getString("ref");
                if (ref != null && (code.equals("rate_limited") || code.equals("unavailable"))) {
                    long wait = frame.getLong("retryAfterMs", 200L);
                    vertx.setTimer(Math.max(1, wait), id -> resend(ref));
                } else {
                    ledger.refused();
                }
            }
            default -> {
                // presence, typing, unread, read: not this harness's business
            }
        }
    }

    /** A {@code message.created} frame's message: written down in the ledger against the highest seq held. */
    void received(JsonObject message, long nowNanos) {
        String conversation = message.getString("conversationId");
        long seq = message.getLong("seq");
        highest.compute(
                conversation,
                (c, had) -> ledger.received(
                        userId, c, seq, message.getString("clientMessageId"), had == null ? 0 : had, nowNanos));
    }

    private void onClose(WebSocket ws) {
        if (ws != socket) {
            return;
        }
        live = false;
        if (closing || !reconnect) {
            return;
        }
        droppedAtNanos = System.nanoTime();
        retryConnect(50);
    }

    /**
     * Again after a pause of 50 ms growing to 1 s (a starting gateway answers 503 with Retry-After: 1), jittered,
     * until it works.
     */
    private void retryConnect(long pauseMs) {
        long pause = pauseMs / 2 + ThreadLocalRandom.current().nextLong(pauseMs / 2 + 1);
        vertx.setTimer(
                Math.max(1, pause),
                id -> connect().onFailure(e -> {
                    if (!closing) {
                        retryConnect(Math.min(1_000, pauseMs * 2));
                    }
                }));
    }

    /** A conversation of this user's, resumed after a reconnect even if nothing of it has arrived yet. */
    public void knows(String conversation) {
        conversations.add(conversation);
    }

    /** A send frame, kept until acked; written now if the connection is up, else after the next resume. */
    public void send(String conversation, String clientMessageId, String content) {
        String frame = new JsonObject()
                .put("type", "send")
                .put("ref", clientMessageId)
                .put("conversationId", conversation)
                .put("clientMessageId", clientMessageId)
                .put("content", content)
                .encode();
        synchronized (unacked) {
            unacked.put(clientMessageId, frame);
        }
        WebSocket ws = socket;
        if (live && ws != null) {
            ws.writeTextMessage(frame);
        }
    }

    private void resend(String clientMessageId) {
        String frame;
        synchronized (unacked) {
            frame = unacked.get(clientMessageId);
        }
        WebSocket ws = socket;
        if (frame != null && live && ws != null) {
            ws.writeTextMessage(frame);
        }
    }

    private void resendUnacked() {
        java.util.List<String> frames;
        synchronized (unacked) {
            frames = java.util.List.copyOf(unacked.values());
        }
        WebSocket ws = socket;
        frames.forEach(ws::writeTextMessage);
    }

    /**
     * How many messages of the conversations this client knows it has not received yet, counted against the highest
     * seq the ledger has seen stored in each (its own messages' echoes included).
     */
    public long behind() {
        Ledger current = ledger;
        return conversations.stream()
                .mapToLong(c -> Math.max(0, current.lastSeq(c) - highest(c)))
                .sum();
    }

    /** How many sends wait for their ack. */
    public int unackedCount() {
        synchronized (unacked) {
            return unacked.size();
        }
    }

    /** The highest seq of {@code conversation} this client has, 0 if none. */
    public long highest(String conversation) {
        return highest.getOrDefault(conversation, 0L);
    }

    /** Closes the connection for good (no reconnect). */
    public Future<Void> close() {
        closing = true;
        WebSocket ws = socket;
        return ws == null ? Future.succeededFuture() : ws.close();
    }
}
