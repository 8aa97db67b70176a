package io.parley.conversation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.parley.infra.fuzz.ApiCalls;
import io.parley.infra.fuzz.Inputs;
import io.parley.infra.fuzz.RestFuzz;
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
 * query strings and headers made by {@link Inputs} ({@link ApiCalls#conversations}). No answer is a 5xx, every 4xx is a problem body, and a
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
        fuzz.run(ApiCalls.conversations(ids, users), Inputs.scaled(REQUESTS));
        System.out.println(fuzz.summary("conversation-service"));
        fuzz.assertNoFailure();

        assertThat(view(sam, sentinel)).as("the conversation stored before").isEqualTo(before);
        assertThat(list(ted)).as("ted's list").isEqualTo(tedsListBefore);
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
