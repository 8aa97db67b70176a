package io.parley.message;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.io.ByteArrayOutputStream;
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
 * {@link Inputs}. No answer is a 5xx, every 4xx is a problem body, and a conversation of others stored before (a
 * message and a file in it) reads exactly the same afterwards. docs/reliability.md.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class GeneratedInputTest {

    /** Requests per run (times {@code -Dparley.fuzz.scale}). */
    private static final int REQUESTS = 1500;

    private static final String BOUNDARY = "fuzz-boundary";

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
        fuzz.run(operations(conversations, messages, files), Inputs.scaled(REQUESTS));
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

    private static List<Operation> operations(List<String> conversations, List<String> messages, List<String> files) {
        return List.of(
                new Operation(
                        "POST /api/conversations/{conversationId}/messages",
                        in -> Request.json(
                                in,
                                "POST",
                                "/api/conversations/" + in.pathSegment(conversations) + "/messages",
                                in.body(() -> in.object(Inputs.fields(
                                        "clientMessageId",
                                        () -> in.field(() -> Inputs.quote(
                                                in.chance(0.2)
                                                        ? UUID.randomUUID()
                                                                .toString()
                                                                .toUpperCase()
                                                        : UUID.randomUUID().toString())),
                                        "content",
                                        () -> in.field(in::jsonText),
                                        "type",
                                        () -> in.field(() -> Inputs.quote(in.pick("text", "file", "system", "TEXT"))),
                                        "attachments",
                                        () -> in.field(() -> in.chance(0.7) ? "[]" : attachments(in, files))))))),
                new Operation(
                        "GET /api/conversations/{conversationId}/messages",
                        in -> Request.of(
                                "GET",
                                "/api/conversations/" + in.pathSegment(conversations) + "/messages"
                                        + query(in.query(Inputs.fields(
                                                "afterSeq",
                                                () -> String.valueOf(in.random().nextInt(5)),
                                                "beforeSeq",
                                                () -> String.valueOf(in.random().nextInt(5)),
                                                "limit",
                                                () -> String.valueOf(in.random().nextInt(250))))))),
                new Operation(
                        "PATCH /api/conversations/{conversationId}/messages/{messageId}",
                        in -> Request.json(
                                in,
                                "PATCH",
                                "/api/conversations/" + in.pathSegment(conversations) + "/messages/"
                                        + in.pathSegment(messages),
                                in.body(() -> in.object(Inputs.fields("content", () -> in.field(in::jsonText)))))),
                new Operation(
                        "DELETE /api/conversations/{conversationId}/messages/{messageId}",
                        in -> Request.of(
                                "DELETE",
                                "/api/conversations/" + in.pathSegment(conversations) + "/messages/"
                                        + in.pathSegment(messages))),
                new Operation(
                        "POST /api/conversations/{conversationId}/read",
                        in -> Request.json(
                                in,
                                "POST",
                                "/api/conversations/" + in.pathSegment(conversations) + "/read",
                                in.body(() -> in.object(Inputs.fields(
                                        "seq",
                                        () -> in.field(
                                                () -> String.valueOf(in.random().nextInt(4)))))))),
                new Operation(
                        "POST /api/conversations/{conversationId}/attachments",
                        in -> uploadRequest(
                                in, "/api/conversations/" + in.pathSegment(conversations) + "/attachments")),
                new Operation(
                        "GET /api/attachments/{id}",
                        in -> withRange(in, Request.of("GET", "/api/attachments/" + in.pathSegment(files)))),
                new Operation(
                        "HEAD /api/attachments/{id}",
                        in -> withRange(in, Request.of("HEAD", "/api/attachments/" + in.pathSegment(files)))),
                new Operation(
                        "GET /api/attachments/{id}/thumbnail",
                        in -> withRange(
                                in, Request.of("GET", "/api/attachments/" + in.pathSegment(files) + "/thumbnail"))),
                new Operation(
                        "HEAD /api/attachments/{id}/thumbnail",
                        in -> Request.of("HEAD", "/api/attachments/" + in.pathSegment(files) + "/thumbnail")),
                new Operation(
                        "GET /api/attachments/{id}/meta",
                        in -> Request.of("GET", "/api/attachments/" + in.pathSegment(files) + "/meta")),
                new Operation(
                        "DELETE /api/attachments/{id}",
                        in -> Request.of("DELETE", "/api/attachments/" + in.pathSegment(files))));
    }

    private static String attachments(Inputs in, List<String> files) {
        List<String> items = new ArrayList<>();
        int n = in.random().nextInt(in.chance(0.05) ? 14 : 3);
        for (int i = 0; i < n; i++) {
            items.add(
                    in.chance(0.7)
                            ? in.object(Inputs.fields(
                                    "id",
                                    () -> in.field(
                                            () -> Inputs.quote(in.pick(files).toUpperCase()))))
                            : in.anyJson(1));
        }
        return "[" + String.join(",", items) + "]";
    }

    /** Range and conditional headers, well formed or not, on a download. */
    private static Request withRange(Inputs in, Request request) {
        if (in.chance(0.4)) {
            request.headers()
                    .put(
                            "Range",
                            in.pick(
                                    "bytes=0-1",
                                    "bytes=-1",
                                    "bytes=5-",
                                    "bytes=9223372036854775807-",
                                    "bytes=99999999999999999999-",
                                    "bytes=3-1",
                                    "bytes=0-0,2-3",
                                    "bytes=",
                                    "bytes=-",
                                    "bytes=--1",
                                    "items=0-1",
                                    "bytes=-0",
                                    "garbage"));
        }
        if (in.chance(0.2)) {
            request.headers().put(in.pick("If-None-Match", "If-Range"), in.pick("\"x\"", "*", "W/\"x\"", "", "\""));
        }
        return request;
    }

    /** A multipart body (or not one) with a file part, parts of other names, odd file names and types. */
    private static Request uploadRequest(Inputs in, String target) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int parts = in.random().nextInt(3);
        for (int i = 0; i < parts; i++) {
            String name = in.chance(0.8) ? "file" : in.storableText();
            String filename =
                    in.chance(0.1) ? "" : "; filename=\"" + in.storableText().replace("\"", "'") + "\"";
            body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name.replace("\"", "'")
                            + "\"" + filename + "\r\nContent-Type: "
                            + in.pick("text/plain", "image/png", "application/octet-stream", "garbage") + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(in.chance(0.8) ? in.storableText().getBytes(StandardCharsets.UTF_8) : new byte[0]);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        if (in.chance(0.9)) {
            body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        }
        Request request = new Request("POST", target, new java.util.LinkedHashMap<>(), body.toByteArray());
        request.headers()
                .put(
                        "Content-Type",
                        in.chance(0.8)
                                ? "multipart/form-data; boundary=" + BOUNDARY
                                : in.pick(
                                        "multipart/form-data",
                                        "multipart/form-data; boundary=other",
                                        in.contentType()));
        return request;
    }

    private static String query(String query) {
        return query.isEmpty() ? "" : "?" + query;
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
