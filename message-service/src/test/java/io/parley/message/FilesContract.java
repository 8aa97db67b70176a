package io.parley.message;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.events.ParticipantRemoved;
import io.parley.infra.TestKeys;
import io.parley.message.client.FileStore;
import io.parley.message.domain.FileService;
import io.parley.message.domain.FileSweeper;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The files contract end to end, against whichever FileStore the concrete class's configuration selects (real Kafka
 * and PostgreSQL): upload, attach, download, cancel, delete and sweep, and every refusal. A concrete class adds
 * {@code @QuarkusTest}, the infrastructure resource (and a profile for another store) and says what the store holds.
 */
public abstract class FilesContract {

    protected static final ObjectMapper JSON = new ObjectMapper();
    protected static final String BOUNDARY = "parley-test-boundary";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    protected String kafka;

    @ConfigProperty(name = "quarkus.http.body.uploads-directory")
    protected String uploadsDirectory;

    @ConfigProperty(name = "parley.files.max-size")
    protected io.quarkus.runtime.configuration.MemorySize maxSizeSetting;

    /** The largest file accepted, in bytes. */
    protected long maxSize() {
        return maxSizeSetting.asLongValue();
    }

    @Inject
    protected FileStore store;

    @Inject
    protected FileSweeper sweeper;

    @Inject
    protected Pool pool;

    /** Every key the store holds now (temporary files included), to see that a refused upload left nothing. */
    protected abstract Set<String> storedKeys() throws IOException;

    // ---------------------------------------------------------------------------------------------------- the flow

