package io.parley.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Frames with a bad part: the part is named, and what can be done with the rest is done. The conversation-service
 * and the message-service are played by {@link StubServices}.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StubServices.Port.class, scope = TestResourceScope.GLOBAL)
class FrameFaultsTest {

    /** A JSON string escape that Java's own escapes would turn into the character itself. */
    static final String NUL = "a\\" + "u0000b";

    static final String LONE_SURROGATE = "x\\" + "uD800y";

    @TestHTTPResource("/ws")
    URI ws;

    @ConfigProperty(name = "parley.test.stub-url")
    URI stubUrl;

    @Inject
    Vertx vertx;

    WebSocketClient client;
    StubServices stub;

    @BeforeEach
    void open() throws Exception {
        client = vertx.createWebSocketClient();
        stub = new StubServices(vertx, stubUrl.getPort());
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        stub.close();
    }

    @Test
    void aResumeWithBadPositionsAnswersEachAndReplaysTheOthers() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID notHers = UUID.randomUUID();
        stub.conversations.put(first, new StubServices.Conversation("group", List.of(alice)));
        stub.conversations.put(second, new StubServices.Conversation("group", List.of(alice)));
        stub.conversations.put(notHers, new StubServices.Conversation("group", List.of("someone-else")));
        stub.history.put(
                first,
                List.of(
                        StubServices.message(first, 1, alice),
                        StubServices.message(first, 2, alice),
                        StubServices.message(first, 3, alice)));
        stub.history.put(
                second, List.of(StubServices.message(second, 1, alice), StubServices.message(second, 2, alice)));
        stub.history.put(notHers, List.of(StubServices.message(notHers, 1, "someone-else")));
        WsClient connection = new WsClient(client, ws, TestKeys.token(alice, "client"));

        connection.send("{\"type\":\"resume\",\"ref\":\"r1\",\"positions\":{"
                + "\"" + first + "\":1,"
                + "\"not-a-uuid\":0,"
                + "\"" + second + "\":-1,"
                + "\"" + second.toString().toUpperCase() + "\":0,"
                + "\"" + UUID.randomUUID() + "\":2.5,"
                + "\"" + NUL + "\":0,"
                + "\"" + notHers + "\":0}}");
        List<JsonObject> frames = new ArrayList<>();
        JsonObject frame;
        do {
            frame = connection.next();
            frames.add(frame);
        } while (!"resumed".equals(frame.getString("type")));

