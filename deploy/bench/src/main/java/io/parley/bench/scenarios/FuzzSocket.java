package io.parley.bench.scenarios;

import io.parley.infra.fuzz.Frames;
import io.parley.infra.fuzz.Inputs;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One user's live WebSocket fed generated frames by the {@code fuzz} scenario (docs/reliability.md): each frame
 * ({@link Frames}, now and then a binary frame or a text frame whose bytes are not UTF-8) is followed by a {@code ping}
 * probe, and every frame the gateway sends before the probe's {@code pong} is checked against docs/api.md (a
 * documented frame type; an error with a documented code). A message over 64 KiB must close the connection with
 * 1009, as documented; any other close is counted (by code) as unexpected, and as undocumented when its code is not
 * in docs/api.md's table. After a close the user connects again and goes on.
 *
 * <p>One thread drives it; its counts are read once it is done.
 */
final class FuzzSocket {

    /** The limit over which a message closes the connection with 1009 (docs/api.md, Limits and closes). */
    static final int MAX_MESSAGE_BYTES = 64 * 1024;

    /** The close codes docs/api.md's table names. */
    static final Set<Integer> DOCUMENTED_CLOSES = Set.of(1001, 1007, 1008, 1009, 1011, 1012, 1013);

    /** The error codes docs/api.md lets an error frame carry. */
    static final Set<String> CODES = Set.of(
            "invalid",
            "not_found",
            "unauthorized",
            "forbidden",
            "conflict",
            "too_large",
            "rate_limited",
            "unavailable");

    /** The frames docs/api.md says a connection may receive. */
    static final Set<String> TYPES = Set.of(
            "welcome",
            "error",
            "pong",
            "ack",
            "authenticated",
            "resumed",
            "typing",
            "read",
            "unread",
            "presence",
            "message.created",
            "message.updated",
            "message.deleted",
            "conversation.created",
            "participant.added",
            "participant.removed");

    private final WebSocketClient client;
    private final URI gateway;
    private final String token;
    private final Inputs in;
    private final List<String> conversations;

    final Map<String, Integer> sent = new TreeMap<>();
    final Map<String, Integer> answers = new TreeMap<>();
    final Map<String, Integer> closes = new TreeMap<>();
    final List<String> failures = new ArrayList<>();
    int expectedCloses;
    int unexpectedCloses;
    int undocumentedCloses;
    int undocumentedAnswers;
    int connects;

    private WebSocket socket;
    private BlockingQueue<String> incoming;
    private CompletableFuture<Integer> closed;
    private int probes;

    FuzzSocket(WebSocketClient client, URI gateway, String token, Inputs in, List<String> conversations) {
        this.client = client;
        this.gateway = gateway;
        this.token = token;
        this.in = in;
        this.conversations = conversations;
    }

    /** Sends generated frames while {@code budget} lasts (one taken per frame). */
    void run(AtomicInteger budget) throws Exception {
        connect();
        while (budget.getAndDecrement() > 0) {
            one();
        }
        // what the last sends still bring (acks after the store)
        probe("the end");
        socket.close();
    }