    @Test
    void uploadAttachDownloadAndDelete() throws Exception {
        String alice = user("alice");
        String bob = user("bob");
        UUID conversation = Conversations.create(kafka, "group", alice, List.of(alice, bob));
        byte[] bytes = "Hello, Bob.\nThese are the minutes.\n".getBytes(StandardCharsets.UTF_8);

        Response created = upload(alice, conversation, "minutes.txt", bytes);
        created.then().statusCode(201).contentType("application/json");
        JsonNode attachment = json(created);
        String id = attachment.get("id").asText();
        assertThat(created.header("Location")).isEqualTo("/api/attachments/" + id);
        assertThat(attachment.get("conversationId").asText()).isEqualTo(conversation.toString());
        assertThat(attachment.get("name").asText()).isEqualTo("minutes.txt");
        assertThat(attachment.get("contentType").asText()).isEqualTo("text/plain");
        assertThat(attachment.get("size").asLong()).isEqualTo(bytes.length);
        assertThat(attachment.get("sha256").asText()).isEqualTo(sha256(bytes));
        assertThat(attachment.get("url").asText()).isEqualTo("/api/attachments/" + id);
        assertThat(attachment.has("width")).isFalse();
        assertThat(attachment.has("thumbnailUrl")).isFalse();
        assertThat(Instant.parse(attachment.get("createdAt").asText()))
                .isBefore(Instant.now().plusSeconds(1));
        assertThat(store.exists(FileService.key(UUID.fromString(id)))).isTrue();

        // the other participant reads it, its meta, and its head
        JsonNode meta = json(get(bob, "/api/attachments/" + id + "/meta")
                .then()
                .statusCode(200)
                .extract()
                .response());
        assertThat(meta).isEqualTo(attachment);
        Response download = get(bob, "/api/attachments/" + id);
        download.then().statusCode(200);
        assertThat(download.asByteArray()).isEqualTo(bytes);
        assertThat(download.header("Content-Type")).startsWith("text/plain");
        assertThat(download.header("Content-Length")).isEqualTo(String.valueOf(bytes.length));
        assertThat(download.header("ETag")).isEqualTo("\"" + sha256(bytes) + "\"");
        assertThat(download.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(download.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(download.header("Cache-Control")).isEqualTo("private, max-age=31536000, immutable");
        assertThat(download.header("Cross-Origin-Resource-Policy")).isEqualTo("same-origin");
        assertThat(download.header("Content-Security-Policy"))
                .isEqualTo("default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox");
        assertThat(download.header("Content-Disposition"))
                .isEqualTo("inline; filename=\"minutes.txt\"; filename*=UTF-8''minutes.txt");
        Response head = given().auth().oauth2(token(bob)).head("/api/attachments/" + id);
        head.then().statusCode(200);
        assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(bytes.length));
        assertThat(head.header("ETag")).isEqualTo(download.header("ETag"));
        assertThat(head.asByteArray()).isEmpty();

        // attach: the message carries its Attachment JSON; a retry answers the stored message
        UUID clientMessageId = UUID.randomUUID();
        Response sent = send(alice, conversation, clientMessageId, null, List.of(id));
        sent.then().statusCode(201);
        JsonNode message = json(sent);
        assertThat(message.get("content").isNull()).isTrue();
        JsonNode carried = message.get("attachments").get(0);
        for (String field : List.of("id", "name", "contentType", "size", "sha256", "url")) {
            assertThat(carried.get(field)).as(field).isEqualTo(attachment.get(field));
        }
        Response retried = send(alice, conversation, clientMessageId, null, List.of(id));
        retried.then().statusCode(200);
        assertThat(json(retried).get("id")).isEqualTo(message.get("id"));
        JsonNode history = json(get(bob, "/api/conversations/" + conversation + "/messages")
                .then()
                .statusCode(200)
                .extract()
                .response());
        assertThat(history.get("items")).hasSize(1);
        assertThat(history.get("items")
                        .get(0)
                        .get("attachments")
                        .get(0)
                        .get("id")
                        .asText())
                .isEqualTo(id);
        // attached: it can no longer be cancelled
        given().auth()
                .oauth2(token(alice))
                .delete("/api/attachments/" + id)
                .then()
                .statusCode(409)
                .contentType("application/problem+json");

        // deleting the message stops downloads at once; the sweeper deletes the bytes
        given().auth()
                .oauth2(token(alice))
                .delete("/api/conversations/" + conversation + "/messages/"
                        + message.get("id").asText())
                .then()
                .statusCode(204);
        get(bob, "/api/attachments/" + id).then().statusCode(404).contentType("application/problem+json");
        get(alice, "/api/attachments/" + id + "/meta").then().statusCode(404);
        sweeper.sweep();
        assertThat(store.exists(FileService.key(UUID.fromString(id)))).isFalse();
        assertThat(rows(conversation)).isZero();
    }

    /** A message of files only (white space beside them is no content), sent without a type, is a file message. */
    @Test
    void aMessageOfFilesOnlyIsAFileMessage() throws Exception {
        String alice = user("alice");
        UUID conversation = Conversations.create(kafka, "group", alice, List.of(alice));
        String id = json(upload(alice, conversation, "notes.txt", "notes\n".getBytes(StandardCharsets.UTF_8)))
                .get("id")
                .asText();
        Map<String, Object> body = Map.of(
                "clientMessageId",
                UUID.randomUUID().toString(),
                "content",
                " \n",
                "attachments",
                List.of(Map.of("id", id)));
        JsonNode sent = json(given().auth()
                .oauth2(token(alice))
                .contentType("application/json")
                .body(JSON.writeValueAsBytes(body))
                .post("/api/conversations/" + conversation + "/messages")
                .then()
                .statusCode(201)
                .extract()
                .response());
        assertThat(sent.get("type").asText()).isEqualTo("file");
        assertThat(sent.get("content").isNull()).isTrue();
        assertThat(sent.get("attachments")).hasSize(1);
    }

    @Test
    void anUploaderCancelsAnUnattachedUpload() throws Exception {
        String alice = user("alice");
        String bob = user("bob");
        UUID conversation = Conversations.create(kafka, "group", alice, List.of(alice, bob));
        String id = json(upload(alice, conversation, "draft.txt", "draft".getBytes())
                        .then()
                        .statusCode(201)
                        .extract()
                        .response())
                .get("id")
                .asText();
        given().auth()
                .oauth2(token(bob))
                .delete("/api/attachments/" + id)
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(token(alice))
                .delete("/api/attachments/" + id)
                .then()
                .statusCode(204);
        assertThat(store.exists(FileService.key(UUID.fromString(id)))).isFalse();
        get(alice, "/api/attachments/" + id).then().statusCode(404);
        given().auth()
                .oauth2(token(alice))
                .delete("/api/attachments/" + id)
                .then()
                .statusCode(404);
        send(alice, conversation, UUID.randomUUID(), "x", List.of(id)).then().statusCode(400);
    }

    // ----------------------------------------------------------------------------------------------- who may

    @Test
    void whoMayNotReadTheConversationGets404ForEveryFileCall() throws Exception {
        String alice = user("alice");
        String bob = user("bob");
        String eve = user("eve");
        UUID conversation = Conversations.create(kafka, "group", alice, List.of(alice, bob));
        String id = json(upload(alice, conversation, "photo.png", png(400, 300, false))
                        .then()
                        .statusCode(201)
                        .extract()
                        .response())
                .get("id")
                .asText();

        for (String[] caller : new String[][] {{eve, "client"}, {"admin-" + UUID.randomUUID(), "admin"}}) {
            String token = TestKeys.token(caller[0], caller[1]);
            given().auth()
                    .oauth2(token)
                    .multiPart("file", "x.txt", "x".getBytes())
                    .post("/api/conversations/" + conversation + "/attachments")
                    .then()
                    .statusCode(404)
                    .contentType("application/problem+json");
            given().auth()
                    .oauth2(token)
                    .contentType("application/json")
                    .body("{}")
                    .post("/api/conversations/" + conversation + "/attachments")
                    .then()
                    .statusCode(404);
            for (String path : List.of("", "/thumbnail", "/meta")) {
                given().auth()
                        .oauth2(token)
                        .get("/api/attachments/" + id + path)
                        .then()
                        .statusCode(404)
                        .contentType("application/problem+json");
                given().auth()
                        .oauth2(token)
                        .head("/api/attachments/" + id + path)
                        .then()
                        .statusCode(404);
            }
            given().auth().oauth2(token).delete("/api/attachments/" + id).then().statusCode(404);
        }
        given().auth()
                .oauth2(token(eve))
                .multiPart("file", "x.txt", "x".getBytes())
                .post("/api/conversations/" + UUID.randomUUID() + "/attachments")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(token(eve))
                .multiPart("file", "x.txt", "x".getBytes())
                .post("/api/conversations/not-a-uuid/attachments")
                .then()
                .statusCode(404);
        for (String unknown : List.of(UUID.randomUUID().toString(), "not-a-uuid")) {
            get(alice, "/api/attachments/" + unknown).then().statusCode(404);
            get(alice, "/api/attachments/" + unknown + "/meta").then().statusCode(404);
        }
        given().multiPart("file", "x.txt", "x".getBytes())
                .post("/api/conversations/" + conversation + "/attachments")
                .then()
                .statusCode(401);
        given().get("/api/attachments/" + id).then().statusCode(401);

        // a removed participant is refused at once
        get(bob, "/api/attachments/" + id + "/thumbnail").then().statusCode(200);
        Conversations.publishAndSync(
                kafka, ParticipantRemoved.of(conversation, bob, alice, List.of(alice), Instant.now()), conversation);
        for (String path : List.of("", "/thumbnail", "/meta")) {
            get(bob, "/api/attachments/" + id + path).then().statusCode(404);
        }
        upload(bob, conversation, "late.txt", "late".getBytes()).then().statusCode(404);
        get(alice, "/api/attachments/" + id).then().statusCode(200);
    }

    @Test
    void adminsUseSupportConversations() throws Exception {
        String client = user("client");
        String admin = "admin-" + UUID.randomUUID();
        UUID support = Conversations.create(kafka, "support", client, List.of(client));
        String id = json(given().auth()
                        .oauth2(TestKeys.token(admin, "admin"))
                        .multiPart("file", "steps.txt", "do this".getBytes())
                        .post("/api/conversations/" + support + "/attachments")
                        .then()
                        .statusCode(201)
                        .extract()
                        .response())
                .get("id")
                .asText();
        get(client, "/api/attachments/" + id).then().statusCode(200);
        given().auth()
                .oauth2(TestKeys.token("admin-" + UUID.randomUUID(), "admin"))
                .get("/api/attachments/" + id)
                .then()
                .statusCode(200);
    }

    // ------------------------------------------------------------------------------------------------ refusals

    @Test
    void aThirtyMegabyteUploadIs413BeforeItsBodyIsReadAndNothingIsStored() throws Exception {
        String alice = user("alice");
        UUID conversation = Conversations.create(kafka, "group", alice, List.of(alice));
        Set<String> before = storedKeys();
        Set<Path> temporary = uploadTempFiles();
        long thirtyMb = 30L * 1024 * 1024;
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            OutputStream out = socket.getOutputStream();
            // only the head: the answer comes before any of the body is read (sending it could race the close)
            out.write(requestHead(alice, conversation, thirtyMb));
            out.flush();
            String answer = readAnswer(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 413");
            assertThat(answer)
                    .contains("application/problem+json")
                    .contains(io.parley.message.domain.FileService.sizeLimit(maxSize()));
        }
        // a file part just above the limit inside a body that is not: read, then refused (streamed from a generator:
        // this test shares the JVM, and rest-assured would hold and print the whole body)
        java.net.http.HttpResponse<String> refused = postStreamed(alice, conversation, "big.bin", maxSize() + 1);
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(rows(conversation)).isZero();
        assertThat(storedKeys()).isSubsetOf(before);
        awaitNoNewUploadTempFiles(temporary);
    }

    @Test
    void emptyMissingDoubleAndNonMultipartBodiesAre400() throws Exception {
        String alice = user("alice");
        UUID conversation = Conversations.create(kafka, "group", alice, List.of(alice));
        String path = "/api/conversations/" + conversation + "/attachments";
        assertThat(detail(upload(alice, conversation, "empty.txt", new byte[0])
                        .then()
                        .statusCode(400)
                        .extract()
                        .response()))
                .isEqualTo("The file is empty.");
        given().auth()
                .oauth2(token(alice))
                .multiPart("other", "x.txt", "x".getBytes())
                .post(path)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(token(alice))
                .multiPart("file", "a.txt", "a".getBytes())
                .multiPart("file", "b.txt", "b".getBytes())
                .post(path)
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(token(alice))
                .contentType("application/json")
                .body("{\"file\": \"x\"}")
                .post(path)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(token(alice))
                .contentType("application/octet-stream")
                .body("x".getBytes())
                .post(path)
                .then()
                .statusCode(400);
        assertThat(rows(conversation)).isZero();
    }

    @Test
    void executablesAre415WhateverTheirName() throws Exception {
        String alice = user("alice");
        UUID conversation = Conversations.create(kafka, "group", alice, List.of(alice));
        Set<String> before = storedKeys();
        for (byte[] executable : List.of(FileFactsTest.elf(), FileFactsTest.mz(), "#!/bin/sh\necho hi\n".getBytes())) {
            Response refused = upload(alice, conversation, "holiday.jpg", executable);
            refused.then().statusCode(415).contentType("application/problem+json");
            assertThat(detail(refused)).startsWith("Files of type application/");
        }
        assertThat(rows(conversation)).isZero();
        assertThat(storedKeys()).isSubsetOf(before);
    }

    @Test
    void theThirtyFirstUploadInAMinuteIs429WithRetryAfter() throws Exception {
        String alice = user("alice");
        UUID conversation = Conversations.create(kafka, "group", alice, List.of(alice));
        for (int i = 0; i < 30; i++) {
            upload(alice, conversation, "n" + i + ".txt", ("n" + i).getBytes())
                    .then()
                    .statusCode(201);
        }
        Response limited = upload(alice, conversation, "one-more.txt", "more".getBytes());
        limited.then().statusCode(429).contentType("application/problem+json");
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 60);
        assertThat(rows(conversation)).isEqualTo(30);
        // counted per user
        String bob = user("bob");
        UUID other = Conversations.create(kafka, "group", bob, List.of(bob));
        upload(bob, other, "mine.txt", "mine".getBytes()).then().statusCode(201);
    }

