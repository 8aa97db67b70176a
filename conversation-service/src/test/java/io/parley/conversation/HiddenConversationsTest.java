package io.parley.conversation;

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
import org.junit.jupiter.api.Test;

/**
 * Every path under a conversation answers 404 to a caller who may not see it before looking at anything else: what a
 * participant is refused for its input (400, 403, 415) is, from anyone else, the same 404 as for a conversation that
 * does not exist, whose id may be any text.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class HiddenConversationsTest {

    private record Bad(String name, int participantGets, BiFunction<RequestSpecification, String, Response> call) {}

    @Test
    void aStrangerGetsTheUnknownConversationsAnswerForEveryRefusalAParticipantGets() {
        String owner = "owner-" + UUID.randomUUID();
        String member = "member-" + UUID.randomUUID();
        String group = given().auth()
                .oauth2(TestKeys.token(owner, "expert"))
                .contentType(ContentType.JSON)
                .body(Map.of("type", "group", "title", "G", "participants", List.of(member)))
                .post("/api/conversations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        List<Bad> bad = List.of(
                new Bad(
                        "add an empty user id",
                        400,
                        (r, c) -> r.contentType(ContentType.JSON)
                                .body(Map.of("userId", ""))
                                .post("/api/conversations/" + c + "/participants")),
                new Bad(
                        "add with a body that is not JSON",
                        400,
                        (r, c) -> r.contentType(ContentType.JSON)
                                .body("{")
                                .post("/api/conversations/" + c + "/participants")),
                new Bad(
                        "add with text/plain",
                        415,
                        (r, c) -> r.contentType(ContentType.TEXT)
                                .body("someone")
                                .post("/api/conversations/" + c + "/participants")),
                new Bad(
                        "remove a user id holding NUL",
                        400,
                        (r, c) ->
                                r.urlEncodingEnabled(false).delete("/api/conversations/" + c + "/participants/a%00b")));
        String stranger = "stranger-" + UUID.randomUUID();
        SoftAssertions softly = new SoftAssertions();
        for (Bad b : bad) {
            softly.assertThat(b.call()
                            .apply(given().auth().oauth2(TestKeys.token(owner, "expert")), group)
                            .statusCode())
                    .as(b.name() + " by the creator")
                    .isEqualTo(b.participantGets());
            for (var caller : List.of(
                    TestKeys.token(stranger, "client"), TestKeys.token("admin-" + UUID.randomUUID(), "admin"))) {
                for (String id : List.of(group, UUID.randomUUID().toString(), "1-1-1-1-1", "x")) {
                    Response answer = b.call().apply(given().auth().oauth2(caller), id);
                    softly.assertThat(answer.statusCode())
                            .as(b.name() + " by a stranger in " + id)
                            .isEqualTo(404);
                    softly.assertThat(answer.jsonPath().getString("detail"))
                            .as(b.name() + " by a stranger in " + id)
                            .isEqualTo("No such conversation.");
                }
            }
        }
        // a participant who may not add is told so (403); a stranger still learns nothing
        softly.assertThat(given().auth()
                        .oauth2(TestKeys.token(member, "client"))
                        .contentType(ContentType.JSON)
                        .body(Map.of("userId", "someone"))
                        .post("/api/conversations/" + group + "/participants")
                        .statusCode())
                .isEqualTo(403);
        softly.assertAll();
    }

    @Test
    void whoMaySeeItKeepsTheirRefusalAndNoPathSpellingHidesTheRule() {
        String client = "client-" + UUID.randomUUID();
        String support = given().auth()
                .oauth2(TestKeys.token(client, "client"))
                .get("/api/conversations/support")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        // an admin sees every support conversation: their refusal is the real one
        given().auth()
                .oauth2(TestKeys.token("admin-" + UUID.randomUUID(), "admin"))
                .contentType(ContentType.JSON)
                .body(Map.of("userId", "someone"))
                .post("/api/conversations/" + support + "/participants")
                .then()
                .statusCode(400);
        // a token with no known role is refused 403 for that, whatever id the path holds
        for (String id : List.of(support, "x")) {
            given().auth()
                    .oauth2(TestKeys.token("norole-" + UUID.randomUUID(), "visitor"))
                    .contentType(ContentType.JSON)
                    .body(Map.of("userId", ""))
                    .post("/api/conversations/" + id + "/participants")
                    .then()
                    .statusCode(403);
        }
        // a path through the stranger's own conversation to someone else's is judged by the one it names
        String own = given().auth()
                .oauth2(TestKeys.token("stranger-" + UUID.randomUUID(), "expert"))
                .contentType(ContentType.JSON)
                .body(Map.of("type", "group", "title", "Mine", "participants", List.of("x-" + UUID.randomUUID())))
                .post("/api/conversations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String stranger = "stranger-" + UUID.randomUUID();
        given().auth()
                .oauth2(TestKeys.token(stranger, "client"))
                .urlEncodingEnabled(false)
                .contentType(ContentType.JSON)
                .body(Map.of("userId", ""))
                .post("/api/conversations/" + own + "/participants/../../" + support + "/participants")
                .then()
                .statusCode(404)
                .body("detail", org.hamcrest.Matchers.equalTo("No such conversation."));
    }

    @Test
    void aConversationViewSaysWhoCreatedIt() {
        String owner = "owner-" + UUID.randomUUID();
        String member = "member-" + UUID.randomUUID();
        String group = given().auth()
                .oauth2(TestKeys.token(owner, "expert"))
                .contentType(ContentType.JSON)
                .body(Map.of("type", "group", "title", "G", "participants", List.of(member)))
                .post("/api/conversations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String createdBy = given().auth()
                .oauth2(TestKeys.token(member, "client"))
                .get("/api/conversations/" + group)
                .then()
                .statusCode(200)
                .extract()
                .path("createdBy");
        org.assertj.core.api.Assertions.assertThat(createdBy).isEqualTo(owner);
    }
}