    private void one() throws Exception {
        String kind;
        int bytes;
        int roll = in.random().nextInt(100);
        if (roll < 2) {
            kind = "binary";
            byte[] data = in.text().getBytes(StandardCharsets.UTF_8);
            bytes = data.length;
            socket.writeFrame(WebSocketFrame.binaryFrame(Buffer.buffer(data), true));
        } else if (roll < 3) {
            kind = "text not UTF-8";
            byte[] data = ("{\"type\":\"ping\",\"ref\":\"" + in.text() + "\"}").getBytes(StandardCharsets.UTF_8);
            byte[] broken = new byte[data.length + 1];
            System.arraycopy(data, 0, broken, 0, data.length);
            broken[data.length] = (byte) 0xFF;
            bytes = broken.length;
            socket.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, broken, true));
        } else {
            Frames.Frame frame = Frames.generate(in, conversations);
            kind = frame.kind();
            bytes = frame.text().getBytes(StandardCharsets.UTF_8).length;
            socket.writeTextMessage(frame.text());
            if (bytes > MAX_MESSAGE_BYTES) {
                kind += " (over 64 KiB)";
            }
            sent.merge(kind, 1, Integer::sum);
            if (bytes > MAX_MESSAGE_BYTES) {
                Integer code = awaitClose(10);
                if (code != null && code == 1009) {
                    expectedCloses++;
                    closes.merge("1009", 1, Integer::sum);
                } else {
                    failures.add("a message of " + bytes + " bytes: " + (code == null ? "not closed" : "closed " + code)
                            + " where docs/api.md says 1009\n    frame: " + Fuzz.clip(frame.text()));
                    if (code != null) {
                        unexpected(code, frame.text());
                    }
                }
                reconnect();
                return;
            }
            probe(frame.text());
            return;
        }
        sent.merge(kind, 1, Integer::sum);
        probe(kind);
    }

    /** Pings with a fresh ref and checks every frame that comes before its pong; reconnects after a close. */
    private void probe(String after) throws Exception {
        String ref = "probe-" + ++probes;
        if (closed.isDone()) {
            unexpected(closed.join(), after);
            reconnect();
            return;
        }
        socket.writeTextMessage("{\"type\":\"ping\",\"ref\":\"" + ref + "\"}");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            String text = incoming.poll(50, TimeUnit.MILLISECONDS);
            if (text == null) {
                if (closed.isDone() && incoming.isEmpty()) {
                    unexpected(closed.join(), after);
                    reconnect();
                    return;
                }
                if (System.nanoTime() > deadline) {
                    failures.add("no pong within 30 s\n    after frame: " + Fuzz.clip(after));
                    socket.close();
                    reconnect();
                    return;
                }
                continue;
            }
            JsonObject frame;
            try {
                frame = new JsonObject(text);
            } catch (DecodeException e) {
                undocumentedAnswers++;
                failures.add("a frame that is not a JSON object: " + Fuzz.clip(text) + "\n    after frame: "
                        + Fuzz.clip(after));
                continue;
            }
            String type = String.valueOf(frame.getValue("type"));
            if ("pong".equals(type) && ref.equals(frame.getValue("ref"))) {
                return;
            }
            String key = "error".equals(type) ? "error:" + frame.getValue("code") : type;
            answers.merge(key, 1, Integer::sum);
            if (!TYPES.contains(type) || ("error".equals(type) && !CODES.contains(frame.getString("code")))) {
                undocumentedAnswers++;
                failures.add("an undocumented answer: " + Fuzz.clip(text) + "\n    after frame: " + Fuzz.clip(after));
            }
        }
    }

    private void unexpected(Integer code, String after) {
        int c = code == null ? 1006 : code;
        unexpectedCloses++;
        closes.merge(String.valueOf(c), 1, Integer::sum);
        if (!DOCUMENTED_CLOSES.contains(c)) {
            undocumentedCloses++;
        }
        failures.add("the connection was closed with " + c + " (reason " + socket.closeReason() + ")\n    after frame: "
                + Fuzz.clip(after));
    }

    private Integer awaitClose(int seconds) throws InterruptedException {
        try {
            return closed.get(seconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return 1006;
        }
    }

    private void reconnect() throws Exception {
        if (!closed.isDone()) {
            socket.close();
        }
        connect();
    }

    /** Connects (again), waiting as a 429 or 503 says; the welcome frame is checked like any other. */
    private void connect() throws Exception {
        for (int attempt = 0; ; attempt++) {
            BlockingQueue<String> queue = new LinkedBlockingQueue<>();
            CompletableFuture<Integer> whenClosed = new CompletableFuture<>();
            try {
                WebSocket ws = client.connect(new WebSocketConnectOptions()
                                .setHost(gateway.getHost())
                                .setPort(gateway.getPort())
                                .setURI("/ws")
                                .addHeader("Authorization", "Bearer " + token))
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
                ws.textMessageHandler(queue::add);
                ws.closeHandler(v -> {
                    Short code = ws.closeStatusCode();
                    whenClosed.complete(code == null ? null : code.intValue());
                });
                ws.exceptionHandler(e -> {});
                socket = ws;
                incoming = queue;
                closed = whenClosed;
                connects++;
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof UpgradeRejectedException rejected
                        && (rejected.getStatus() == 429 || rejected.getStatus() == 503)
                        && attempt < 60) {
                    Thread.sleep(1000);
                    continue;
                }
                throw e;
            }
        }
    }
}
