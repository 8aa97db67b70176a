package io.parley.message;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.parley.events.MessageEvent;
import io.parley.events.ParticipantRemoved;
import io.parley.events.Topics;
import io.parley.infra.EventTap;
import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class MessageChangesTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Test
    void onlyTheSenderEditsAndTheSenderOrAnAdminDeletes() {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        UUID conversation = Conversations.create(kafka, "group", alice, List.of(alice, bob));
        String path = "/api/conversations/" + conversation + "/messages";
        String first = send(alice, path, "first draft");
        String second = send(alice, path, "to be removed by an admin");

        try (EventTap tap = EventTap.open(kafka, Topics.MESSAGES)) {
            given().auth()
                    .oauth2(TestKeys.token(bob, "client"))
                    .contentType(ContentType.JSON)
                    .body(Map.of("content", "not mine"))
                    .patch(path + "/" + first)
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json");
            given().auth()
                    .oauth2(TestKeys.token(alice, "client"))
                    .contentType(ContentType.JSON)
                    .body(Map.of("content", "final words"))
                    .patch(path + "/" + first)
                    .then()
                    .statusCode(200)
                    .body("content", equalTo("final words"))
                    .body("editedAt", notNullValue())
                    .body("seq", equalTo(1));

            given().auth()
                    .oauth2(TestKeys.token(bob, "client"))
                    .delete(path + "/" + first)
                    .then()
                    .statusCode(403);
            given().auth()
                    .oauth2(TestKeys.token(alice, "client"))
                    .delete(path + "/" + first)
                    .then()
                    .statusCode(204);
            given().auth()
                    .oauth2(TestKeys.token(alice, "client"))
                    .delete(path + "/" + first)
                    .then()
                    .statusCode(204);
            given().auth()
                    .oauth2(TestKeys.token(alice, "client"))
                    .contentType(ContentType.JSON)
                    .body(Map.of("content", "too late"))
                    .patch(path + "/" + first)
                    .then()
                    .statusCode(409);
            // An admin who is a participant may delete anyone's message.
            given().auth()
                    .oauth2(TestKeys.token(alice, "admin"))
                    .delete(path + "/" + second)
                    .then()
                    .statusCode(204);

            given().auth()
                    .oauth2(TestKeys.token(bob, "client"))
                    .get(path)
                    .then()
                    .statusCode(200)
                    .body("items.size()", equalTo(2))
                    .body("items[0].content", nullValue())
                    .body("items[0].deletedAt", notNullValue())
                    .body("items[1].content", nullValue())
                    .body("items[1].seq", equalTo(2));

            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(tap.events(
                                    MessageEvent.class, e -> e.conversationId().equals(conversation)))
                            .extracting(MessageEvent::type)
                            .containsExactly(MessageEvent.UPDATED, MessageEvent.DELETED, MessageEvent.DELETED));
        }
        // A participant is told the message is not there; anyone else, that the conversation is not (never which).
        given().auth()
                .oauth2(TestKeys.token(alice, "client"))
                .delete(path + "/" + UUID.randomUUID())
                .then()
                .statusCode(404)
                .body("detail", equalTo("No such message."));
        given().auth()
                .oauth2(TestKeys.token(alice, "client"))
                .contentType(ContentType.JSON)
                .body(Map.of("content", "edited"))
                .patch(path + "/not-a-message-id")
                .then()
                .statusCode(404)
                .body("detail", equalTo("No such message."));
        given().auth()
                .oauth2(TestKeys.token("mallory", "client"))
                .delete(path + "/" + second)
                .then()
                .statusCode(404)
                .body("detail", equalTo("No such conversation."));
        given().auth()
                .oauth2(TestKeys.token("mallory", "client"))
                .delete(path + "/" + UUID.randomUUID())
                .then()
                .statusCode(404)
                .body("detail", equalTo("No such conversation."));
    }

    @Test
    void aRemovedParticipantCanNoLongerSendOrRead() {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        UUID conversation = Conversations.create(kafka, "group", alice, List.of(alice, bob));
        String path = "/api/conversations/" + conversation + "/messages";
        send(bob, path, "still here");

        EventTap.publish(kafka, Topics.CONVERSATIONS, ParticipantRemoved.of(conversation, bob, alice, Instant.now()));
        await().atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> given().auth()
                        .oauth2(TestKeys.token(bob, "client"))
                        .contentType(ContentType.JSON)
                        .body(Map.of("clientMessageId", UUID.randomUUID().toString(), "content", "let me in"))
                        .post(path)
                        .then()
                        .statusCode(404));
        given().auth().oauth2(TestKeys.token(bob, "client")).get(path).then().statusCode(404);
        given().auth()
                .oauth2(TestKeys.token(alice, "client"))
                .get(path)
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(1));
    }

    @Test
    void adminsWriteInSupportConversationsTheyAreNotParticipantsOf() {
        String client = "client-" + UUID.randomUUID();
        UUID support = Conversations.create(kafka, "support", client, List.of(client));
        String path = "/api/conversations/" + support + "/messages";
        given().auth()
                .oauth2(TestKeys.token("admin-" + UUID.randomUUID(), "admin"))
                .contentType(ContentType.JSON)
                .body(Map.of("clientMessageId", UUID.randomUUID().toString(), "content", "How can we help?"))
                .post(path)
                .then()
                .statusCode(201)
                .body("senderRole", equalTo("admin"));
        given().auth()
                .oauth2(TestKeys.token("expert-" + UUID.randomUUID(), "expert"))
                .contentType(ContentType.JSON)
                .body(Map.of("clientMessageId", UUID.randomUUID().toString(), "content", "hi"))
                .post(path)
                .then()
                .statusCode(404);
    }

    private static String send(String sender, String path, String content) {
        return given().auth()
                .oauth2(TestKeys.token(sender, "client"))
                .contentType(ContentType.JSON)
                .body(Map.of("clientMessageId", UUID.randomUUID().toString(), "content", content))
                .post(path)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }
}