    // ------------------------------------------------------------------------------------------ what is served

    @Test
    void htmlIsServedAsADownloadThatCannotRunInTheAppsOrigin() throws Exception {
        String alice = user("alice");
        UUID conversation = Conversations.create(kafka, "group", alice, List.of(alice));
        byte[] html = "<!DOCTYPE html><html><body><script>fetch('/api/unread')</script></body></html>"
                .getBytes(StandardCharsets.UTF_8);
        for (String name : List.of("page.html", "cat.png", "notes.txt")) {
            JsonNode attachment = json(upload(alice, conversation, name, html)
                    .then()
                    .statusCode(201)
                    .extract()
                    .response());
            assertThat(attachment.get("contentType").asText()).as(name).isEqualTo("text/html");
            Response download =
                    get(alice, "/api/attachments/" + attachment.get("id").asText());
            download.then().statusCode(200);
            assertThat(download.header("Content-Type")).startsWith("text/html");
            assertThat(download.header("Content-Disposition")).startsWith("attachment; filename=\"" + name + "\"");
            assertThat(download.header("Content-Security-Policy"))
                    .startsWith("default-src 'none'")
                    .endsWith("; sandbox");
            assertThat(download.header("X-Content-Type-Options")).isEqualTo("nosniff");
        }
        byte[] pdf = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
        String id = json(upload(alice, conversation, "contract.pdf", pdf)
                        .then()
                        .statusCode(201)
                        .extract()
                        .response())
                .get("id")
                .asText();
        Response download = get(alice, "/api/attachments/" + id);
        assertThat(download.header("Content-Type")).isEqualTo("application/pdf");
        assertThat(download.header("Content-Disposition")).startsWith("inline;");
        assertThat(download.header("Content-Security-Policy")).doesNotContain("sandbox");
    }

