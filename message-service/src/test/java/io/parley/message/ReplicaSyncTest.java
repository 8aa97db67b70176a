package io.parley.message;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.parley.events.ConversationCreated;
import io.parley.events.ConversationKind;
import io.parley.events.MessageEvent;
import io.parley.events.ParticipantAdded;
import io.parley.events.ParticipantRemoved;
import io.parley.events.ReadMoved;
import io.parley.events.Topics;
import io.parley.infra.EventPublisher;
import io.parley.infra.EventTap;
import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.parley.message.client.KafkaEndOffsets;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, kind 1: what the conversation-service acknowledged (a creation, an addition, a removal) is in force here
 * as soon as {@code POST /internal/replica/sync} answered, which the conversation-service awaits before it answers.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class ReplicaSyncTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Test
    void aConversationIsUsableAsSoonAsTheSyncAnswers() {
        for (int i = 0; i < 20; i++) {
            String alice = "alice-" + UUID.randomUUID();
            String bob = "bob-" + UUID.randomUUID();
            UUID conversation = UUID.randomUUID();
            EventTap.publish(
                    kafka,
                    Topics.CONVERSATIONS,
                    ConversationCreated.of(
                            conversation,
                            i % 2 == 0 ? ConversationKind.DIRECT : ConversationKind.GROUP,
                            null,
                            alice,
                            List.of(alice, bob),
                            Instant.now()));
            Conversations.sync(conversation).then().statusCode(204);
            send(alice, conversation, "first try " + i).then().statusCode(201);
            send(bob, conversation, "and the other " + i).then().statusCode(201);
        }
    }

    /**
     * The conversation-service's wait for the sync is bounded (a slow start, a burst of new conversations): a send,
     * a history read, a read position and an upload about a conversation whose creation is in Kafka but still behind
     * a backlog of the replica are not refused with 404; they are decided once the replica caught up.
     */
    @Test
    void whatIsPublishedButNotYetAppliedIsNotRefused() {
        for (int round = 0; round < 4; round++) {
            String alice = "alice-" + UUID.randomUUID();
            String bob = "bob-" + UUID.randomUUID();
            UUID conversation = UUID.randomUUID();
            try (EventPublisher publisher = new EventPublisher(kafka)) {
                for (int i = 0; i < 300; i++) {
                    String someone = "someone-" + UUID.randomUUID();
                    publisher.send(
                            Topics.CONVERSATIONS,
                            ConversationCreated.of(
                                    UUID.randomUUID(),
                                    ConversationKind.DIRECT,
                                    null,
                                    someone,
                                    List.of(someone, "other-" + i),
                                    Instant.now()));
                }
                publisher.publish(
                        Topics.CONVERSATIONS,
                        ConversationCreated.of(
                                conversation,
                                ConversationKind.DIRECT,
                                null,
                                alice,
                                List.of(alice, bob),
                                Instant.now()));
            }
            String path = "/api/conversations/" + conversation;
            switch (round) {
                case 0 -> send(alice, conversation, "at once").then().statusCode(201);
                case 1 ->
                    given().auth()
                            .oauth2(TestKeys.token(bob, "client"))
                            .get(path + "/messages")
                            .then()
                            .statusCode(200);
                case 2 ->
                    given().auth()
                            .oauth2(TestKeys.token(bob, "client"))
                            .contentType(ContentType.JSON)
                            .body(Map.of("seq", 1))
                            .post(path + "/read")
                            .then()
                            .statusCode(204);
                default ->
                    given().auth()
                            .oauth2(TestKeys.token(alice, "client"))
                            .multiPart("file", "note.txt", "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                            .post(path + "/attachments")
                            .then()
                            .statusCode(201);
            }
            // and someone who takes no part in it is still refused, once the replica holds it
            send("mallory-" + UUID.randomUUID(), conversation, "let me in")
                    .then()
                    .statusCode(404);
        }
    }

    @Test
    void anAddedParticipantSendsAsSoonAsTheSyncAnswers() {
        String alice = "alice-" + UUID.randomUUID();
        UUID conversation = Conversations.create(kafka, "group", alice, List.of(alice));
        for (int i = 0; i < 20; i++) {
            String newcomer = "newcomer-" + i + "-" + UUID.randomUUID();
            EventTap.publish(
                    kafka, Topics.CONVERSATIONS, ParticipantAdded.of(conversation, newcomer, alice, Instant.now()));
            Conversations.sync(conversation).then().statusCode(204);
            send(newcomer, conversation, "hello from " + i).then().statusCode(201);
            given().auth()
                    .oauth2(TestKeys.token(newcomer, "client"))
                    .get("/api/conversations/" + conversation + "/messages")
                    .then()
                    .statusCode(200);
        }
    }

    @Test
    void aRemovedParticipantIsRefusedEverywhereAsSoonAsTheSyncAnswers() {
        try (EventTap messages = EventTap.open(kafka, Topics.MESSAGES)) {
            for (int i = 0; i < 10; i++) {
                String alice = "alice-" + UUID.randomUUID();
                String bob = "bob-" + UUID.randomUUID();
                String carol = "carol-" + UUID.randomUUID();
                UUID conversation = Conversations.create(kafka, "group", alice, List.of(alice, bob, carol));
                String path = "/api/conversations/" + conversation;
                String bobs = send(bob, conversation, "still here")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id");
                send(alice, conversation, "hi bob").then().statusCode(201);

                EventTap.publish(
                        kafka, Topics.CONVERSATIONS, ParticipantRemoved.of(conversation, bob, alice, Instant.now()));
                Conversations.sync(conversation).then().statusCode(204);

                String token = TestKeys.token(bob, "client");
                send(bob, conversation, "let me in").then().statusCode(404);
                given().auth().oauth2(token).get(path + "/messages").then().statusCode(404);
                given().auth()
                        .oauth2(token)
                        .contentType(ContentType.JSON)
                        .body(Map.of("seq", 2))
                        .post(path + "/read")
                        .then()
                        .statusCode(404);
                given().auth()
                        .oauth2(token)
                        .contentType(ContentType.JSON)
                        .body(Map.of("content", "edited"))
                        .patch(path + "/messages/" + bobs)
                        .then()
                        .statusCode(404);
                given().auth()
                        .oauth2(token)
                        .delete(path + "/messages/" + bobs)
                        .then()
                        .statusCode(404);

                // What the others do from now on no longer goes to bob: not their messages, not their read receipts.
                send(alice, conversation, "bob is gone").then().statusCode(201);
                given().auth()
                        .oauth2(TestKeys.token(carol, "client"))
                        .contentType(ContentType.JSON)
                        .body(Map.of("seq", 3))
                        .post(path + "/read")
                        .then()
                        .statusCode(204);
                given().auth()
                        .oauth2(TestKeys.token(alice, "client"))
                        .contentType(ContentType.JSON)
                        .body(Map.of("content", "edited"))
                        .patch(path + "/messages/" + firstOf(alice, conversation))
                        .then()
                        .statusCode(200);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    assertThat(messages.events(
                                    MessageEvent.class, e -> e.conversationId().equals(conversation)))
                            .hasSize(4);
                    assertThat(messages.events(
                                    ReadMoved.class, e -> e.conversationId().equals(conversation)))
                            .isNotEmpty();
                });
                List<MessageEvent> sent = messages.events(
                        MessageEvent.class, e -> e.conversationId().equals(conversation));
                assertThat(sent.get(0).participants()).contains(bob);
                assertThat(sent.get(2).message().content()).isEqualTo("bob is gone");
                assertThat(sent.get(2).participants()).containsExactlyInAnyOrder(alice, carol);
                assertThat(sent.get(3).type()).isEqualTo(MessageEvent.UPDATED);
                assertThat(sent.get(3).participants()).containsExactlyInAnyOrder(alice, carol);
                assertThat(messages.events(
                                ReadMoved.class, e -> e.conversationId().equals(conversation)))
                        .allSatisfy(read -> assertThat(read.participants()).containsExactlyInAnyOrder(alice, carol));
            }
        }
    }

    @Test
    void aParticipantAddedAgainStartsReadingWhereTheConversationIs() {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        UUID conversation = Conversations.create(kafka, "group", alice, List.of(alice, bob));
        for (int i = 0; i < 3; i++) {
            send(alice, conversation, "message " + i).then().statusCode(201);
        }
        Conversations.publishAndSync(
                kafka, ParticipantRemoved.of(conversation, bob, alice, Instant.now()), conversation);
        send(alice, conversation, "while bob is away").then().statusCode(201);
        try (EventTap messages = EventTap.open(kafka, Topics.MESSAGES)) {
            Conversations.publishAndSync(
                    kafka, ParticipantAdded.of(conversation, bob, alice, Instant.now()), conversation);
            String path = "/api/conversations/" + conversation + "/read";
            // Reading what came before the return moves nothing: bob starts at seq 4, as the inbox has it.
            given().auth()
                    .oauth2(TestKeys.token(bob, "client"))
                    .contentType(ContentType.JSON)
                    .body(Map.of("seq", 2))
                    .post(path)
                    .then()
                    .statusCode(204);
            send(alice, conversation, "welcome back").then().statusCode(201);
            given().auth()
                    .oauth2(TestKeys.token(bob, "client"))
                    .contentType(ContentType.JSON)
                    .body(Map.of("seq", 5))
                    .post(path)
                    .then()
                    .statusCode(204);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(messages.events(
                                    ReadMoved.class, e -> e.conversationId().equals(conversation)))
                            .extracting(ReadMoved::seq)
                            .containsExactly(5L));
        }
    }

    @Test
    void aConversationNobodyCreatedSyncsAtOnce() {
        long started = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            Conversations.sync(UUID.randomUUID()).then().statusCode(204);
        }
        // Well under the 3 s a single call may wait.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void theSyncNeedsAValidTokenAndAConversationId() {
        String token = TestKeys.token("anyone", "client");
        given().contentType(ContentType.JSON)
                .body(Map.of("conversationId", UUID.randomUUID().toString()))
                .post("/internal/replica/sync")
                .then()
                .statusCode(401);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of())
                .post("/internal/replica/sync")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("conversationId"));
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("conversationId", "nope"))
                .post("/internal/replica/sync")
                .then()
                .statusCode(400)
                .body("detail", containsString("conversationId"));
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"conversationId\": \"a\\u0000b\"}")
                .post("/internal/replica/sync")
                .then()
                .statusCode(400)
                .body("detail", containsString("conversationId"));
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{")
                .post("/internal/replica/sync")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .post("/internal/replica/sync")
                .then()
                .statusCode(400);
    }

    @Test
    void theSyncWaitsForThePartitionTheProducerChose() {
        try (EventTap conversations = EventTap.open(kafka, Topics.CONVERSATIONS)) {
            List<UUID> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 30; i++) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                EventTap.publish(
                        kafka,
                        Topics.CONVERSATIONS,
                        ConversationCreated.of(id, ConversationKind.GROUP, null, "x", List.of("x"), Instant.now()));
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> conversations.records(Duration.ofMillis(200)).size() >= 30);
            for (ConsumerRecord<String, ?> record : conversations.records(Duration.ZERO)) {
                assertThat(KafkaEndOffsets.partitionFor(record.key(), 6))
                        .as(record.key())
                        .isEqualTo(record.partition());
            }
        }
    }

    private static String firstOf(String sender, UUID conversation) {
        return given()
                .auth()
                .oauth2(TestKeys.token(sender, "client"))
                .get("/api/conversations/" + conversation + "/messages?afterSeq=0")
                .then()
                .statusCode(200)
                .extract()
                .<List<Map<String, Object>>>path("items")
                .stream()
                .filter(m -> sender.equals(m.get("senderId")))
                .findFirst()
                .orElseThrow()
                .get("id")
                .toString();
    }

    static Response send(String sender, UUID conversation, String content) {
        return given().auth()
                .oauth2(TestKeys.token(sender, "client"))
                .contentType(ContentType.JSON)
                .body(Map.of("clientMessageId", UUID.randomUUID().toString(), "content", content))
                .post("/api/conversations/" + conversation + "/messages");
    }
}
