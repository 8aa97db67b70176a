package io.parley.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@code send} frame with files: its {@code attachments} reach the message-service (played by {@link StubServices})
 * as {@code [{id}]}, content may then be left out, a wrong part is {@code invalid} naming its path, and the
 * message-service's refusals of an attachment keep their code and name the attachment.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StubServices.Port.class, scope = TestResourceScope.GLOBAL)
class AttachmentSendTest {

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

    private static JsonObject send(UUID conversation, Object attachments) {
        JsonObject frame = new JsonObject()
                .put("type", "send")
                .put("ref", "s")
                .put("conversationId", conversation.toString())
                .put("clientMessageId", UUID.randomUUID().toString());
        return attachments == null ? frame : frame.put("attachments", attachments);
    }

    @Test
    void filesWithoutTextReachTheMessageServiceInOrder() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        UUID conversation = UUID.randomUUID();
        WsClient connection = new WsClient(client, ws, TestKeys.token(alice, "client"));
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();

        connection.send(send(
                conversation,
                new JsonArray()
                        .add(new JsonObject().put("id", first.toString()))
                        .add(new JsonObject().put("id", second.toString().toUpperCase()))));
        JsonObject ack = connection.next();

        assertThat(ack.getString("type")).as(ack.encode()).isEqualTo("ack");
        JsonObject body = stub.sent.get(conversation);
        assertThat(body.containsKey("content")).isFalse();
        assertThat(body.getJsonArray("attachments"))
                .isEqualTo(new JsonArray()
                        .add(new JsonObject().put("id", first.toString()))
                        .add(new JsonObject().put("id", second.toString())));
        assertThat(ack.getJsonObject("message").getJsonArray("attachments")).hasSize(2);

        // with text too, both go
        connection.send(send(conversation, new JsonArray().add(new JsonObject().put("id", first.toString())))
                .put("content", "the contract"));
        assertThat(connection.next().getString("type")).isEqualTo("ack");
        assertThat(stub.sent.get(conversation).getString("content")).isEqualTo("the contract");
        assertThat(stub.sent.get(conversation).getJsonArray("attachments")).hasSize(1);

        // no files: content is needed as before, and nothing is sent about attachments
        connection.send(send(conversation, new JsonArray()));
        JsonObject refused = connection.next();
        assertThat(refused.getString("code")).isEqualTo("invalid");
        assertThat(refused.getString("field")).isEqualTo("content");
        connection.send(send(conversation, null).put("content", "plain"));
        assertThat(connection.next().getString("type")).isEqualTo("ack");
        assertThat(stub.sent.get(conversation).containsKey("attachments")).isFalse();
    }

    @Test
    void aWrongAttachmentIsInvalidNamingItsPathAndNothingIsSent() throws Exception {
        String bob = "bob-" + UUID.randomUUID();
        UUID conversation = UUID.randomUUID();
        WsClient connection = new WsClient(client, ws, TestKeys.token(bob, "client"));
        JsonObject ok = new JsonObject().put("id", UUID.randomUUID().toString());
        JsonArray eleven = new JsonArray();
        for (int i = 0; i < 11; i++) {
            eleven.add(ok);
        }
        Map<String, Object> cases = Map.of(
                "attachments", eleven,
                "attachments[1].id", new JsonArray().add(ok).add(new JsonObject().put("id", "not-a-uuid")),
                "attachments[0].id", new JsonArray().add(new JsonObject().put("id", 7)),
                "attachments[2]", new JsonArray().add(ok).add(ok).add("just-an-id"),
                "attachments[1]", new JsonArray().add(ok).add(ok.copy().put("name", "evil.exe")));
        for (Map.Entry<String, Object> c : cases.entrySet()) {
            connection.send(send(conversation, c.getValue()).put("content", "x"));
            JsonObject error = connection.next();
            assertThat(error.getString("code")).as(c.getKey()).isEqualTo("invalid");
            assertThat(error.getString("field")).as(c.getKey()).isEqualTo(c.getKey());
            assertThat(error.getString("message")).as(c.getKey()).startsWith(c.getKey());
            assertThat(error.getString("ref")).isEqualTo("s");
        }
        // an id holding NUL, as raw JSON
        connection.send("{\"type\":\"send\",\"ref\":\"n\",\"conversationId\":\"" + conversation
                + "\",\"clientMessageId\":\"" + UUID.randomUUID() + "\",\"attachments\":[{\"id\":\""
                + FrameFaultsTest.NUL + "\"}]}");
        JsonObject nul = connection.next();
        assertThat(nul.getString("code")).isEqualTo("invalid");
        assertThat(nul.getString("field")).isEqualTo("attachments[0].id");
        assertThat(stub.sent).doesNotContainKey(conversation);
    }

    @Test
    void theMessageServicesRefusalsOfAnAttachmentKeepTheirCodeAndNameIt() throws Exception {
        String carol = "carol-" + UUID.randomUUID();
        WsClient connection = new WsClient(client, ws, TestKeys.token(carol, "client"));
        String json = "application/problem+json";
        Map<StubServices.Answer, List<String>> cases = Map.of(
                new StubServices.Answer(
                        400,
                        json,
                        StubServices.problem(400, "attachments[1] is not an upload of yours in this conversation.")),
                List.of("invalid", "attachments[1]"),
                new StubServices.Answer(
                        409, json, StubServices.problem(409, "attachments[0] is attached to another message.")),
                List.of("conflict", "attachments[0]"));
        for (Map.Entry<StubServices.Answer, List<String>> c : cases.entrySet()) {
            UUID conversation = UUID.randomUUID();
            stub.sendAnswers.put(conversation, c.getKey());
            connection.send(send(
                    conversation,
                    new JsonArray()
                            .add(new JsonObject().put("id", UUID.randomUUID().toString()))
                            .add(new JsonObject().put("id", UUID.randomUUID().toString()))));
            JsonObject error = connection.next();
            assertThat(error.getString("type")).isEqualTo("error");
            assertThat(error.getString("code")).isEqualTo(c.getValue().get(0));
            assertThat(error.getString("field")).isEqualTo(c.getValue().get(1));
            assertThat(error.getString("message")).startsWith(c.getValue().get(1) + " is");
            assertThat(error.getString("ref")).isEqualTo("s");
        }
    }
}
