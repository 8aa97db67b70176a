package io.parley.message;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Generated input on every public REST call of this service (docs/openapi/message-service.yaml): message bodies,
 * edits, reads, uploads, path ids of conversations, messages and files, query strings and headers made by
 * {@link Inputs} ({@link ApiCalls#messages}). No answer is a 5xx, every 4xx is a problem body, and a conversation of others stored before (a
 * message and a file in it) reads exactly the same afterwards. docs/reliability.md.
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

        // stored before: sam's conversation with ted, a message and a file in it
        UUID sentinel = Conversations.create(kafka, "group", sam, List.of(sam, ted));
        String samsMessage = send(sam, sentinel, "kept \u202Eas\u200B is \uD83D\uDE00");
        String samsFile = upload(sam, sentinel);
        String historyBefore = history(sam, sentinel);
        String fileBefore = meta(sam, samsFile);

        // alice's own conversations, messages and file, so that generated ids name something she may change
        List<String> conversations = new ArrayList<>(List.of(sentinel.toString()));
        List<String> messages = new ArrayList<>(List.of(samsMessage));
        List<String> files = new ArrayList<>(List.of(samsFile));
        for (int i = 0; i < 2; i++) {
            UUID own = Conversations.create(kafka, "group", alice, List.of(alice, "bob"));
            conversations.add(own.toString());
            messages.add(send(alice, own, "hello"));
            files.add(upload(alice, own));
        }

        RestFuzz fuzz = new RestFuzz(
                service,
                in,
                seed,
                () -> TestKeys.token(alice, in.pick("client", "client", "client", "expert", "admin", "nobody")));
        fuzz.run(ApiCalls.messages(conversations, messages, files), Inputs.scaled(REQUESTS));
        System.out.println(fuzz.summary("message-service"));
        fuzz.assertNoFailure();

        assertThat(history(sam, sentinel)).as("the history stored before").isEqualTo(historyBefore);
        assertThat(meta(sam, samsFile)).as("the file stored before").isEqualTo(fileBefore);
        assertThat(given().auth()
                        .oauth2(TestKeys.token(ted, "client"))
                        .get("/api/attachments/" + samsFile)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asByteArray())
                .isEqualTo("sam's notes".getBytes(StandardCharsets.UTF_8));
    }

    private static String send(String user, UUID conversation, String content) {
        return given().auth()
                .oauth2(TestKeys.token(user, "client"))
                .contentType(ContentType.JSON)
                .body(Map.of("clientMessageId", UUID.randomUUID().toString(), "content", content))
                .post("/api/conversations/" + conversation + "/messages")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private static String upload(String user, UUID conversation) {
        return given().auth()
                .oauth2(TestKeys.token(user, "client"))
                .multiPart("file", "notes.txt", "sam's notes".getBytes(StandardCharsets.UTF_8))
                .post("/api/conversations/" + conversation + "/attachments")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private static String history(String user, UUID conversation) {
        return given().auth()
                .oauth2(TestKeys.token(user, "client"))
                .get("/api/conversations/" + conversation + "/messages")
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }

    private static String meta(String user, String file) {
        return given().auth()
                .oauth2(TestKeys.token(user, "client"))
                .get("/api/attachments/" + file + "/meta")
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }
}
