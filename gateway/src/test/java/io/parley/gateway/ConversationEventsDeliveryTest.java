package io.parley.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.events.ConversationCreated;
import io.parley.events.ConversationKind;
import io.parley.events.ParticipantAdded;
import io.parley.events.ParticipantRemoved;
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
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Conversation and membership changes reach the connections of those they concern, and nobody else's; a removal
 * stops the conversation's typing for the removed user at once. Driven by events published on Kafka, as the
 * conversation-service publishes them.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class ConversationEventsDeliveryTest {

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
    void aNewConversationReachesItsParticipantsAndForSupportEveryAdminOnly() throws Exception {
        String ann = "ann-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        String cy = "cy-" + UUID.randomUUID();
        String admin = "admin-" + UUID.randomUUID();
        WsClient annA = connect(ann, "client");
        WsClient annB = connect(ann, "client");
        WsClient bobC = connect(bob, "expert");
        WsClient cyC = connect(cy, "client");
        WsClient adminC = connect(admin, "admin");

        UUID group = UUID.randomUUID();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        events.publish(
                Topics.CONVERSATIONS,
                ConversationCreated.of(group, ConversationKind.GROUP, "Team", ann, List.of(ann, bob), at));
        for (WsClient to : List.of(annA, annB, bobC)) {
            JsonObject frame = to.next(created(group));
            JsonObject c = frame.getJsonObject("conversation");
            assertThat(frame.fieldNames()).containsExactlyInAnyOrder("type", "conversation");
            assertThat(c.getString("type")).isEqualTo("group");
            assertThat(c.getString("title")).isEqualTo("Team");
            assertThat(c.getJsonArray("participants")).containsExactly(ann, bob);
            assertThat(c.getString("createdBy")).isEqualTo(ann);
            assertThat(Instant.parse(c.getString("createdAt"))).isEqualTo(at);
        }
        assertThat(cyC.untilPong()).noneMatch(f -> f.encode().contains(group.toString()));
        assertThat(adminC.untilPong()).noneMatch(f -> f.encode().contains(group.toString()));

        UUID support = UUID.randomUUID();
        events.publish(
                Topics.CONVERSATIONS,
                ConversationCreated.of(support, ConversationKind.SUPPORT, null, cy, List.of(cy), at));
        JsonObject toCy = cyC.next(created(support));
        assertThat(toCy.getJsonObject("conversation").getString("title")).isNull();
        assertThat(toCy.getJsonObject("conversation").getString("type")).isEqualTo("support");
        adminC.next(created(support));
        assertThat(annA.untilPong()).noneMatch(f -> f.encode().contains(support.toString()));
        assertThat(bobC.untilPong()).noneMatch(f -> f.encode().contains(support.toString()));
    }

    @Test
    void anAdditionAndARemovalReachEveryParticipantAndTheUserConcernedOnly() throws Exception {
        String ann = "ann-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        String dan = "dan-" + UUID.randomUUID();
        String eve = "eve-" + UUID.randomUUID();
        String admin = "admin-" + UUID.randomUUID();
        WsClient annC = connect(ann, "client");
        WsClient bobC = connect(bob, "client");
        WsClient danC = connect(dan, "client");
        WsClient eveC = connect(eve, "client");
        WsClient adminC = connect(admin, "admin");
        UUID group = UUID.randomUUID();

        events.publish(
                Topics.CONVERSATIONS, ParticipantAdded.of(group, dan, ann, List.of(ann, bob, dan), Instant.now()));
        for (WsClient to : List.of(annC, bobC, danC)) {
            JsonObject frame = to.next(frame("participant.added", group));
            assertThat(frame.fieldNames())
                    .containsExactlyInAnyOrder("type", "conversationId", "userId", "participants");
            assertThat(frame.getString("userId")).isEqualTo(dan);
            assertThat(frame.getJsonArray("participants")).containsExactly(ann, bob, dan);
        }

        events.publish(Topics.CONVERSATIONS, ParticipantRemoved.of(group, bob, ann, List.of(ann, dan), Instant.now()));
        for (WsClient to : List.of(annC, bobC, danC)) {
            JsonObject frame = to.next(frame("participant.removed", group));
            assertThat(frame.getString("userId")).isEqualTo(bob);
            assertThat(frame.getJsonArray("participants")).containsExactly(ann, dan);
        }
        // a user who left gets later changes no more
        events.publish(Topics.CONVERSATIONS, ParticipantRemoved.of(group, dan, dan, List.of(ann), Instant.now()));
        annC.next(f -> frame("participant.removed", group).test(f) && dan.equals(f.getString("userId")));
        danC.next(f -> frame("participant.removed", group).test(f) && dan.equals(f.getString("userId")));
        assertThat(bobC.untilPong()).noneMatch(f -> dan.equals(f.getString("userId")));
        for (WsClient stranger : List.of(eveC, adminC)) {
            assertThat(stranger.untilPong()).noneMatch(f -> f.encode().contains(group.toString()));
        }
    }

    @Test
    void aRemovedParticipantStopsGettingTheConversationsTypingAtOnceTheAutomaticStopIncluded() throws Exception {
        String ann = "ann-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        String wes = "wes-" + UUID.randomUUID();
        WsClient annC = connect(ann, "client");
        WsClient bobC = connect(bob, "client");
        WsClient wesC = connect(wes, "client");
        UUID group = UUID.randomUUID();
        List<String> before = List.of(ann, bob, wes);

        // ann and bob start typing; everyone sees both
        events.publish(
                Topics.TYPING,
                TypingChanged.of(group, ConversationKind.GROUP, before, ann, TypingState.START, Instant.now()));
        events.publish(
                Topics.TYPING,
                TypingChanged.of(group, ConversationKind.GROUP, before, bob, TypingState.START, Instant.now()));
        bobC.next(typing(ann, "start"));
        wesC.next(typing(ann, "start"));
        wesC.next(typing(bob, "start"));

        // bob is removed: his own running start ends at once for the others
        events.publish(Topics.CONVERSATIONS, ParticipantRemoved.of(group, bob, ann, List.of(ann, wes), Instant.now()));
        bobC.next(frame("participant.removed", group));
        wesC.next(typing(bob, "stop"));
        annC.next(typing(bob, "stop"));

        // typing published before the removal and consumed after it: wes's reaches ann, not bob; bob's late start
        // reaches nobody
        events.publish(
                Topics.TYPING,
                TypingChanged.of(group, ConversationKind.GROUP, before, wes, TypingState.START, Instant.now()));
        events.publish(
                Topics.TYPING,
                TypingChanged.of(group, ConversationKind.GROUP, before, bob, TypingState.START, Instant.now()));
        annC.next(typing(wes, "start"));

        // the gateway's own stop of ann's start (6 s) goes to wes, not to bob
        wesC.next(typing(ann, "stop"));
        assertThat(bobC.untilPong()).noneMatch(f -> "typing".equals(f.getString("type")));
        assertThat(wesC.untilPong()).noneMatch(typing(bob, "start"));
        assertThat(annC.untilPong()).noneMatch(typing(bob, "start"));

        // added back, bob gets the conversation's typing again
        events.publish(Topics.CONVERSATIONS, ParticipantAdded.of(group, bob, ann, before, Instant.now()));
        bobC.next(frame("participant.added", group));
        events.publish(
                Topics.TYPING,
                TypingChanged.of(group, ConversationKind.GROUP, before, wes, TypingState.STOP, Instant.now()));
        bobC.next(typing(wes, "stop"));
    }

    private WsClient connect(String user, String role) throws Exception {
        return new WsClient(client, ws, TestKeys.token(user, role));
    }

    private static Predicate<JsonObject> created(UUID conversation) {
        return f -> "conversation.created".equals(f.getString("type"))
                && conversation
                        .toString()
                        .equals(f.getJsonObject("conversation").getString("id"));
    }

    private static Predicate<JsonObject> frame(String type, UUID conversation) {
        return f -> type.equals(f.getString("type")) && conversation.toString().equals(f.getString("conversationId"));
    }

    private static Predicate<JsonObject> typing(String user, String state) {
        return f -> "typing".equals(f.getString("type"))
                && user.equals(f.getString("userId"))
                && state.equals(f.getString("state"));
    }
}
