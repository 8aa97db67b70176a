package io.parley.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.DevKeys;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A user of a running stack, as an app is: a token of its own, REST through the gateway, and a WebSocket whose frames
 * it reads in order (frames of other types met while looking for one stay in {@link #backlog}).
 */
class StackClient implements AutoCloseable {

    final StackUnderTest stack;
    final String userId;
    final String token;
    final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    /** Frames read while looking for another type, in arrival order. */
    final List<JsonObject> backlog = new ArrayList<>();

    WebSocket socket;

    StackClient(StackUnderTest stack, DevKeys keys, String role) {
        this(stack, keys, "user-" + UUID.randomUUID(), role);
    }

    StackClient(StackUnderTest stack, DevKeys keys, String userId, String role) {
        this.stack = stack;
        this.userId = userId;
        this.token = keys.token(
                userId,
                role,
                "User " + userId.substring(Math.min(5, userId.length()), Math.min(9, userId.length())),
                Duration.ofHours(1));
    }

    /** Opens the WebSocket and reads the welcome. */
    StackClient connect() throws Exception {
        socket = stack.openSocket(token, frames);
        assertThat(next().getString("type")).isEqualTo("welcome");
        return this;
    }

    /** The next frame, within 10 seconds. */
    JsonObject next() throws InterruptedException {
        String frame = frames.poll(10, TimeUnit.SECONDS);
        assertThat(frame).as("a frame within 10 s").isNotNull();
        return new JsonObject(frame);
    }

    /** The next frame of {@code type}; frames of other types stay in the backlog, in order. */
    JsonObject next(String type) throws InterruptedException {
        for (int i = 0; i < backlog.size(); i++) {
            if (type.equals(backlog.get(i).getString("type"))) {
                return backlog.remove(i);
            }
        }
        while (true) {
            JsonObject frame = next();
            if (type.equals(frame.getString("type"))) {
                return frame;
            }
            backlog.add(frame);
        }
    }

    /** Every frame received so far and not yet taken, waiting {@code quiet} for more. */
    List<JsonObject> drain(Duration quiet) throws InterruptedException {
        List<JsonObject> all = new ArrayList<>(backlog);
        backlog.clear();
        for (String f; (f = frames.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null; ) {
            all.add(new JsonObject(f));
        }
        return all;
    }

    /** Writes one frame. */
    void write(JsonObject frame) throws Exception {
        socket.sendText(frame.encode(), true).get(5, TimeUnit.SECONDS);
    }

    /** Sends a message over the WebSocket and answers the stored message from its ack. */
    JsonObject send(String conversationId, String content) throws Exception {
        String ref = UUID.randomUUID().toString();
        write(new JsonObject()
                .put("type", "send")
                .put("ref", ref)
                .put("conversationId", conversationId)
                .put("clientMessageId", UUID.randomUUID().toString())
                .put("content", content));
        JsonObject ack = next("ack");
        assertThat(ack.getString("ref")).isEqualTo(ref);
        return ack.getJsonObject("message");
    }

    HttpResponse<String> get(String path) throws Exception {
        return StackUnderTest.get(stack.port("GATEWAY"), path, token);
    }

    HttpResponse<String> post(String path, JsonObject body) throws Exception {
        return StackUnderTest.post(stack.port("GATEWAY"), path, token, body.encode());
    }

    HttpResponse<String> request(String method, String path, String json) throws Exception {
        return StackUnderTest.HTTP.send(
                java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + stack.port("GATEWAY") + path))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                json == null
                                        ? java.net.http.HttpRequest.BodyPublishers.noBody()
                                        : java.net.http.HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        if (socket != null && !socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        }
    }
}
