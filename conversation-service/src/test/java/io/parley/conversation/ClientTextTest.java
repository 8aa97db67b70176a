package io.parley.conversation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every string a client sends this service either round-trips exactly or is refused with a 400 that names the field
 * (a list element by its index); a body with a wrong part is refused whole.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class ClientTextTest {

    /** JSON escapes, written into the body as they are: the server's parser makes the NUL and the lone surrogate. */
    private static final String NUL = "a\\u0000b";

    private static final String SURROGATE = "x\\uD800y";

    @Test
    void aBadParticipantIsNamedByItsIndexAndNothingIsCreated() {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        for (String bad : List.of(NUL, SURROGATE)) {
            for (String type : List.of("group", "direct")) {
                given().auth()
                        .oauth2(TestKeys.token(alice, "client"))
                        .contentType(ContentType.JSON)
                        .body("{\"type\":\"" + type + "\",\"participants\":[\"" + bob + "\",\"" + bad + "\"]}")
                        .post("/api/conversations")
                        .then()
                        .statusCode(400)
                        .contentType("application/problem+json")
                        .body(
                                "detail",
                                allOf(
                                        containsString("participants[1]"),
                                        containsString(bad == NUL ? "U+0000" : "surrogate")));
            }
        }
        problem(alice, "{\"type\":\"group\",\"participants\":[\"" + bob + "\",\"ok\",\"\"]}", "participants[2]");
        problem(alice, "{\"type\":\"group\",\"participants\":[\"" + bob + "\",null]}", "participants[1]");
        problem(alice, "{\"type\":\"group\",\"participants\":[\"" + "u".repeat(256) + "\"]}", "participants[0]");
        problem(alice, "{\"type\":\"group\",\"participants\":[\"" + bob + "\",{\"id\":1}]}", "participants[1]");
        problem(alice, "{\"type\":\"group\",\"participants\":\"" + bob + "\"}", "participants");
        // refused whole: bob, the good part, was put in no conversation
        List<String> bobs = given().auth()
                .oauth2(TestKeys.token(bob, "client"))
                .get("/api/conversations?limit=100")
                .then()
                .statusCode(200)
                .extract()
                .path("items.type");
        assertThat(bobs).containsExactly("support");
    }

    @Test
    void theTitleAndTheTypeAreCheckedAndTheTitleRoundTripsExactly() {
        String alice = "alice-" + UUID.randomUUID();
        problem(alice, "{\"type\":\"group\",\"title\":\"" + NUL + "\",\"participants\":[]}", "title", "U+0000");
        problem(
                alice,
                "{\"type\":\"group\",\"title\":\"" + SURROGATE + "\",\"participants\":[]}",
                "title",
                "surrogate");
        problem(alice, "{\"type\":\"" + NUL + "\",\"participants\":[]}", "type");
        problem(alice, "{\"type\":\"" + SURROGATE + "\",\"participants\":[]}", "type");

        for (String title : List.of(
                "\u202Eright to left\u202C \u200F",
                "zero\u200Bwidth\u200D\uFEFF",
                "\uD83D\uDC69\u200D\uD83D\uDC69\u200D\uD83D\uDC67 family \uD83C\uDDEB\uD83C\uDDF7",
                "  spaced  ",
                "tab\tand\nnewline\u0001",
                "\uD83D\uDE00".repeat(200))) {
            Response created = given().auth()
                    .oauth2(TestKeys.token(alice, "client"))
                    .contentType(ContentType.JSON)
                    .body(Map.of("type", "group", "title", title, "participants", List.of()))
                    .post("/api/conversations");
            created.then().statusCode(201).body("title", equalTo(title));
            String id = created.path("id");
            given().auth()
                    .oauth2(TestKeys.token(alice, "client"))
                    .get("/api/conversations/" + id)
                    .then()
                    .statusCode(200)
                    .body("title", equalTo(title));
            List<Map<String, Object>> items = given().auth()
                    .oauth2(TestKeys.token(alice, "client"))
                    .get("/api/conversations?limit=100")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("items");
            assertThat(items)
                    .filteredOn(i -> id.equals(i.get("id")))
                    .singleElement()
                    .satisfies(i -> assertThat(i.get("title")).isEqualTo(title));
        }
        // 200 characters is 200 code points, an emoji one of them: 201 is too many
        problem(
                alice,
                "{\"type\":\"group\",\"title\":\"" + "\\uD83D\\uDE00".repeat(201) + "\",\"participants\":[]}",
                "title");
    }

    @Test
    void userIdsOfParticipantsAreCheckedInTheBodyAndInThePath() {
        String owner = "owner-" + UUID.randomUUID();
        String id = InboxTest.create(owner, "group", List.of()).toString();
        String participants = "/api/conversations/" + id + "/participants";
        refusedAt(owner, participants, "{\"userId\":\"" + NUL + "\"}", "userId", "U+0000");
        refusedAt(owner, participants, "{\"userId\":\"" + SURROGATE + "\"}", "userId", "surrogate");
        refusedAt(owner, participants, "{\"userId\":\"\"}", "userId");
        refusedAt(owner, participants, "{}", "userId");

        for (String raw : List.of("a%00b", "x%ED%A0%80y", "x%C3y", "x%F0%9F%98y")) {
            given().auth()
                    .oauth2(TestKeys.token(owner, "client"))
                    .urlEncodingEnabled(false)
                    .delete(participants + "/" + raw)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("detail", containsString("userId"));
        }

        // ids with RTL marks, zero-width characters, emoji and separators round-trip, in the body and in the path
        for (String user : List.of(
                "\u202Eevil\u202C-" + UUID.randomUUID(),
                "zw\u200B" + UUID.randomUUID(),
                "\uD83D\uDE00|" + UUID.randomUUID(),
                "auth0|" + UUID.randomUUID(),
                "a b+c%d;e")) {
            given().auth()
                    .oauth2(TestKeys.token(owner, "client"))
                    .contentType(ContentType.JSON)
                    .body(Map.of("userId", user))
                    .post(participants)
                    .then()
                    .statusCode(200);
            List<String> members = given().auth()
                    .oauth2(TestKeys.token(user, "client"))
                    .get("/api/conversations/" + id)
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("participants");
            assertThat(members).contains(user);
            given().auth()
                    .oauth2(TestKeys.token(owner, "client"))
                    .delete(participants + "/{userId}", user)
                    .then()
                    .statusCode(204);
            given().auth()
                    .oauth2(TestKeys.token(user, "client"))
                    .get("/api/conversations/" + id)
                    .then()
                    .statusCode(404);
        }
    }

    @Test
    void queryParametersAreCheckedAndNamed() {
        String alice = TestKeys.token("alice-" + UUID.randomUUID(), "client");
        String admin = TestKeys.token("admin-" + UUID.randomUUID(), "admin");
        for (String token : List.of(alice, admin)) {
            for (String name : List.of("cursor", "filter", "limit")) {
                for (String raw : List.of("a%00b", "x%ED%A0%80y")) {
                    given().auth()
                            .oauth2(token)
                            .urlEncodingEnabled(false)
                            .get("/api/conversations?" + name + "=" + raw)
                            .then()
                            .statusCode(400)
                            .contentType("application/problem+json")
                            .body("detail", containsString(name));
                }
            }
        }
    }

    private static void problem(String user, String body, String... inDetail) {
        refusedAt(user, "/api/conversations", body, inDetail);
    }

    private static void refusedAt(String user, String path, String body, String... inDetail) {
        String detail = given().auth()
                .oauth2(TestKeys.token(user, "client"))
                .contentType(ContentType.JSON)
                .body(body)
                .post(path)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .extract()
                .path("detail");
        assertThat(detail).contains(inDetail);
    }
}
