package io.parley.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.gateway.protocol.Decoded;
import io.parley.gateway.protocol.FrameCodec;
import io.parley.gateway.protocol.ServerFrame;
import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.parley.infra.fuzz.Frames;
import io.parley.infra.fuzz.Inputs;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Generated frames ({@link Frames#frame}) over one real WebSocket (docs/reliability.md): the connection
 * stays open throughout, each frame the decoder refuses is answered with the error frame of docs/api.md (its code,
 * its field, its ref), every other answer is a documented frame with a documented code, and a valid send afterwards
 * is acknowledged. The conversation-service and the message-service are played by {@link StubServices}.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StubServices.Port.class, scope = TestResourceScope.GLOBAL)
class GeneratedFramesOverSocketTest {

    /** Frames per run (times {@code -Dparley.fuzz.scale}). */
    private static final int FRAMES = 400;

    /** Below the 64 KiB frame limit, over which the connection is closed (1009) as documented. */
    private static final int MAX_FRAME_BYTES = 60_000;

    /** The codes docs/api.md lets an error frame carry. */
    private static final Set<String> CODES = Set.of(
            "invalid",
            "not_found",
            "unauthorized",
            "forbidden",
            "conflict",
            "too_large",
            "rate_limited",
            "unavailable");

    /** The frames docs/api.md says a connection may receive. */
    private static final Set<String> TYPES = Set.of(
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

    @TestHTTPResource("/ws")
    URI ws;

    @ConfigProperty(name = "parley.test.stub-url")
    URI stubUrl;

    @Inject
    Vertx vertx;

    @Test
    void aSocketFedGeneratedFramesAnswersEachAsDocumentedAndStaysOpen() throws Exception {
        long seed = Inputs.seed();
        Inputs in = new Inputs(seed);
        String alice = "alice-" + UUID.randomUUID();
        UUID hers = UUID.randomUUID();
        WebSocketClient client = vertx.createWebSocketClient();
        try (StubServices stub = new StubServices(vertx, stubUrl.getPort())) {
            stub.conversations.put(hers, new StubServices.Conversation("group", List.of(alice)));
            WsClient connection = new WsClient(client, ws, TestKeys.token(alice, "client"));

            int frames = Inputs.scaled(FRAMES);
            int sent = 0;
            Map<String, Integer> answered = new TreeMap<>();
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < frames; i++) {
                String frame = Frames.frame(in);
                if (frame.getBytes(StandardCharsets.UTF_8).length > MAX_FRAME_BYTES) {
                    continue;
                }
                connection.send(frame);
                sent++;
                String probe = "probe-" + i;
                connection.send("{\"type\":\"ping\",\"ref\":\"" + probe + "\"}");
                List<JsonObject> before = new ArrayList<>();
                JsonObject answer;
                while (!(answer = connection.next()).getString("type").equals("pong")
                        || !probe.equals(answer.getString("ref"))) {
                    before.add(answer);
                }
                for (JsonObject f : before) {
                    answered.merge(
                            f.getString("type")
                                    + ("error".equals(f.getString("type")) ? ":" + f.getString("code") : ""),
                            1,
                            Integer::sum);
                    String wrong = undocumented(f);
                    if (wrong != null) {
                        failures.add(wrong + ": " + f.encode() + "\n    after frame: " + clip(frame));
                    }
                }
                if (FrameCodec.decode(frame) instanceof Decoded.Refused refused) {
                    ServerFrame.Error expected = refused.error();
                    boolean answeredAsDocumented = before.stream()
                            .anyMatch(f -> "error".equals(f.getString("type"))
                                    && expected.code().equals(f.getString("code"))
                                    && Objects.equals(expected.field(), f.getString("field"))
                                    && Objects.equals(expected.ref(), f.getString("ref")));
                    if (!answeredAsDocumented) {
                        failures.add("no error " + expected.code() + " naming " + expected.field() + " in " + before
                                + "\n    after frame: " + clip(frame));
                    }
                }
                assertThat(connection.closed)
                        .as("the connection, after frame " + clip(frame))
                        .isNotDone();
            }
            System.out.println("[fuzz] gateway WebSocket: " + sent + " generated frames on one connection, seed " + seed
                    + " (replay with -D" + Inputs.SEED_PROPERTY + "=" + seed + "), answers " + answered);
            assertThat(failures)
                    .as("answers to generated frames (seed " + seed + ")")
                    .isEmpty();

            // the connection still works: a valid send is stored and acknowledged
            // (the generated sends may have used this second's allowance: wait as a rate_limited answer says)
            String clientMessageId = UUID.randomUUID().toString();
            JsonObject ack;
            int tries = 0;
            do {
                connection.send(new JsonObject()
                        .put("type", "send")
                        .put("ref", "after-fuzz")
                        .put("conversationId", hers.toString())
                        .put("clientMessageId", clientMessageId)
                        .put("content", "still here \u202E\uD83D\uDE00"));
                ack = connection.next(f -> "after-fuzz".equals(f.getString("ref")));
                if ("rate_limited".equals(ack.getString("code"))) {
                    Thread.sleep(ack.getLong("retryAfterMs", 100L));
                }
            } while ("rate_limited".equals(ack.getString("code")) && ++tries < 10);
            assertThat(ack.getString("type")).isEqualTo("ack");
            assertThat(ack.getJsonObject("message").getString("content")).isEqualTo("still here \u202E\uD83D\uDE00");
            assertThat(connection.closed).isNotDone();
        } finally {
            client.close();
        }
    }

    /** What is not documented about a frame the gateway sent, or null. */
    private static String undocumented(JsonObject frame) {
        String type = frame.getString("type");
        if (!TYPES.contains(type)) {
            return "an undocumented frame type";
        }
        if ("error".equals(type) && !CODES.contains(frame.getString("code"))) {
            return "an undocumented error code";
        }
        return null;
    }

    private static String clip(String s) {
        String cut = s.length() > 200 ? s.substring(0, 200) + "...(" + s.length() + " chars)" : s;
        StringBuilder out = new StringBuilder();
        for (char c : cut.toCharArray()) {
            out.append(c < 0x20 || Character.isSurrogate(c) ? String.format("\\u%04X", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }
}
