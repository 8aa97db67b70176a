package io.parley.message;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, kinds 2 and 7: every string a client sends is stored and answered back exactly, or refused with a 400 that
 * names the field (and, in a list, the part); a refused send stores nothing and takes no seq.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class TextRoundTripTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** JSON string literals (escaped as a client's JSON encoder writes them) that no database column can hold. */
    private static final List<String> UNSTORABLE = List.of("a\\u0000b", "x\\uD800y", "\\uDC00", "end\\uD83D");
    /** Right-to-left override, zero-width space, an emoji, a bell and other control and format characters. */
    private static final String ODD = "\u202Eabc\u200B\uD83D\uDE00\u0007 \u0001\u001F\u007F\u0085\u2028\u2029\uFEFF"
            + "\u200D\u200E\u200F\u2066 \uD83D\uDC69\u200D\uD83D\uDC69\u200D\uD83D\uDC67 \uFFFF \uDBFF\uDFFF";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Test
    void unstorableContentIsRefusedNamingItAndTakesNoSeq() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        UUID conversation = Conversations.create(kafka, "group", alice, List.of(alice, "bob"));
        String path = "/api/conversations/" + conversation + "/messages";
        String first = post(alice, path, body(UUID.randomUUID(), "\"first\"", null))
                .then()
                .statusCode(201)
                .extract()
                .path("id");

        for (String bad : UNSTORABLE) {
            Response refused = post(alice, path, body(UUID.randomUUID(), "\"" + bad + "\"", null));
            refused.then().statusCode(400).contentType("application/problem+json");
            assertThat(detail(refused)).as(bad).contains("content");

            Response editRefused = patch(alice, path + "/" + first, "{\"content\": \"" + bad + "\"}");
            editRefused.then().statusCode(400).contentType("application/problem+json");
            assertThat(detail(editRefused)).as(bad).contains("content");
        }
        JsonNode history = history(alice, path);
        assertThat(history.get("items")).hasSize(1);
        assertThat(history.get("items").get(0).get("content").asText()).isEqualTo("first");
        assertThat(history.get("items").get(0).get("editedAt").isNull()).isTrue();

        // Nothing was taken: the next message is number 2.
        JsonNode next = JSON.readTree(post(alice, path, body(UUID.randomUUID(), "\"second\"", null))
                .then()
                .statusCode(201)
                .extract()
                .asByteArray());
        assertThat(next.get("seq").asLong()).isEqualTo(2);
    }

    @Test
    void aMessageWithAttachmentsNeedsNoContentAndFreeFormAttachmentsAreRefused() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        UUID conversation = Conversations.create(kafka, "group", alice, List.of(alice, "bob"));
        String path = "/api/conversations/" + conversation + "/messages";
        String upload = upload(alice, conversation, "f.pdf");
        JsonNode sent = JSON.readTree(post(
                        alice,
                        path,
                        "{\"clientMessageId\": \"" + UUID.randomUUID()
                                + "\", \"type\": \"file\", \"attachments\": [{\"id\": \"" + upload + "\"}]}")
                .then()
                .statusCode(201)
                .extract()
                .asByteArray());
        assertThat(sent.get("content").isNull()).isTrue();
        assertThat(sent.get("attachments").get(0).get("name").asText()).isEqualTo("f.pdf");
        assertThat(sent.get("attachments").get(0).get("id").asText()).isEqualTo(upload);
        Response neither = post(alice, path, "{\"clientMessageId\": \"" + UUID.randomUUID() + "\"}");
        neither.then().statusCode(400);
        assertThat(detail(neither)).contains("content");

        for (String huge : List.of("9".repeat(400), "-" + "9".repeat(30), "1" + "0".repeat(19))) {
            Response refused = post(alice, path, body(UUID.randomUUID(), "\"x\"", "[{\"id\": " + huge + "}]"));
            refused.then().statusCode(400);
            assertThat(detail(refused)).as(huge).isEqualTo("attachments[0].id must be a UUID.");
        }
        Response freeForm = post(alice, path, body(UUID.randomUUID(), "\"x\"", "[{\"name\": \"f.pdf\"}]"));
        freeForm.then().statusCode(400);
        assertThat(detail(freeForm)).isEqualTo("attachments[0] may only have the key id.");
        Response typed = post(alice, path, body(UUID.randomUUID(), "5", null));
        typed.then().statusCode(400);
        assertThat(detail(typed)).isEqualTo("content must be a string.");
        assertThat(history(alice, path).get("items")).hasSize(1);
    }

    @Test
    void unstorableTextInAnAttachmentIsRefusedNamingTheAttachmentAndTheKey() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        UUID conversation = Conversations.create(kafka, "group", alice, List.of(alice, "bob"));
        String path = "/api/conversations/" + conversation + "/messages";
        String good = "{\"id\": \"" + UUID.randomUUID() + "\"}";

        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put(
                "[" + good + ", " + good.replace("\"}", "0\"}") + ", {\"id\": \"a\\u0000b\"}]",
                "attachments[1].id must be a UUID");
        cases.put("[{\"id\": \"x\\uD800y\"}]", "attachments[0].id must be a UUID");
        cases.put("[" + good + ", {\"na\\u0000me\": \"x\"}]", "attachments[1] may only have the key id");
        cases.put("[{\"id\": {\"ok\": {\"\\u0000\": 1}}}]", "attachments[0].id must be a UUID");
        cases.put("[" + good + ", \"not an object\"]", "attachments[1] must be a JSON object");
        cases.put("[" + good + ", null]", "attachments[1] must be a JSON object");
        cases.put("[" + good + ", [1, 2]]", "attachments[1] must be a JSON object");
        cases.put("[{\"id\": 1e400}]", "attachments[0].id must be a UUID");
        cases.put("[" + (good + ", ").repeat(10) + good + "]", "attachments is a list of at most 10");
        cases.put(good, "attachments must be a list of objects");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Response refused = post(alice, path, body(UUID.randomUUID(), "\"look\"", c.getKey()));
            refused.then().statusCode(400).contentType("application/problem+json");
            assertThat(detail(refused)).as(c.getKey()).contains(c.getValue());
        }
        // A key with a lone surrogate cannot even be parsed from UTF-8 by Jackson: still a 400, with a vaguer detail.
        post(alice, path, body(UUID.randomUUID(), "\"look\"", "[{\"meta\": {\"\\uDFFF\": 1}}]"))
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        assertThat(history(alice, path).get("items")).isEmpty();
        JsonNode stored = JSON.readTree(post(
                        alice,
                        path,
                        body(
                                UUID.randomUUID(),
                                "\"look\"",
                                "[{\"id\": \"" + upload(alice, conversation, "ok.png") + "\"}]"))
                .then()
                .statusCode(201)
                .extract()
                .asByteArray());
        assertThat(stored.get("seq").asLong()).isEqualTo(1);
    }

    @Test
    void everyOtherStringRoundTripsExactly() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        UUID conversation = Conversations.create(kafka, "group", alice, List.of(alice, "bob"));
        String path = "/api/conversations/" + conversation + "/messages";
        // every character of ODD that a file name keeps (controls and bidirectional controls are dropped from names)
        String name = "abc\u200B\uD83D\uDE00 \u2028\u2029\uFEFF\u200D \uD83D\uDC69\u200D\uD83D\uDC69\u200D\uD83D\uDC67"
                + " \uFFFF \uDBFF\uDFFF.txt";
        String upload = upload(alice, conversation, name);
        String body = JSON.writeValueAsString(Map.of(
                "clientMessageId",
                UUID.randomUUID().toString(),
                "content",
                ODD,
                "attachments",
                List.of(Map.of("id", upload))));

        JsonNode sent = JSON.readTree(
                post(alice, path, body).then().statusCode(201).extract().asByteArray());
        assertThat(sent.get("content").asText()).isEqualTo(ODD);
        JsonNode stored = history(alice, path).get("items").get(0);
        assertThat(stored.get("content").asText()).isEqualTo(ODD);
        assertThat(stored.get("attachments").get(0).get("name").asText()).isEqualTo(name);

        String edited = ODD + " (edited)";
        patch(alice, path + "/" + stored.get("id").asText(), JSON.writeValueAsString(Map.of("content", edited)))
                .then()
                .statusCode(200);
        assertThat(history(alice, path).get("items").get(0).get("content").asText())
                .isEqualTo(edited);
    }

    /** Uploads a small file named {@code name} (sent as raw UTF-8, as browsers do); answers its id. */
    private static String upload(String user, UUID conversation, String name) throws Exception {
        return JSON.readTree(given().auth()
                        .oauth2(TestKeys.token(user, "client"))
                        .contentType("multipart/form-data; boundary=" + FilesContract.BOUNDARY)
                        .body(FilesContract.multipart(name, "bytes".getBytes(StandardCharsets.UTF_8)))
                        .post("/api/conversations/" + conversation + "/attachments")
                        .then()
                        .statusCode(201)
                        .extract()
                        .asByteArray())
                .get("id")
                .asText();
    }

    @Test
    void theSendersNameFromTheTokenRoundTripsOrTheTokenIsRefused() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        UUID conversation = Conversations.create(kafka, "group", alice, List.of(alice, "bob"));
        String path = "/api/conversations/" + conversation + "/messages";
        String odd = TestKeys.keys().token(alice, "client", "\u202EAlice\u200B \uD83D\uDE00", Duration.ofMinutes(5));
        JsonNode sent = JSON.readTree(given().auth()
                .oauth2(odd)
                .contentType("application/json")
                .body(body(UUID.randomUUID(), "\"hi\"", null).getBytes(StandardCharsets.UTF_8))
                .post(path)
                .then()
                .statusCode(201)
                .extract()
                .asByteArray());
        assertThat(sent.get("senderName").asText()).isEqualTo("\u202EAlice\u200B \uD83D\uDE00");

        String nul = TestKeys.keys().token(alice, "client", "Al\u0000ice", Duration.ofMinutes(5));
        given().auth()
                .oauth2(nul)
                .contentType("application/json")
                .body(body(UUID.randomUUID(), "\"hi\"", null).getBytes(StandardCharsets.UTF_8))
                .post(path)
                .then()
                .statusCode(401);
        assertThat(history(alice, path).get("items")).hasSize(1);
    }

    @Test
    void queryParametersThatAreNotNumbersAreRefusedNamingThem() {
        String alice = "alice-" + UUID.randomUUID();
        UUID conversation = Conversations.create(kafka, "group", alice, List.of(alice, "bob"));
        String path = "/api/conversations/" + conversation + "/messages";
        for (String param : List.of("afterSeq", "beforeSeq", "limit")) {
            given().auth()
                    .oauth2(TestKeys.token(alice, "client"))
                    .urlEncodingEnabled(false)
                    .get(path + "?" + param + "=1%00")
                    .then()
                    .statusCode(400)
                    .body("detail", org.hamcrest.Matchers.containsString(param));
        }
        // An id that is not a UUID names nothing, whatever it holds.
        given().auth()
                .oauth2(TestKeys.token(alice, "client"))
                .urlEncodingEnabled(false)
                .get("/api/conversations/a%00b/messages")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(TestKeys.token(alice, "client"))
                .urlEncodingEnabled(false)
                .contentType("application/json")
                .body("{\"content\": \"x\"}")
                .patch(path + "/x%ED%A0%80y")
                .then()
                .statusCode(404);
    }

    private static String body(UUID clientMessageId, String contentLiteral, String attachmentsLiteral) {
        return "{\"clientMessageId\": \"" + clientMessageId + "\", \"content\": " + contentLiteral
                + (attachmentsLiteral == null ? "" : ", \"attachments\": " + attachmentsLiteral) + "}";
    }

    private static Response post(String sender, String path, String json) {
        return given().auth()
                .oauth2(TestKeys.token(sender, "client"))
                .contentType("application/json")
                .body(json.getBytes(StandardCharsets.UTF_8))
                .post(path);
    }

    private static Response patch(String sender, String path, String json) {
        return given().auth()
                .oauth2(TestKeys.token(sender, "client"))
                .contentType("application/json")
                .body(json.getBytes(StandardCharsets.UTF_8))
                .patch(path);
    }

    private static JsonNode history(String reader, String path) throws Exception {
        return JSON.readTree(given().auth()
                .oauth2(TestKeys.token(reader, "client"))
                .get(path)
                .then()
                .statusCode(200)
                .extract()
                .asByteArray());
    }

    private static String detail(Response response) throws Exception {
        return JSON.readTree(response.asByteArray()).get("detail").asText();
    }
}
