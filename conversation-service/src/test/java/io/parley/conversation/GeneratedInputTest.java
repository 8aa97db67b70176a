package io.parley.conversation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.parley.infra.fuzz.Inputs;
import io.parley.infra.fuzz.RestFuzz;
import io.parley.infra.fuzz.RestFuzz.Operation;
import io.parley.infra.fuzz.RestFuzz.Request;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Generated input on every REST call of this service (docs/openapi/conversation-service.yaml): bodies, path ids,
 * query strings and headers made by {@link Inputs}. No answer is a 5xx, every 4xx is a problem body, and a
 * conversation stored before (with a message in it) reads exactly the same afterwards. docs/reliability.md.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class GeneratedInputTest {

    /** Requests per run (times {@code -Dparley.fuzz.scale}). */
    private static final int REQUESTS = 1500;

    @TestHTTPResource("/")
    URI service;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Test
    void noGeneratedRequestFailsTheServiceOrChangesWhatOthersStored() {
        long seed = Inputs.seed();
        Inputs in = new Inputs(seed);
        String alice = "alice-" + UUID.randomUUID();
        String sam = "sam-" + UUID.randomUUID();
        String ted = "ted-" + UUID.randomUUID();

        // stored before: sam's group with ted and a message in it, which alice's requests must leave as it is
        String sentinel = given().auth()
                .oauth2(TestKeys.token(sam, "client"))
                .contentType(ContentType.JSON)
                .body(Map.of("type", "group", "title", "kept \u202Eas\u200B is", "participants", List.of(ted)))
                .post("/api/conversations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        try (Messages messages = new Messages(kafka)) {
            messages.created(UUID.fromString(sentinel), "group", List.of(sam, ted), 1, sam, "client");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> view(sam, sentinel).contains("\"lastSeq\":1"));
        String before = view(sam, sentinel);
        String tedsListBefore = list(ted);

        // alice's own conversations, so that generated ids name something she may change
        List<String> ids = new ArrayList<>(List.of(sentinel));
        for (int i = 0; i < 3; i++) {
            ids.add(given().auth()
                    .oauth2(TestKeys.token(alice, "client"))
                    .contentType(ContentType.JSON)
                    .body(Map.of("type", "group", "participants", List.of("bob", "carol")))
                    .post("/api/conversations")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id"));
        }
        // not sam nor ted: alice may put anyone in a group of hers, which would rightly change their lists
        List<String> users = List.of(alice, "bob", "carol");

        RestFuzz fuzz = new RestFuzz(
                service,
                in,
                seed,
                () -> TestKeys.token(alice, in.pick("client", "client", "client", "expert", "admin", "nobody")));
        fuzz.run(operations(ids, users), Inputs.scaled(REQUESTS));
        System.out.println(fuzz.summary("conversation-service"));
        fuzz.assertNoFailure();

        assertThat(view(sam, sentinel)).as("the conversation stored before").isEqualTo(before);
        assertThat(list(ted)).as("ted's list").isEqualTo(tedsListBefore);
    }

    private static List<Operation> operations(List<String> ids, List<String> users) {
        return List.of(
                new Operation(
                        "POST /api/conversations",
                        in -> Request.json(
                                in,
                                "POST",
                                "/api/conversations",
                                in.body(() -> in.object(Inputs.fields(
                                        "type",
                                                () -> in.field(() ->
                                                        Inputs.quote(in.pick("group", "direct", "support", "GROUP"))),
                                        "participants", () -> in.field(() -> participants(in, users)),
                                        "title", () -> in.field(in::jsonText)))))),
                new Operation(
                        "GET /api/conversations",
                        in -> Request.of(
                                "GET",
                                "/api/conversations"
                                        + query(in.query(Inputs.fields(
                                                "limit",
                                                        () -> String.valueOf(
                                                                in.random().nextInt(120)),
                                                "cursor", () -> Inputs.encode(in.text()),
                                                "filter", () -> in.pick("support", "unanswered", "all")))))),
                new Operation("GET /api/conversations/support", in -> Request.of("GET", "/api/conversations/support")),
                new Operation(
                        "GET /api/conversations/{id}",
                        in -> Request.of("GET", "/api/conversations/" + in.pathSegment(ids))),
                new Operation(
                        "POST /api/conversations/{id}/participants",
                        in -> Request.json(
                                in,
                                "POST",
                                "/api/conversations/" + in.pathSegment(ids) + "/participants",
                                in.body(() -> in.object(Inputs.fields(
                                        "userId", () -> in.field(() -> Inputs.quote(userId(in, users)))))))),
                new Operation(
                        "DELETE /api/conversations/{id}/participants/{userId}",
                        in -> Request.of(
                                "DELETE",
                                "/api/conversations/" + in.pathSegment(ids) + "/participants/"
                                        + in.pathSegment(List.of(userId(in, users))))),
                new Operation("GET /api/unread", in -> Request.of("GET", "/api/unread" + query(in.query(Map.of())))));
    }

    private static String participants(Inputs in, List<String> users) {
        List<String> items = new ArrayList<>();
        int n = in.random().nextInt(in.chance(0.02) ? 5002 : 4);
        for (int i = 0; i < n; i++) {
            items.add(in.chance(0.8) ? Inputs.quote(userId(in, users)) : in.anyJson(1));
        }
        return "[" + String.join(",", items) + "]";
    }

    private static String userId(Inputs in, List<String> users) {
        return in.chance(0.7) ? in.pick(users) : in.text();
    }

    private static String query(String query) {
        return query.isEmpty() ? "" : "?" + query;
    }

    private static String view(String user, String id) {
        return given().auth()
                .oauth2(TestKeys.token(user, "client"))
                .get("/api/conversations/" + id)
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }

    private static String list(String user) {
        return given().auth()
                .oauth2(TestKeys.token(user, "client"))
                .get("/api/conversations?limit=100")
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }
}