    @Test
    void pathsAndControlCharactersInNamesAreStoredSafely() throws Exception {
        String alice = user("alice");
        UUID conversation = Conversations.create(kafka, "group", alice, List.of(alice));
        Map<String, String> names = Map.of(
                "../../etc/passwd", "passwd",
                "a\u0000b.txt", "ab.txt",
                "..\\..\\boot.ini", "boot.ini",
                "r\u00e9sum\u00e9 \u202Egnp.txt", "r\u00e9sum\u00e9 gnp.txt",
                "..", "file");
        for (Map.Entry<String, String> name : names.entrySet()) {
            Response created = given().auth()
                    .oauth2(token(alice))
                    .contentType("multipart/form-data; boundary=" + BOUNDARY)
                    .body(multipart(name.getKey(), "content".getBytes()))
                    .post("/api/conversations/" + conversation + "/attachments");
            created.then().statusCode(201);
            JsonNode attachment = json(created);
            assertThat(attachment.get("name").asText()).as(name.getKey()).isEqualTo(name.getValue());
            Response download =
                    get(alice, "/api/attachments/" + attachment.get("id").asText());
            assertThat(download.asString()).isEqualTo("content");
            assertThat(download.header("Content-Disposition"))
                    .as(name.getKey())
                    .endsWith("filename*=UTF-8''"
                            + java.net.URLEncoder.encode(name.getValue(), StandardCharsets.UTF_8)
                                    .replace("+", "%20"));
        }
    }

