package io.parley.message;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.events.ReadMoved;
import io.parley.events.Topics;
import io.parley.infra.EventTap;
import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class ReadPositionTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Test
    void aReadPositionOnlyMovesForwardAndEachMoveIsPublishedOnce() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        UUID conversation = Conversations.create(kafka, "group", alice, List.of(alice, bob));
        for (int i = 0; i < 3; i++) {
            send(alice, conversation, "message " + i);
        }
        try (EventTap tap = EventTap.open(kafka, Topics.MESSAGES)) {
            read(bob, conversation, 2).then().statusCode(204);
            read(bob, conversation, 1).then().statusCode(204); // back: nothing moves
            read(bob, conversation, 2).then().statusCode(204); // the same: nothing moves
            read(bob, conversation, 99).then().statusCode(204); // beyond the last message: up to it
            // Sending moved alice's own position to her last message: reading older ones changes nothing.
            read(alice, conversation, 3).then().statusCode(204);

            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(tap.events(
                                    ReadMoved.class, e -> e.conversationId().equals(conversation)))
                            .extracting(ReadMoved::userId, ReadMoved::seq)
                            .containsExactly(
                                    org.assertj.core.groups.Tuple.tuple(bob, 2L),
                                    org.assertj.core.groups.Tuple.tuple(bob, 3L)));
            ReadMoved moved = tap.events(
                            ReadMoved.class, e -> e.conversationId().equals(conversation))
                    .get(0);
            assertThat(moved.participants()).containsExactlyInAnyOrder(alice, bob);
            assertThat(moved.conversationType().wire()).isEqualTo("group");
            Thread.sleep(500);
            assertThat(tap.events(ReadMoved.class, e -> e.conversationId().equals(conversation)))
                    .hasSize(2);
        }
        // Where each reader is, for a client that shows "seen" after a reload; nothing to a stranger.
        Map<String, Object> positions = given().auth()
                .oauth2(TestKeys.token(alice, "client"))
                .get("/api/conversations/" + conversation + "/read")
                .then()
                .statusCode(200)
                .extract()
                .path("positions");
        assertThat(positions).containsEntry(alice, 3).containsEntry(bob, 3);
        given().auth()
                .oauth2(TestKeys.token("stranger-" + UUID.randomUUID(), "client"))
                .get("/api/conversations/" + conversation + "/read")
                .then()
                .statusCode(404)
                .body("detail", org.hamcrest.Matchers.equalTo("No such conversation."));
    }

    @Test
    void badPositionsAreRefusedAndStrangersLearnNothing() {
        String alice = "alice-" + UUID.randomUUID();
        UUID conversation = Conversations.create(kafka, "group", alice, List.of(alice));
        send(alice, conversation, "hello");
        String path = "/api/conversations/" + conversation + "/read";
        for (String body : List.of(
                "{}",
                "{\"seq\":\"two\"}",
                "{\"seq\":-1}",
                "{\"seq\":1.5}",
                "[]",
                "{\"seq\":null}",
                "{\"seq\":123456789012345678901234567890}")) {
            given().auth()
                    .oauth2(TestKeys.token(alice, "client"))
                    .contentType(ContentType.JSON)
                    .body(body)
                    .post(path)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json");
        }
        given().auth()
                .oauth2(TestKeys.token(alice, "client"))
                .contentType(ContentType.JSON)
                .body("{")
                .post(path)
                .then()
                .statusCode(400);
        read("mallory-" + UUID.randomUUID(), conversation, 1)
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        read(alice, UUID.randomUUID(), 1).then().statusCode(404);
        // An admin who is not a participant of a group learns nothing either.
        given().auth()
                .oauth2(TestKeys.token("admin-" + UUID.randomUUID(), "admin"))
                .contentType(ContentType.JSON)
                .body(Map.of("seq", 1))
                .post(path)
                .then()
                .statusCode(404);
        given().contentType(ContentType.JSON)
                .body(Map.of("seq", 1))
                .post(path)
                .then()
                .statusCode(401);
    }

    @Test
    void everyAdminMayReadASupportConversation() {
        String client = "client-" + UUID.randomUUID();
        UUID support = Conversations.create(kafka, "support", client, List.of(client));
        send(client, support, "help");
        given().auth()
                .oauth2(TestKeys.token("admin-" + UUID.randomUUID(), "admin"))
                .contentType(ContentType.JSON)
                .body(Map.of("seq", 1))
                .post("/api/conversations/" + support + "/read")
                .then()
                .statusCode(204);
    }

    private static io.restassured.response.Response read(String user, UUID conversation, long seq) {
        return given().auth()
                .oauth2(TestKeys.token(user, "client"))
                .contentType(ContentType.JSON)
                .body(Map.of("seq", seq))
                .post("/api/conversations/" + conversation + "/read");
    }

    private static void send(String sender, UUID conversation, String content) {
        given().auth()
                .oauth2(TestKeys.token(sender, "client"))
                .contentType(ContentType.JSON)
                .body(Map.of("clientMessageId", UUID.randomUUID().toString(), "content", content))
                .post("/api/conversations/" + conversation + "/messages")
                .then()
                .statusCode(201);
    }
}
