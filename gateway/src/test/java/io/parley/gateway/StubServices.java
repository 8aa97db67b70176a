package io.parley.gateway;

import io.parley.infra.FreePort;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for the conversation-service and the message-service on one port, for the tests that need them to
 * answer: the test says which conversations exist with whom, what history they hold, and what a send or a read
 * answers. The port is handed out by {@link Port}, the test resource, so that the gateway is configured with it
 * before it starts; a test starts the server and stops it, and between tests nothing listens there (the gateway then
 * finds both services unreachable, as the other tests expect).
 */
final class StubServices implements AutoCloseable {

    /** Reserves the port and points the gateway's conversation and message URLs at it. */
    public static final class Port implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            String url = "http://127.0.0.1:" + FreePort.find();
            return Map.of("parley.conversation.url", url, "parley.message.url", url, "parley.test.stub-url", url);
        }

        @Override
        public void stop() {}
    }

    /** A conversation as the conversation-service answers it. */
    record Conversation(String type, List<String> participants) {}

    /** A canned answer: status, content type and body. */
    record Answer(int status, String contentType, String body) {}

    final Map<UUID, Conversation> conversations = new ConcurrentHashMap<>();
    final Map<UUID, List<JsonObject>> history = new ConcurrentHashMap<>();
    /** The body of the last send to each conversation, as the message-service received it. */
    final Map<UUID, JsonObject> sent = new ConcurrentHashMap<>();
    /** What a send to a conversation answers, instead of storing it. */
    final Map<UUID, Answer> sendAnswers = new ConcurrentHashMap<>();
    /** What a read in a conversation answers, instead of 204. */
    final Map<UUID, Answer> readAnswers = new ConcurrentHashMap<>();
    /** What a history request of a conversation answers, instead of its history. */
    final Map<UUID, Answer> historyAnswers = new ConcurrentHashMap<>();

    private final HttpServer server;

    private static final Pattern CONVERSATION = Pattern.compile("^/api/conversations/([^/]+)(/(messages|read))?$");

    StubServices(Vertx vertx, int port) throws Exception {
        server = vertx.createHttpServer()
                .requestHandler(this::handle)
                .listen(port, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            Matcher m = CONVERSATION.matcher(request.path());
            UUID id = m.matches() ? uuid(m.group(1)) : null;
            if (id == null) {
                answer(request, new Answer(404, "application/problem+json", problem(404, "No such conversation.")));
                return;
            }
            String part = m.group(3);
            if (part == null && "GET".equals(request.method().name())) {
                Conversation c = conversations.get(id);
                answer(
                        request,
                        mayView(c, request)
                                ? new Answer(
                                        200,
                                        "application/json",
                                        new JsonObject()
                                                .put("id", id.toString())
                                                .put("type", c.type())
                                                .put("participants", new JsonArray(c.participants()))
                                                .encode())
                                : new Answer(404, "application/problem+json", problem(404, "No such conversation.")));
            } else if ("messages".equals(part) && "POST".equals(request.method().name())) {
                Answer canned = sendAnswers.get(id);
                if (canned != null) {
                    answer(request, canned);
                    return;
                }
                JsonObject sent = body.toJsonObject();
                this.sent.put(id, sent);
                answer(
                        request,
                        new Answer(
                                201,
                                "application/json",
                                new JsonObject()
                                        .put("id", UUID.randomUUID().toString())
                                        .put("conversationId", id.toString())
                                        .put("seq", 1)
                                        .put("clientMessageId", sent.getString("clientMessageId"))
                                        .put("content", sent.getString("content"))
                                        .put("attachments", sent.getJsonArray("attachments", new JsonArray()))
                                        .encode()));
            } else if ("messages".equals(part)) {
                Answer canned = historyAnswers.get(id);
                if (canned != null) {
                    answer(request, canned);
                    return;
                }
                List<JsonObject> messages = history.get(id);
                if (messages == null || !mayView(conversations.get(id), request)) {
                    answer(request, new Answer(404, "application/problem+json", problem(404, "No such conversation.")));
                    return;
                }
                long after = Long.parseLong(request.getParam("afterSeq", "0"));
                JsonArray items = new JsonArray();
                messages.stream().filter(msg -> msg.getLong("seq") > after).forEach(items::add);
                answer(
                        request,
                        new Answer(
                                200,
                                "application/json",
                                new JsonObject()
                                        .put("items", items)
                                        .put("hasMore", false)
                                        .encode()));
            } else if ("read".equals(part)) {
                answer(request, readAnswers.getOrDefault(id, new Answer(204, "application/json", "")));
            } else {
                answer(request, new Answer(405, "application/problem+json", problem(405, "Not allowed.")));
            }
        });
    }

    private static boolean mayView(Conversation c, HttpServerRequest request) {
        if (c == null) {
            return false;
        }
        JsonObject claims = claims(request.getHeader("Authorization"));
        return c.participants().contains(claims.getString("sub"))
                || ("support".equals(c.type())
                        && claims.getJsonArray("groups", new JsonArray()).contains("admin"));
    }

    /** The token's claims, unverified: the gateway verified it, and this stub only reads who it is. */
    private static JsonObject claims(String authorization) {
        String[] parts = authorization.substring("Bearer ".length()).split("\\.");
        return new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    }

    static String problem(int status, String detail) {
        return new JsonObject()
                .put("type", "about:blank")
                .put("status", status)
                .put("detail", detail)
                .encode();
    }

    private static void answer(HttpServerRequest request, Answer answer) {
        request.response()
                .setStatusCode(answer.status())
                .putHeader("Content-Type", answer.contentType())
                .end(answer.body());
    }

    private static UUID uuid(String s) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A stored message of {@code conversation}, as the message-service answers it. */
    static JsonObject message(UUID conversation, long seq, String sender) {
        return new JsonObject()
                .put("id", UUID.randomUUID().toString())
                .put("conversationId", conversation.toString())
                .put("seq", seq)
                .put("clientMessageId", UUID.randomUUID().toString())
                .put("senderId", sender)
                .put("senderRole", "client")
                .put("senderName", sender)
                .put("type", "text")
                .put("content", "message " + seq)
                .put("attachments", new JsonArray());
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