    @Test
    void rangesConditionalRequestsAndHead() throws Exception {
        String alice = user("alice");
        UUID conversation = Conversations.create(kafka, "group", alice, List.of(alice));
        byte[] bytes = new byte[1000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i % 251);
        }
        bytes[0] = 0; // binary, not text
        String id = json(upload(alice, conversation, "data.bin", bytes)
                        .then()
                        .statusCode(201)
                        .extract()
                        .response())
                .get("id")
                .asText();
        String url = "/api/attachments/" + id;
        String etag = "\"" + sha256(bytes) + "\"";

        Response partial = given().auth()
                .oauth2(token(alice))
                .header("Range", "bytes=100-199")
                .get(url);
        partial.then().statusCode(206);
        assertThat(partial.asByteArray()).isEqualTo(Arrays.copyOfRange(bytes, 100, 200));
        assertThat(partial.header("Content-Range")).isEqualTo("bytes 100-199/1000");
        assertThat(partial.header("Content-Length")).isEqualTo("100");
        assertThat(partial.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(partial.header("Content-Disposition")).startsWith("attachment;");

        Response suffix =
                given().auth().oauth2(token(alice)).header("Range", "bytes=-10").get(url);
        suffix.then().statusCode(206);
        assertThat(suffix.asByteArray()).isEqualTo(Arrays.copyOfRange(bytes, 990, 1000));
        Response open = given().auth()
                .oauth2(token(alice))
                .header("Range", "bytes=995-")
                .get(url);
        assertThat(open.asByteArray()).isEqualTo(Arrays.copyOfRange(bytes, 995, 1000));

        Response unsatisfiable = given().auth()
                .oauth2(token(alice))
                .header("Range", "bytes=1000-")
                .get(url);
        unsatisfiable.then().statusCode(416).contentType("application/problem+json");
        assertThat(unsatisfiable.header("Content-Range")).isEqualTo("bytes */1000");

        Response several = given().auth()
                .oauth2(token(alice))
                .header("Range", "bytes=0-1,5-6")
                .get(url);
        several.then().statusCode(200);
        assertThat(several.asByteArray()).isEqualTo(bytes);

        given().auth()
                .oauth2(token(alice))
                .header("If-None-Match", etag)
                .get(url)
                .then()
                .statusCode(304)
                .header("ETag", etag);
        given().auth()
                .oauth2(token(alice))
                .header("If-None-Match", "\"other\"")
                .get(url)
                .then()
                .statusCode(200);
        Response changed = given().auth()
                .oauth2(token(alice))
                .header("Range", "bytes=100-199")
                .header("If-Range", "\"other\"")
                .get(url);
        changed.then().statusCode(200);
        assertThat(changed.asByteArray()).isEqualTo(bytes);
        given().auth()
                .oauth2(token(alice))
                .header("Range", "bytes=100-199")
                .header("If-Range", etag)
                .get(url)
                .then()
                .statusCode(206);

        Response head = given().auth()
                .oauth2(token(alice))
                .header("Range", "bytes=100-199")
                .head(url);
        head.then().statusCode(206);
        assertThat(head.header("Content-Range")).isEqualTo("bytes 100-199/1000");
        assertThat(head.asByteArray()).isEmpty();
    }

