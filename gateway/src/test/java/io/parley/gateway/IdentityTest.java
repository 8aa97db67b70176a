package io.parley.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.events.ConversationKind;
import io.parley.events.MessageData;
import io.parley.events.MessageEvent;
import io.parley.events.PresenceChanged;
import io.parley.events.PresenceRouted;
import io.parley.events.ReadMoved;
import io.parley.events.Role;
import io.parley.events.Topics;
import io.parley.events.TypingChanged;
import io.parley.events.TypingState;
import io.parley.infra.EventPublisher;
import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Everything a token decides is decided again by each token: the one of the upgrade and the one of every auth frame.
 * Deliveries are driven by events published on Kafka, as the other services publish them.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class IdentityTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @TestHTTPResource("/ws")
    URI ws;

    @Inject
    Vertx vertx;

    WebSocketClient client;
    EventPublisher events;

    @BeforeEach
    void open() {
        client = vertx.createWebSocketClient();
        events = new EventPublisher(kafka);
    }

    @AfterEach
    void close() {
        events.close();
        client.close();
    }

    @Test
    void anAdminWhoseAuthFrameSaysClientStopsReceivingEverySupportConversationAtOnce() throws Exception {
        String ann = "ann-" + UUID.randomUUID();
        String bea = "bea-" + UUID.randomUUID();
        String carl = "carl-" + UUID.randomUUID();
        UUID support = UUID.randomUUID();
        WsClient demoted = new WsClient(client, ws, TestKeys.token(ann, "admin"));
        WsClient witness = new WsClient(client, ws, TestKeys.token(bea, "admin"));

        events.publish(Topics.MESSAGES, message(support, "support", List.of(carl), carl, 1));
        demoted.next(message(support, 1));
        witness.next(message(support, 1));

        demoted.send(new JsonObject().put("type", "auth").put("ref", "a1").put("token", TestKeys.token(ann, "client")));
        JsonObject authenticated = demoted.next();
        assertThat(authenticated.getString("type")).isEqualTo("authenticated");
        assertThat(authenticated.getString("ref")).isEqualTo("a1");

        // A new message, a read receipt, typing and presence of the support conversation: the admin that stayed an
        // admin gets each; the connection whose token now says client gets none of them.
        events.publish(Topics.MESSAGES, message(support, "support", List.of(carl), carl, 2));
        events.publish(
                Topics.MESSAGES,
                ReadMoved.of(support, ConversationKind.SUPPORT, List.of(carl), carl, 2, Instant.now()));
        events.publish(
                Topics.TYPING,
                TypingChanged.of(
                        support, ConversationKind.SUPPORT, List.of(carl), carl, TypingState.START, Instant.now()));
        events.publish(
                Topics.PRESENCE,
                PresenceRouted.of(PresenceChanged.of(carl, Role.CLIENT, true, Instant.now()), List.of(), true));
        // three topics, three consumers: the frames come in any order between them
        witness.all(
                message(support, 2),
                f -> "read".equals(f.getString("type")) && carl.equals(f.getString("userId")),
                f -> "typing".equals(f.getString("type")) && carl.equals(f.getString("userId")),
                f -> "presence".equals(f.getString("type")) && carl.equals(f.getString("userId")));
        assertThat(demoted.untilPong()).noneMatch(f -> f.encode().contains(carl));
        assertThat(demoted.socket.isClosed()).isFalse();
    }

    @Test
    void aClientWhoseAuthFrameSaysAdminStartsReceivingSupportConversations() throws Exception {
        String dee = "dee-" + UUID.randomUUID();
        String carl = "carl-" + UUID.randomUUID();
        UUID support = UUID.randomUUID();
        WsClient promoted = new WsClient(client, ws, TestKeys.token(dee, "client"));
        promoted.send(new JsonObject().put("type", "auth").put("token", TestKeys.token(dee, "admin")));
        assertThat(promoted.next().getString("type")).isEqualTo("authenticated");
        events.publish(Topics.MESSAGES, message(support, "support", List.of(carl), carl, 1));
        promoted.next(message(support, 1));
    }

    @Test
    void anAuthFrameWithATokenThatNamesNoRoleIsForbiddenAndTheConnectionKeepsItsToken() throws Exception {
        String eve = "eve-" + UUID.randomUUID();
        String carl = "carl-" + UUID.randomUUID();
        UUID support = UUID.randomUUID();
        WsClient admin = new WsClient(client, ws, TestKeys.token(eve, "admin"));
        admin.send(new JsonObject().put("type", "auth").put("ref", "a2").put("token", TestKeys.token(eve, "guest")));
        JsonObject refused = admin.next();
        assertThat(refused.getString("type")).isEqualTo("error");
        assertThat(refused.getString("code")).isEqualTo("forbidden");
        assertThat(refused.getString("ref")).isEqualTo("a2");
        // still the admin it was
        events.publish(Topics.MESSAGES, message(support, "support", List.of(carl), carl, 1));
        admin.next(message(support, 1));
    }

    @Test
    void anUpgradeWithATokenThatNamesNoRoleIsRefusedWith403() {
        for (String role : List.of("guest", "")) {
            String token = TestKeys.keys().token("fay-" + UUID.randomUUID(), role, "Fay", Duration.ofMinutes(5));
            assertThatThrownBy(() -> client.connect(new WebSocketConnectOptions()
                                    .setHost(ws.getHost())
                                    .setPort(ws.getPort())
                                    .setURI(ws.getPath())
                                    .addHeader("Authorization", "Bearer " + token))
                            .toCompletionStage()
                            .toCompletableFuture()
                            .get(10, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(UpgradeRejectedException.class)
                    .rootCause()
                    .satisfies(e -> {
                        UpgradeRejectedException rejected = (UpgradeRejectedException) e;
                        assertThat(rejected.getStatus()).isEqualTo(403);
                        assertThat(rejected.getHeaders().get("Content-Type")).isEqualTo("application/problem+json");
                        assertThat(new JsonObject(rejected.getBody()).getInteger("status"))
                                .isEqualTo(403);
                    });
        }
        // and so from the query too
        String token = TestKeys.keys().token("gus-" + UUID.randomUUID(), "guest", "Gus", Duration.ofMinutes(5));
        assertThatThrownBy(() -> client.connect(new WebSocketConnectOptions()
                                .setHost(ws.getHost())
                                .setPort(ws.getPort())
                                .setURI("/ws?access_token=" + token))
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS))
                .rootCause()
                .satisfies(e ->
                        assertThat(((UpgradeRejectedException) e).getStatus()).isEqualTo(403));
    }

    static MessageEvent message(UUID conversation, String type, List<String> participants, String sender, long seq) {
        MessageData data = new MessageData(
                UUID.randomUUID(),
                conversation,
                seq,
                UUID.randomUUID().toString(),
                sender,
                Role.CLIENT,
                "Sender",
                "text",
                "hello " + seq,
                List.of(),
                Instant.now(),
                null,
                null);
        return MessageEvent.of(
                MessageEvent.CREATED, ConversationKind.fromWire(type), participants, data, Instant.now());
    }

    static Predicate<JsonObject> message(UUID conversation, long seq) {
        return f -> "message.created".equals(f.getString("type"))
                && conversation.toString().equals(f.getJsonObject("message").getString("conversationId"))
                && f.getJsonObject("message").getLong("seq") == seq;
    }
}