        assertThat(frame.getString("ref")).isEqualTo("r1");
        assertThat(frames)
                .filteredOn(f -> "message.created".equals(f.getString("type")))
                .extracting(f -> f.getJsonObject("message").getString("conversationId") + "#"
                        + f.getJsonObject("message").getLong("seq"))
                .containsExactly(first + "#2", first + "#3", second + "#1", second + "#2");
        List<JsonObject> errors =
                frames.stream().filter(f -> "error".equals(f.getString("type"))).toList();
        assertThat(errors).allSatisfy(e -> assertThat(e.getString("ref")).isEqualTo("r1"));
        assertThat(errors).anySatisfy(e -> {
            assertThat(e.getString("code")).isEqualTo("not_found");
            assertThat(e.getString("conversationId")).isEqualTo("not-a-uuid");
        });
        assertThat(errors).anySatisfy(e -> {
            assertThat(e.getString("code")).isEqualTo("not_found");
            assertThat(e.getString("conversationId")).isEqualTo(notHers.toString());
        });
        assertThat(errors).anySatisfy(e -> {
            assertThat(e.getString("code")).isEqualTo("invalid");
            assertThat(e.getString("conversationId")).isEqualTo(second.toString());
        });
        assertThat(errors)
                .filteredOn(e -> "invalid".equals(e.getString("code")))
                .hasSize(3)
                .allSatisfy(e -> assertThat(e.getString("field")).isEqualTo("positions"));
        assertThat(errors).hasSize(5);
    }

    @Test
    void everyTextFieldWithNulOrALoneSurrogateIsRefusedNamingTheField() throws Exception {
        String bob = "bob-" + UUID.randomUUID();
        UUID conversation = UUID.randomUUID();
        stub.conversations.put(conversation, new StubServices.Conversation("group", List.of(bob)));
        WsClient connection = new WsClient(client, ws, TestKeys.token(bob, "client"));
        String id = "\"" + conversation + "\"";
        String cmid = "\"" + UUID.randomUUID() + "\"";
        for (String bad : List.of(NUL, LONE_SURROGATE)) {
            String b = "\"" + bad + "\"";
            Map<String, String> frames = Map.of(
                    "content",
                            "{\"type\":\"send\",\"ref\":\"s\",\"conversationId\":" + id + ",\"clientMessageId\":" + cmid
                                    + ",\"content\":" + b + "}",
                    "clientMessageId",
                            "{\"type\":\"send\",\"ref\":\"s\",\"conversationId\":" + id + ",\"clientMessageId\":" + b
                                    + ",\"content\":\"hi\"}",
                    "conversationId",
                            "{\"type\":\"send\",\"ref\":\"s\",\"conversationId\":" + b + ",\"clientMessageId\":" + cmid
                                    + ",\"content\":\"hi\"}",
                    "state", "{\"type\":\"typing\",\"ref\":\"s\",\"conversationId\":" + id + ",\"state\":" + b + "}",
                    "token", "{\"type\":\"auth\",\"ref\":\"s\",\"token\":" + b + "}",
                    "type", "{\"type\":" + b + ",\"ref\":\"s\"}");
            for (Map.Entry<String, String> entry : frames.entrySet()) {
                connection.send(entry.getValue());
                JsonObject error = connection.next();
                assertThat(error.getString("code")).as(entry.getValue()).isEqualTo("invalid");
                assertThat(error.getString("field")).as(entry.getValue()).isEqualTo(entry.getKey());
                assertThat(error.getString("message")).as(entry.getValue()).contains(entry.getKey());
                assertThat(error.getString("ref")).as(entry.getValue()).isEqualTo("s");
            }
            for (String type : List.of("typing", "read")) {
                connection.send("{\"type\":\"" + type + "\",\"ref\":\"s\",\"conversationId\":" + b
                        + ",\"state\":\"start\",\"seq\":1}");
                JsonObject error = connection.next();
                assertThat(error.getString("code")).as(type).isEqualTo("invalid");
                assertThat(error.getString("field")).as(type).isEqualTo("conversationId");
            }
            connection.send("{\"type\":\"ping\",\"ref\":" + b + "}");
            JsonObject error = connection.next();
            assertThat(error.getString("code")).isEqualTo("invalid");
            assertThat(error.getString("field")).isEqualTo("ref");
            assertThat(error.containsKey("ref")).isFalse();
        }
        // Everything else round-trips exactly: right-to-left and zero-width marks, emoji, other control characters.
        String odd = "\u200F\u05E9\u05DC\u05D5\u05DD \u200B\uD83D\uDC4D \u0007\u001B end";
        connection.send(new JsonObject()
                .put("type", "send")
                .put("ref", "ok")
                .put("conversationId", conversation.toString())
                .put("clientMessageId", UUID.randomUUID().toString())
                .put("content", odd));
        JsonObject ack = connection.next();
        assertThat(ack.getString("type")).isEqualTo("ack");
        assertThat(ack.getJsonObject("message").getString("content")).isEqualTo(odd);
        assertThat(connection.socket.isClosed()).isFalse();
    }

    /** Browsers compress their frames (permessage-deflate, RFC 7692): text is checked as sent, after decompression. */
    @Test
    void aCompressingClientIsReadAsItWroteAndItsBadTextStillRefused() throws Exception {
        String bob = "bob-" + UUID.randomUUID();
        UUID conversation = UUID.randomUUID();
        stub.conversations.put(conversation, new StubServices.Conversation("group", List.of(bob)));
        WebSocketClient deflating = vertx.createWebSocketClient(
                new io.vertx.core.http.WebSocketClientOptions().setTryUsePerMessageCompression(true));
        try {
            WsClient connection = new WsClient(deflating, ws, TestKeys.token(bob, "client"));
            connection.send(new JsonObject().put("type", "ping").put("ref", "p1"));
            JsonObject pong = connection.next();
            assertThat(pong.getString("type")).isEqualTo("pong");
            assertThat(pong.getString("ref")).isEqualTo("p1");
            connection.send("{\"type\":\"ping\",\"ref\":1e400}");
            assertThat(connection.next().getString("field")).isEqualTo("ref");
            String odd = "\u200F\u05E9 \uD83D\uDC4D \u0007 end " + "x".repeat(2_000);
            connection.send(new JsonObject()
                    .put("type", "send")
                    .put("ref", "ok")
                    .put("conversationId", conversation.toString())
                    .put("clientMessageId", UUID.randomUUID().toString())
                    .put("content", odd));
            JsonObject ack = connection.next();
            assertThat(ack.getString("type")).as(ack.encode()).isEqualTo("ack");
            assertThat(ack.getJsonObject("message").getString("content")).isEqualTo(odd);
            connection.send("{\"type\":\"send\",\"ref\":\"s\",\"conversationId\":\"" + conversation
                    + "\",\"clientMessageId\":\"" + UUID.randomUUID() + "\",\"content\":\"" + NUL + "\"}");
            JsonObject error = connection.next();
            assertThat(error.getString("code")).isEqualTo("invalid");
            assertThat(error.getString("field")).isEqualTo("content");
        } finally {
            deflating.close();
        }
    }

    @Test
    void anIdThatIsNotAUuidNamesNoConversationAndAMissingFieldIsNamed() throws Exception {
        WsClient connection = new WsClient(client, ws, TestKeys.token("cy-" + UUID.randomUUID(), "client"));
        for (String frame : List.of(
                "{\"type\":\"send\",\"ref\":\"n\",\"conversationId\":\"nope\",\"clientMessageId\":\""
                        + UUID.randomUUID() + "\",\"content\":\"hi\"}",
                "{\"type\":\"typing\",\"ref\":\"n\",\"conversationId\":\"nope\",\"state\":\"start\"}",
                "{\"type\":\"read\",\"ref\":\"n\",\"conversationId\":\"nope\",\"seq\":1}")) {
            connection.send(frame);
            JsonObject error = connection.next();
            assertThat(error.getString("code")).as(frame).isEqualTo("not_found");
            assertThat(error.getString("conversationId")).as(frame).isEqualTo("nope");
            assertThat(error.getString("ref")).as(frame).isEqualTo("n");
        }
        Map<String, String> missing = Map.of(
                "content",
                        "{\"type\":\"send\",\"ref\":\"m\",\"conversationId\":\"" + UUID.randomUUID()
                                + "\",\"clientMessageId\":\"" + UUID.randomUUID() + "\"}",
                "clientMessageId",
                        "{\"type\":\"send\",\"ref\":\"m\",\"conversationId\":\"" + UUID.randomUUID()
                                + "\",\"clientMessageId\":\"not-a-uuid\",\"content\":\"hi\"}",
                "state",
                        "{\"type\":\"typing\",\"ref\":\"m\",\"conversationId\":\"" + UUID.randomUUID()
                                + "\",\"state\":\"maybe\"}",
                "seq",
                        "{\"type\":\"read\",\"ref\":\"m\",\"conversationId\":\"" + UUID.randomUUID()
                                + "\",\"seq\":\"7\"}",
                "positions", "{\"type\":\"resume\",\"ref\":\"m\",\"positions\":[]}",
                "token", "{\"type\":\"auth\",\"ref\":\"m\",\"token\":42}");
        for (Map.Entry<String, String> entry : missing.entrySet()) {
            connection.send(entry.getValue());
            JsonObject error = connection.next();
            assertThat(error.getString("code")).as(entry.getValue()).isEqualTo("invalid");
            assertThat(error.getString("field")).as(entry.getValue()).isEqualTo(entry.getKey());
            assertThat(error.getString("ref")).as(entry.getValue()).isEqualTo("m");
        }
    }

    @Test
    void aRefusalOfTheMessageServiceKeepsItsMeaningAndOnlyA5xxIsUnavailable() throws Exception {
        String dora = "dora-" + UUID.randomUUID();
        WsClient connection = new WsClient(client, ws, TestKeys.token(dora, "client"));
        String json = "application/problem+json";
        Map<StubServices.Answer, String> cases = Map.of(
                new StubServices.Answer(400, json, StubServices.problem(400, "content contains U+0000 (NUL).")),
                "invalid",
                new StubServices.Answer(400, "text/html", "<html>bad request</html>"),
                "invalid",
                new StubServices.Answer(422, json, StubServices.problem(422, "Unprocessable.")),
                "invalid",
                new StubServices.Answer(413, json, StubServices.problem(413, "Too long.")),
                "too_large",
                new StubServices.Answer(409, json, StubServices.problem(409, "Used elsewhere.")),
                "conflict",
                new StubServices.Answer(404, json, StubServices.problem(404, "No such conversation.")),
                "not_found",
                new StubServices.Answer(403, json, StubServices.problem(403, "Forbidden.")),
                "forbidden",
                new StubServices.Answer(500, json, StubServices.problem(500, "Oops.")),
                "unavailable",
                new StubServices.Answer(502, "text/html", "<html>bad gateway</html>"),
                "unavailable");
        for (Map.Entry<StubServices.Answer, String> entry : cases.entrySet()) {
            UUID conversation = UUID.randomUUID();
            stub.sendAnswers.put(conversation, entry.getKey());
            stub.readAnswers.put(conversation, entry.getKey());
            connection.send(new JsonObject()
                    .put("type", "send")
                    .put("ref", "s")
                    .put("conversationId", conversation.toString())
                    .put("clientMessageId", UUID.randomUUID().toString())
                    .put("content", "x"));
            JsonObject sent = connection.next();
            assertThat(sent.getString("code"))
                    .as("send answered " + entry.getKey())
                    .isEqualTo(entry.getValue());
            if ("not_found".equals(entry.getValue())) {
                // like every not_found of a conversation, it names the conversation
                assertThat(sent.getString("conversationId")).isEqualTo(conversation.toString());
            }
            connection.send(new JsonObject()
                    .put("type", "read")
                    .put("ref", "r")
                    .put("conversationId", conversation.toString())
                    .put("seq", 1));
            JsonObject read = connection.next();
            assertThat(read.getString("code"))
                    .as("read answered " + entry.getKey())
                    .isEqualTo(entry.getValue());
        }
    }

    @Test
    void aRemovedParticipantStopsGettingTypingAndTheirTypingStopsAtOnce() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        String carol = "carol-" + UUID.randomUUID();
        UUID group = UUID.randomUUID();
        stub.conversations.put(group, new StubServices.Conversation("group", List.of(alice, bob, carol)));
        WsClient a = new WsClient(client, ws, TestKeys.token(alice, "client"));
        WsClient b = new WsClient(client, ws, TestKeys.token(bob, "client"));
        WsClient c = new WsClient(client, ws, TestKeys.token(carol, "client"));
        JsonObject typing = new JsonObject()
                .put("type", "typing")
                .put("conversationId", group.toString())
                .put("state", "start");

        a.send(typing);
        b.next(f -> "typing".equals(f.getString("type")) && alice.equals(f.getString("userId")));
        c.next(f -> "typing".equals(f.getString("type")) && alice.equals(f.getString("userId")));

        // The conversation-service answers the removal once it is committed: from then on it answers without bob.
        stub.conversations.put(group, new StubServices.Conversation("group", List.of(alice, carol)));

        a.send(typing.copy().put("state", "stop"));
        c.next(f -> "typing".equals(f.getString("type"))
                && alice.equals(f.getString("userId"))
                && "stop".equals(f.getString("state")));
        b.send(typing.copy().put("ref", "t"));
        JsonObject refused = b.next(f -> "error".equals(f.getString("type")));
        assertThat(refused.getString("code")).isEqualTo("not_found");
        assertThat(refused.getString("ref")).isEqualTo("t");
        c.send(typing);
        a.next(f -> "typing".equals(f.getString("type")) && carol.equals(f.getString("userId")));
        assertThat(b.untilPong()).noneMatch(f -> "typing".equals(f.getString("type")));
        assertThat(a.untilPong()).noneMatch(f -> bob.equals(f.getString("userId")));
        assertThat(c.untilPong()).noneMatch(f -> bob.equals(f.getString("userId")));
    }

    @Test
    void aTextFrameThatIsNotUtf8IsRefusedAndTheConnectionStaysOpen() throws Exception {
        String fred = "fred-" + UUID.randomUUID();
        UUID conversation = UUID.randomUUID();
        stub.conversations.put(conversation, new StubServices.Conversation("group", List.of(fred)));
        try (RawWsClient raw = new RawWsClient(ws, TestKeys.token(fred, "client"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> raw.texts.size() == 1); // the welcome
            byte[] prefix = ("{\"type\":\"send\",\"ref\":\"u\",\"conversationId\":\"" + conversation
                            + "\",\"clientMessageId\":\"" + UUID.randomUUID() + "\",\"content\":\"a")
                    .getBytes(StandardCharsets.UTF_8);
            byte[] suffix = "b\"}".getBytes(StandardCharsets.UTF_8);
            // a lone continuation byte, an overlong '/', and an encoded surrogate (U+D800): none is UTF-8
            for (byte[] bad : List.of(new byte[] {(byte) 0x80}, new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {
                (byte) 0xED, (byte) 0xA0, (byte) 0x80
            })) {
                java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream();
                frame.write(prefix);
                frame.write(bad);
                frame.write(suffix);
                int before = raw.texts.size();
                raw.sendFrame(RawWsClient.TEXT, frame.toByteArray());
                await().atMost(Duration.ofSeconds(10)).until(() -> raw.texts.size() > before);
                JsonObject error = new JsonObject(new ArrayList<>(raw.texts).get(before));
                assertThat(error.getString("type")).isEqualTo("error");
                assertThat(error.getString("code")).isEqualTo("invalid");
            }
            raw.sendFrame(0x2, new byte[] {1, 2, (byte) 0xFF}); // a binary frame: not of this protocol, ignored
            raw.sendText("{\"type\":\"ping\"}");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> raw.texts.stream().anyMatch(t -> t.contains("pong")));
            assertThat(raw.ended).isNotDone();
            assertThat(raw.opcodes).doesNotContain(RawWsClient.CLOSE);
        }
    }
}