    @Test
    void imagesGetDimensionsAndAThumbnailOfAtMost320Pixels() throws Exception {
        String alice = user("alice");
        UUID conversation = Conversations.create(kafka, "group", alice, List.of(alice));
        JsonNode photo = json(upload(alice, conversation, "photo.png", png(1200, 800, false))
                .then()
                .statusCode(201)
                .extract()
                .response());
        assertThat(photo.get("contentType").asText()).isEqualTo("image/png");
        assertThat(photo.get("width").asInt()).isEqualTo(1200);
        assertThat(photo.get("height").asInt()).isEqualTo(800);
        String id = photo.get("id").asText();
        assertThat(photo.get("thumbnailUrl").asText()).isEqualTo("/api/attachments/" + id + "/thumbnail");
        Response thumbnail = get(alice, photo.get("thumbnailUrl").asText());
        thumbnail.then().statusCode(200);
        assertThat(thumbnail.header("Content-Type")).isEqualTo("image/jpeg");
        assertThat(thumbnail.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(thumbnail.header("Content-Disposition")).startsWith("inline;");
        assertThat(thumbnail.header("ETag"))
                .isNotEqualTo("\"" + photo.get("sha256").asText() + "\"");
        BufferedImage small = ImageIO.read(new ByteArrayInputStream(thumbnail.asByteArray()));
        assertThat(small.getWidth()).isEqualTo(320);
        assertThat(small.getHeight()).isBetween(213, 214);
        assertThat(get(alice, "/api/attachments/" + id).header("Content-Disposition"))
                .startsWith("inline;");

        JsonNode logo = json(upload(alice, conversation, "logo.png", png(100, 400, true))
                .then()
                .statusCode(201)
                .extract()
                .response());
        Response transparent = get(alice, logo.get("thumbnailUrl").asText());
        assertThat(transparent.header("Content-Type")).isEqualTo("image/png");
        BufferedImage alpha = ImageIO.read(new ByteArrayInputStream(transparent.asByteArray()));
        assertThat(alpha.getHeight()).isEqualTo(320);
        assertThat(alpha.getColorModel().hasAlpha()).isTrue();

        // not an image: no thumbnail
        String text = json(upload(alice, conversation, "a.txt", "a".getBytes())
                        .then()
                        .statusCode(201)
                        .extract()
                        .response())
                .get("id")
                .asText();
        get(alice, "/api/attachments/" + text + "/thumbnail").then().statusCode(404);
    }

    // ------------------------------------------------------------------------------------------------- attach

    @Test
    void onlyTheSendersOwnUnattachedUploadsOfTheConversationAttach() throws Exception {
        String alice = user("alice");
        String bob = user("bob");
        UUID conversation = Conversations.create(kafka, "group", alice, List.of(alice, bob));
        UUID elsewhere = Conversations.create(kafka, "group", alice, List.of(alice));
        String mine = uploadId(alice, conversation, "mine.txt");
        String bobs = uploadId(bob, conversation, "bobs.txt");
        String otherConversation = uploadId(alice, elsewhere, "elsewhere.txt");

        assertThat(detail(send(alice, conversation, UUID.randomUUID(), null, List.of(mine, otherConversation))
                        .then()
                        .statusCode(400)
                        .extract()
                        .response()))
                .isEqualTo("attachments[1] is not an upload of yours in this conversation.");
        assertThat(detail(send(alice, conversation, UUID.randomUUID(), null, List.of(bobs))
                        .then()
                        .statusCode(400)
                        .extract()
                        .response()))
                .isEqualTo("attachments[0] is not an upload of yours in this conversation.");
        assertThat(detail(send(
                                alice,
                                conversation,
                                UUID.randomUUID(),
                                null,
                                List.of(UUID.randomUUID().toString()))
                        .then()
                        .statusCode(400)
                        .extract()
                        .response()))
                .isEqualTo("attachments[0] is not an upload of yours in this conversation.");
        // nothing of a refused send was kept: the upload is still free
        UUID first = UUID.randomUUID();
        send(alice, conversation, first, "here", List.of(mine)).then().statusCode(201);
        send(alice, conversation, first, "here", List.of(mine)).then().statusCode(200);
        String another = uploadId(alice, conversation, "another.txt");
        assertThat(detail(send(alice, conversation, UUID.randomUUID(), null, List.of(another, mine))
                        .then()
                        .statusCode(409)
                        .extract()
                        .response()))
                .isEqualTo("attachments[1] is attached to another message.");
        // the wrong form is named by its path; free-form objects are refused
        Response freeForm = given().auth()
                .oauth2(token(alice))
                .contentType("application/json")
                .body("{\"clientMessageId\": \"" + UUID.randomUUID() + "\", \"attachments\": [{\"id\": \"" + another
                        + "\"}, {\"id\": 7}]}")
                .post("/api/conversations/" + conversation + "/messages");
        assertThat(detail(freeForm.then().statusCode(400).extract().response()))
                .isEqualTo("attachments[1].id must be a UUID.");
        JsonNode history = json(get(alice, "/api/conversations/" + conversation + "/messages")
                .then()
                .statusCode(200)
                .extract()
                .response());
        assertThat(history.get("items")).hasSize(1);
        // the free upload attaches, in the order given, with content
        String third = uploadId(alice, conversation, "third.txt");
        JsonNode two = json(send(alice, conversation, UUID.randomUUID(), "two files", List.of(third, another))
                .then()
                .statusCode(201)
                .extract()
                .response());
        assertThat(two.get("attachments").get(0).get("id").asText()).isEqualTo(third);
        assertThat(two.get("attachments").get(1).get("id").asText()).isEqualTo(another);
        assertThat(two.get("content").asText()).isEqualTo("two files");
    }

    // ------------------------------------------------------------------------------------------------- sweeps

    @Test
    void aDeletedMessagesFilesAndThumbnailsAreSwept() throws Exception {
        String alice = user("alice");
        UUID conversation = Conversations.create(kafka, "group", alice, List.of(alice));
        String id = json(upload(alice, conversation, "p.png", png(640, 480, false))
                        .then()
                        .statusCode(201)
                        .extract()
                        .response())
                .get("id")
                .asText();
        String key = FileService.key(UUID.fromString(id));
        assertThat(store.exists(key)).isTrue();
        assertThat(store.exists(key + ".thumb")).isTrue();
        String messageId = json(send(alice, conversation, UUID.randomUUID(), null, List.of(id))
                        .then()
                        .statusCode(201)
                        .extract()
                        .response())
                .get("id")
                .asText();
        given().auth()
                .oauth2(token(alice))
                .delete("/api/conversations/" + conversation + "/messages/" + messageId)
                .then()
                .statusCode(204);
        get(alice, "/api/attachments/" + id).then().statusCode(404);
        get(alice, "/api/attachments/" + id + "/thumbnail").then().statusCode(404);
        sweeper.sweep();
        assertThat(store.exists(key)).isFalse();
        assertThat(store.exists(key + ".thumb")).isFalse();
        assertThat(rows(conversation)).isZero();
    }

    @Test
    void uploadsNeverAttachedAreSweptOnceOlderThanTheirTimeToLive() throws Exception {
        String alice = user("alice");
        UUID conversation = Conversations.create(kafka, "group", alice, List.of(alice));
        String old = uploadId(alice, conversation, "old.txt");
        String recent = uploadId(alice, conversation, "recent.txt");
        pool.preparedQuery("UPDATE attachment SET created_at = now() - interval '25 hours' WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(old)))
                .await()
                .indefinitely();
        sweeper.sweep();
        get(alice, "/api/attachments/" + old).then().statusCode(404);
        assertThat(store.exists(FileService.key(UUID.fromString(old)))).isFalse();
        get(alice, "/api/attachments/" + recent).then().statusCode(200);
        assertThat(store.exists(FileService.key(UUID.fromString(recent)))).isTrue();
        assertThat(rows(conversation)).isEqualTo(1);
        send(alice, conversation, UUID.randomUUID(), null, List.of(old)).then().statusCode(400);
    }

    @Test
    void anUploadCutOffHalfwayLeavesNothingBehind() throws Exception {
        String alice = user("alice");
        UUID conversation = Conversations.create(kafka, "group", alice, List.of(alice));
        Set<String> before = storedKeys();
        Set<Path> temporary = uploadTempFiles();
        int fileSize = 4 * 1024 * 1024;
        byte[] head = partHead("cut.bin");
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(requestHead(alice, conversation, head.length + fileSize + partTail().length));
            out.write(head);
            byte[] chunk = new byte[64 * 1024];
            for (int sent = 0; sent < fileSize / 2; sent += chunk.length) {
                out.write(chunk);
            }
            out.flush();
            // the server is writing the part to disk...
            await().atMost(Duration.ofSeconds(10)).until(() -> !temporary.containsAll(uploadTempFiles()));
        }
        // ...and the connection is gone
        awaitNoNewUploadTempFiles(temporary);
        assertThat(rows(conversation)).isZero();
        assertThat(storedKeys()).isSubsetOf(before);
        // the service still serves
        upload(alice, conversation, "after.txt", "after".getBytes()).then().statusCode(201);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    protected static String user(String name) {
        return name + "-" + UUID.randomUUID();
    }

    protected static String token(String user) {
        return TestKeys.token(user, "client");
    }

    protected static Response upload(String user, UUID conversation, String name, byte[] bytes) {
        return given().auth()
                .oauth2(token(user))
                .multiPart("file", name, bytes, "application/octet-stream")
                .post("/api/conversations/" + conversation + "/attachments");
    }

    protected static String uploadId(String user, UUID conversation, String name) throws IOException {
        return json(upload(user, conversation, name, (name + " bytes").getBytes())
                        .then()
                        .statusCode(201)
                        .extract()
                        .response())
                .get("id")
                .asText();
    }

    protected static Response get(String user, String path) {
        return given().auth().oauth2(token(user)).get(path);
    }

    protected static Response send(
            String user, UUID conversation, UUID clientMessageId, String content, List<String> attachmentIds)
            throws IOException {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("clientMessageId", clientMessageId.toString());
        if (content != null) {
            body.put("content", content);
        }
        body.put("type", "file");
        body.put(
                "attachments",
                attachmentIds.stream().map(id -> Map.of("id", id)).toList());
        return given().auth()
                .oauth2(token(user))
                .contentType("application/json")
                .body(JSON.writeValueAsBytes(body))
                .post("/api/conversations/" + conversation + "/messages");
    }

    protected static JsonNode json(Response response) throws IOException {
        return JSON.readTree(response.asByteArray());
    }

    protected static String detail(Response response) throws IOException {
        return json(response).get("detail").asText();
    }

    /** The upload rows of a conversation, deleted or not. */
    protected long rows(UUID conversation) {
        return pool.preparedQuery("SELECT count(*) FROM attachment WHERE conversation_id = $1")
                .execute(Tuple.of(conversation))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
    }

    /** The temporary files Quarkus holds upload parts in now. */
    protected Set<Path> uploadTempFiles() throws IOException {
        Path dir = Path.of(uploadsDirectory);
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.collect(java.util.stream.Collectors.toSet());
        }
    }

    /** Waits until no temporary upload file remains but those that were there {@code before}. */
    protected void awaitNoNewUploadTempFiles(Set<Path> before) {
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(uploadTempFiles()).isSubsetOf(before));
    }

