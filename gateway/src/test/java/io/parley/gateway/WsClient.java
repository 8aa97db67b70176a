package io.parley.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A test's WebSocket connection to the gateway: the frames it received, in order, and its close. */
final class WsClient {

    final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<Short> closed = new CompletableFuture<>();
    final WebSocket socket;
    final JsonObject welcome;

    /** Connects to {@code ws} with {@code token} in the Authorization header and reads the welcome. */
    WsClient(WebSocketClient client, URI ws, String token) throws Exception {
        socket = client.connect(new WebSocketConnectOptions()
                        .setHost(ws.getHost())
                        .setPort(ws.getPort())
                        .setURI(ws.getPath())
                        .addHeader("Authorization", "Bearer " + token))
                .map(s -> {
                    s.textMessageHandler(text -> frames.add(new JsonObject(text)));
                    s.closeHandler(v -> closed.complete(s.closeStatusCode()));
                    return s;
                })
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        welcome = next();
        assertThat(welcome.getString("type")).isEqualTo("welcome");
    }

    void send(JsonObject frame) {
        socket.writeTextMessage(frame.encode());
    }

    void send(String frame) {
        socket.writeTextMessage(frame);
    }

    /** The next frame, within 10 s. */
    JsonObject next() throws InterruptedException {
        JsonObject frame = frames.poll(10, TimeUnit.SECONDS);
        assertThat(frame).as("a frame within 10 s").isNotNull();
        return frame;
    }

    /** The next frame that matches, within 10 s, skipping the others. */
    JsonObject next(Predicate<JsonObject> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            JsonObject frame = frames.poll(100, TimeUnit.MILLISECONDS);
            if (frame != null && wanted.test(frame)) {
                return frame;
            }
        }
        throw new AssertionError("no matching frame within 10 s");
    }

    /**
     * Frames until each of {@code wanted} has matched one, within 10 s, in whatever order they come (frames from
     * different topics, typing and presence say, have no order between them), skipping the others.
     */
    @SafeVarargs
    final void all(Predicate<JsonObject>... wanted) throws InterruptedException {
        List<Predicate<JsonObject>> missing = new ArrayList<>(List.of(wanted));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!missing.isEmpty() && System.nanoTime() < deadline) {
            JsonObject frame = frames.poll(100, TimeUnit.MILLISECONDS);
            if (frame != null) {
                missing.stream().filter(w -> w.test(frame)).findFirst().ifPresent(missing::remove);
            }
        }
        assertThat(missing).as("frames that never came within 10 s").isEmpty();
    }

    /**
     * Every frame received until the answer to a ping sent now: the gateway writes a connection's frames in order,
     * so anything queued for this connection before the ping comes before its pong.
     */
    List<JsonObject> untilPong() throws InterruptedException {
        send("{\"type\":\"ping\"}");
        List<JsonObject> before = new ArrayList<>();
        while (true) {
            JsonObject frame = next();
            if ("pong".equals(frame.getString("type"))) {
                return before;
            }
            before.add(frame);
        }
    }

    static Predicate<JsonObject> type(String type) {
        return frame -> type.equals(frame.getString("type"));
    }
}
