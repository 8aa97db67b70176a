package io.parley.message;

import static io.restassured.RestAssured.given;

import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import org.assertj.core.api.SoftAssertions;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Every path under a conversation answers 404 to a caller who may not see it before looking at anything else: a
 * request a participant gets refused for its input (400, 413, 415) is, from anyone else, the same 404 as for a
 * conversation that does not exist. And ids are UUIDs in their one string form only.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class HiddenConversationsTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    private record Bad(String name, int participantGets, BiFunction<RequestSpecification, String, Response> call) {}

    @Test
    void aStrangerGetsTheUnknownConversationsAnswerForEveryRefusalAParticipantGets() {
        String owner = "owner-" + UUID.randomUUID();
        UUID conversation = Conversations.create(kafka, "group", owner, List.of(owner, "other-" + UUID.randomUUID()));
        String messageId = given().auth()
                .oauth2(TestKeys.token(owner, "client"))
                .contentType(ContentType.JSON)
                .body(Map.of("clientMessageId", UUID.randomUUID().toString(), "content", "hello"))
                .post("/api/conversations/" + conversation + "/messages")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        List<Bad> bad = List.of(
                new Bad(
                        "send without clientMessageId",
                        400,
                        (r, c) -> r.contentType(ContentType.JSON)
                                .body(Map.of("content", "x"))
                                .post("/api/conversations/" + c + "/messages")),
                new Bad(
                        "send with a lenient UUID",
                        400,
                        (r, c) -> r.contentType(ContentType.JSON)
                                .body(Map.of("clientMessageId", "1-1-1-1-1", "content", "x"))
                                .post("/api/conversations/" + c + "/messages")),
                new Bad(
                        "send over 8,000 characters",
                        413,
                        (r, c) -> r.contentType(ContentType.JSON)
                                .body(Map.of(
                                        "clientMessageId", UUID.randomUUID().toString(), "content", "x".repeat(8001)))
                                .post("/api/conversations/" + c + "/messages")),
                new Bad(
                        "send a body that is not JSON",
                        400,
                        (r, c) -> r.contentType(ContentType.JSON)
                                .body("{not json")
                                .post("/api/conversations/" + c + "/messages")),
                new Bad(
                        "send text/plain",
                        415,
                        (r, c) -> r.contentType(ContentType.TEXT)
                                .body("hello")
                                .post("/api/conversations/" + c + "/messages")),
                new Bad(
                        "history with both cursors",
                        400,
                        (r, c) -> r.get("/api/conversations/" + c + "/messages?afterSeq=1&beforeSeq=5")),
                new Bad("history with limit 0", 400, (r, c) -> r.get("/api/conversations/" + c + "/messages?limit=0")),
                new Bad(
                        "delete a message id that is not a UUID (a participant: No such message.)",
                        404,
                        (r, c) -> r.delete("/api/conversations/" + c + "/messages/not-a-uuid")),
                new Bad(
                        "edit to nothing",
                        400,
                        (r, c) -> r.contentType(ContentType.JSON)
                                .body(Map.of("content", ""))
                                .patch("/api/conversations/" + c + "/messages/" + messageId)),
                new Bad(
                        "read at -1",
                        400,
                        (r, c) -> r.contentType(ContentType.JSON)
                                .body(Map.of("seq", -1))
                                .post("/api/conversations/" + c + "/read")));
        String stranger = "stranger-" + UUID.randomUUID();
        SoftAssertions softly = new SoftAssertions();
        for (Bad b : bad) {
            softly.assertThat(b.call()
                            .apply(given().auth().oauth2(TestKeys.token(owner, "client")), conversation.toString())
                            .statusCode())
                    .as(b.name() + " by a participant")
                    .isEqualTo(b.participantGets());
            for (String id : List.of(conversation.toString(), UUID.randomUUID().toString(), "1-1-1-1-1")) {
                Response answer = b.call().apply(given().auth().oauth2(TestKeys.token(stranger, "client")), id);
                softly.assertThat(answer.statusCode())
                        .as(b.name() + " by a stranger in " + id)
                        .isEqualTo(404);
                softly.assertThat(answer.contentType())
                        .as(b.name() + " by a stranger in " + id)
                        .startsWith("application/problem+json");
                softly.assertThat(answer.jsonPath().getString("detail"))
                        .as(b.name() + " by a stranger in " + id)
                        .isEqualTo("No such conversation.");
            }
        }
        softly.assertAll();
    }

    @Test
    void aUuidIsTakenInItsOneStringFormOnly() {
        String owner = "owner-" + UUID.randomUUID();
        UUID conversation = Conversations.create(kafka, "group", owner, List.of(owner));
        // the lenient forms Java's UUID.fromString reads as 00000001-0001-0001-0001-000000000001
        for (String lenient : List.of("1-1-1-1-1", "+1-1-1-1-1", "00000001-0001-0001-0001-00000000000001")) {
            given().auth()
                    .oauth2(TestKeys.token(owner, "client"))
                    .contentType(ContentType.JSON)
                    .body(Map.of("clientMessageId", lenient, "content", "x"))
                    .post("/api/conversations/" + conversation + "/messages")
                    .then()
                    .statusCode(400);
            given().auth()
                    .oauth2(TestKeys.token(owner, "client"))
                    .delete("/api/conversations/" + conversation + "/messages/" + lenient)
                    .then()
                    .statusCode(404);
        }
        given().auth()
                .oauth2(TestKeys.token(owner, "client"))
                .contentType(ContentType.JSON)
                .body(Map.of("clientMessageId", "0000000A-0001-0001-0001-00000000000B", "content", "upper case"))
                .post("/api/conversations/" + conversation + "/messages")
                .then()
                .statusCode(201);
    }
}
