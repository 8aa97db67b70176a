package io.parley.conversation;

import static io.restassured.RestAssured.given;

import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint of a conversation against every kind of caller. A caller who is not a participant gets 404,
 * exactly as for a conversation that does not exist; no token or an expired one gets 401.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class AuthorizationMatrixTest {

    private record Endpoint(String name, Function<RequestSpecification, Integer> call) {}

    @Test
    void groupConversation() {
        String owner = "owner-" + UUID.randomUUID();
        String member = "member-" + UUID.randomUUID();
        String id = create(owner, Map.of("type", "group", "title", "G", "participants", List.of(member)));
        List<Endpoint> endpoints = endpoints(id, owner);
        // columns: participant (not the creator), non-participant, admin who is not a participant, no token, expired
        int[][] expected = {
            {200, 404, 404, 401, 401}, // GET /{id}
            {403, 404, 404, 401, 401}, // POST /{id}/participants
            {403, 404, 404, 401, 401}, // DELETE /{id}/participants/{creator}
        };
        check(endpoints, expected, member);
    }

    @Test
    void supportConversation() {
        String client = "client-" + UUID.randomUUID();
        String id = given().auth()
                .oauth2(TestKeys.token(client, "client"))
                .get("/api/conversations/support")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        List<Endpoint> endpoints = endpoints(id, client);
        // The owner, a stranger, any admin: admins see and use every support conversation; it has no group roster.
        int[][] expected = {
            {200, 404, 200, 401, 401},
            {400, 404, 400, 401, 401},
            {400, 404, 400, 401, 401},
        };
        check(endpoints, expected, client);
    }

    @Test
    void listingAndCreatingNeedAToken() {
        given().get("/api/conversations").then().statusCode(401);
        given().auth()
                .oauth2(TestKeys.keys().expiredToken("x", "client"))
                .get("/api/conversations")
                .then()
                .statusCode(401);
        given().contentType(ContentType.JSON)
                .body(Map.of("type", "group"))
                .post("/api/conversations")
                .then()
                .statusCode(401);
        given().auth()
                .oauth2(TestKeys.keys().expiredToken("x", "client"))
                .contentType(ContentType.JSON)
                .body(Map.of("type", "group"))
                .post("/api/conversations")
                .then()
                .statusCode(401);
        // A token with no role this API knows is refused.
        given().auth()
                .oauth2(TestKeys.token("x", "visitor"))
                .get("/api/conversations")
                .then()
                .statusCode(403);
    }

    private static List<Endpoint> endpoints(String id, String creator) {
        return List.of(
                new Endpoint("GET /{id}", r -> r.get("/api/conversations/" + id).statusCode()),
                new Endpoint(
                        "POST /{id}/participants",
                        r -> r.contentType(ContentType.JSON)
                                .body(Map.of("userId", "newcomer-" + UUID.randomUUID()))
                                .post("/api/conversations/" + id + "/participants")
                                .statusCode()),
                new Endpoint(
                        "DELETE /{id}/participants/{creator}",
                        r -> r.delete("/api/conversations/" + id + "/participants/" + creator)
                                .statusCode()));
    }

    private static void check(List<Endpoint> endpoints, int[][] expected, String participant) {
        List<Function<Void, RequestSpecification>> callers = List.of(
                v -> given().auth().oauth2(TestKeys.token(participant, "client")),
                v -> given().auth().oauth2(TestKeys.token("stranger-" + UUID.randomUUID(), "client")),
                v -> given().auth().oauth2(TestKeys.token("admin-" + UUID.randomUUID(), "admin")),
                v -> given(),
                v -> given().auth().oauth2(TestKeys.keys().expiredToken(participant, "client")));
        String[] names = {"participant", "non-participant", "admin", "no token", "expired token"};
        SoftAssertions softly = new SoftAssertions();
        for (int e = 0; e < endpoints.size(); e++) {
            for (int c = 0; c < callers.size(); c++) {
                int status = endpoints.get(e).call().apply(callers.get(c).apply(null));
                softly.assertThat(status)
                        .as(endpoints.get(e).name() + " as " + names[c])
                        .isEqualTo(expected[e][c]);
            }
        }
        softly.assertAll();
    }

    private static String create(String owner, Map<String, Object> body) {
        return given().auth()
                .oauth2(TestKeys.token(owner, "expert"))
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/conversations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }
}