    protected static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    protected static byte[] png(int width, int height, boolean alpha) throws IOException {
        BufferedImage image =
                new BufferedImage(width, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(alpha ? new Color(0, 128, 0, 90) : Color.ORANGE);
        g.fillOval(0, 0, width, height);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** Uploads {@code size} generated bytes as the part named file, streamed (never whole in memory). */
    protected static java.net.http.HttpResponse<String> postStreamed(
            String user, UUID conversation, String name, long size) throws Exception {
        byte[] head = partHead(name);
        byte[] tail = partTail();
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://localhost:" + RestAssured.port + "/api/conversations/" + conversation + "/attachments"))
                .header("Authorization", "Bearer " + token(user))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(java.net.http.HttpRequest.BodyPublishers.fromPublisher(
                        java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                                () -> new java.io.SequenceInputStream(java.util.Collections.enumeration(List.of(
                                        new ByteArrayInputStream(head),
                                        generated(size),
                                        new ByteArrayInputStream(tail))))),
                        head.length + size + tail.length))
                .build();
        return java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .build()
                .send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private static InputStream generated(long size) {
        try {
            return new LargeUploadsContract.Generated(7, size);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The request line and headers of an upload whose body has {@code contentLength} bytes. */
    protected static byte[] requestHead(String user, UUID conversation, long contentLength) {
        return ("POST /api/conversations/" + conversation + "/attachments HTTP/1.1\r\n"
                        + "Host: localhost:" + RestAssured.port + "\r\n"
                        + "Authorization: Bearer " + token(user) + "\r\n"
                        + "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\n"
                        + "Content-Length: " + contentLength + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** The start of the part named file, up to its first byte; the name as raw UTF-8, as browsers send it. */
    protected static byte[] partHead(String filename) {
        return ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    protected static byte[] partTail() {
        return ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    protected static byte[] multipart(String filename, byte[] content) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(partHead(filename));
        body.write(content);
        body.write(partTail());
        return body.toByteArray();
    }

    /** The status line, headers and body of an HTTP/1.1 answer read from a raw socket (until it closes or ends). */
    protected static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                answer.write(buffer, 0, n);
                String text = answer.toString(StandardCharsets.UTF_8);
                int end = text.indexOf("\r\n\r\n");
                if (end >= 0) {
                    java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)")
                            .matcher(text.substring(0, end));
                    if (length.find() && text.length() - end - 4 >= Integer.parseInt(length.group(1))) {
                        break;
                    }
                }
            }
        } catch (java.net.SocketException reset) {
            // the server closed the connection after answering
        }
        return answer.toString(StandardCharsets.UTF_8);
    }
}
