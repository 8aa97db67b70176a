package io.parley.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.InfraTestResource;
import io.parley.infra.RawUpload;
import io.parley.infra.TestKeys;
import io.parley.kit.LingeringClose;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Files through the gateway's proxy, against a stand-in message-service on the stub port: uploads and downloads are
 * streamed (each side sees the other's first bytes before the last ones are sent, so neither body is ever held whole
 * in the gateway), an upload of a file over the message-service's 25 MiB limit still reaches it (it answers 413
 * itself), a body announced over the gateway's own limit is refused with 413 problem+json, and the headers of range
 * requests and conditional requests pass unchanged both ways.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StubServices.Port.class, scope = TestResourceScope.GLOBAL)
class FilesProxyTest {

    static final int MIB = 1 << 20;
    static final String ETAG = "\"" + "ab".repeat(32) + "\"";
    static final byte[] SMALL = bytes(7, 1000);
    /** The upload path on which the stand-in refuses at once, reading none of the body. */
    static final String REFUSED_EARLY = "/api/conversations/" + UUID.randomUUID() + "/attachments";
    /** The headers the message-service answers a download with (docs/api.md, files). */
    static final Map<String, String> DOWNLOAD_HEADERS = Map.of(
            "ETag", ETAG,
            "Accept-Ranges", "bytes",
            "Content-Type", "text/html",
            "X-Content-Type-Options", "nosniff",
            "Cache-Control", "private, max-age=31536000, immutable",
            "Cross-Origin-Resource-Policy", "same-origin",
            "Content-Security-Policy", "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox",
            "Content-Disposition", "attachment; filename=\"page _x_.html\"; filename*=UTF-8''page%20%22x%22.html");

    @TestHTTPResource("/")
    URI gateway;

    @ConfigProperty(name = "parley.test.stub-url")
    URI stubUrl;

    @Inject
    Vertx vertx;

    HttpServer server;
    HttpClient http;
    /** Requests the stand-in received, by path. */
    final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    /** The request headers of the last request the stand-in received. */
    volatile MultiMap lastHeaders;
    /** Completed once the stand-in has received the first MiB of an upload. */
    final CompletableFuture<Void> uploadStarted = new CompletableFuture<>();
    /** Completed by the test once the client has received the first MiB of the big download. */
    final CompletableFuture<Void> downloadStarted = new CompletableFuture<>();

    @BeforeEach
    void start() throws Exception {
        server = vertx.createHttpServer()
                .requestHandler(this::handle)
                .listen(stubUrl.getPort(), "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        http = vertx.createHttpClient();
    }

    @AfterEach
    void stop() throws Exception {
        http.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    // ---- the stand-in message-service ----

    private void handle(HttpServerRequest request) {
        received.computeIfAbsent(request.path(), p -> new AtomicInteger()).incrementAndGet();
        lastHeaders = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
        if (request.path().equals(REFUSED_EARLY)) {
            // as the message-service refuses a body announced over its limit: answered before the body is read
            LingeringClose.refuse(request, 413, "Request Entity Too Large", "A file is at most 26214400 bytes.");
        } else if (request.method() == HttpMethod.POST && request.path().endsWith("/attachments")) {
            upload(request);
        } else if (request.path().equals("/api/attachments/big")) {
            bigDownload(request);
        } else if (request.path().startsWith("/api/attachments/")) {
            download(request);
        } else {
            request.response().setStatusCode(404).end();
        }
    }

    /** Counts and hashes the body as it comes, and answers {size, sha256, contentType}. */
    private void upload(HttpServerRequest request) {
        MessageDigest sha = sha256();
        AtomicLong size = new AtomicLong();
        request.handler(chunk -> {
            sha.update(chunk.getBytes());
            if (size.addAndGet(chunk.length()) >= MIB) {
                uploadStarted.complete(null);
            }
        });
        request.endHandler(v -> request.response()
                .setStatusCode(201)
                .putHeader("Content-Type", "application/json")
                .putHeader("Location", "/api/attachments/" + UUID.randomUUID())
                .end(new JsonObject()
                        .put("size", size.get())
                        .put("sha256", HexFormat.of().formatHex(sha.digest()))
                        .put("contentType", request.getHeader("Content-Type"))
                        .put("authorization", request.getHeader("Authorization"))
                        .encode()));
    }

    /** A download as the message-service answers it (RFC 9110: Range, If-Range, If-None-Match), of {@link #SMALL}. */
    private void download(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        DOWNLOAD_HEADERS.forEach(response::putHeader);
        int size = SMALL.length;
        if (ETAG.equals(request.getHeader("If-None-Match"))) {
            response.setStatusCode(304).end();
            return;
        }
        String range = request.getHeader("Range");
        String ifRange = request.getHeader("If-Range");
        Buffer body = Buffer.buffer(SMALL);
        if (range != null
                && (ifRange == null || ifRange.equals(ETAG))
                && range.startsWith("bytes=")
                && !range.contains(",")) {
            String[] ends = range.substring("bytes=".length()).split("-", 2);
            boolean suffix = ends[0].isEmpty(); // bytes=-n: the last n bytes
            int first = suffix ? Math.max(0, size - Integer.parseInt(ends[1])) : Integer.parseInt(ends[0]);
            if (first >= size) {
                response.setStatusCode(416)
                        .putHeader("Content-Range", "bytes */" + size)
                        .end();
                return;
            }
            int last = suffix || ends[1].isEmpty() ? size - 1 : Math.min(Integer.parseInt(ends[1]), size - 1);
            response.setStatusCode(206).putHeader("Content-Range", "bytes " + first + "-" + last + "/" + size);
            body = Buffer.buffer(java.util.Arrays.copyOfRange(SMALL, first, last + 1));
        }
        response.putHeader("Content-Length", String.valueOf(body.length()));
        if (request.method() == HttpMethod.HEAD) {
            response.end();
        } else {
            response.end(body);
        }
    }

    /** 40 MiB in 1 MiB writes; the second half only once the client has received the first MiB. */
    private void bigDownload(HttpServerRequest request) {
        HttpServerResponse response = request.response()
                .putHeader("Content-Type", "application/octet-stream")
                .putHeader("Content-Length", String.valueOf(40L * MIB))
                .putHeader("ETag", ETAG);
        writeChunks(response, 0, 20)
                .compose(v -> io.vertx.core.Future.fromCompletionStage(downloadStarted, vertx.getOrCreateContext()))
                .compose(v -> writeChunks(response, 20, 40))
                .onComplete(v -> response.end());
    }

    private io.vertx.core.Future<Void> writeChunks(HttpServerResponse response, int from, int to) {
        io.vertx.core.Future<Void> chain = io.vertx.core.Future.succeededFuture();
        for (int i = from; i < to; i++) {
            Buffer chunk = Buffer.buffer(bytes(i, MIB));
            chain = chain.compose(v -> response.write(chunk));
        }
        return chain;
    }

    // ---- the tests ----

    @Test
    void anUploadOverTheFileLimitIsStreamedToTheMessageServiceByteForByte() throws Exception {
        UUID conversation = UUID.randomUUID();
        String token = TestKeys.token("ann-" + UUID.randomUUID(), "client");
        int chunks = 30; // 30 MiB: over the message-service's 25 MiB (its own 413), under the gateway's 32 MiB
        String boundary = "----parley" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        long length = head.length + (long) chunks * MIB + tail.length;
        String contentType = "multipart/form-data; boundary=" + boundary;

        HttpClientRequest request = http.request(new RequestOptions()
                        .setMethod(HttpMethod.POST)
                        .setHost(gateway.getHost())
                        .setPort(gateway.getPort())
                        .setURI("/api/conversations/" + conversation + "/attachments"))
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        request.putHeader("Content-Type", contentType)
                .putHeader("Content-Length", String.valueOf(length))
                .putHeader("Authorization", "Bearer " + token);
        CompletableFuture<Answer> answered = answer(request);
        MessageDigest sent = sha256();
        write(request, sent, head);
        for (int i = 0; i < chunks; i++) {
            if (i == chunks / 2) {
                // A gateway that held the body would forward nothing before its end: this would never complete.
                uploadStarted.get(60, TimeUnit.SECONDS);
            }
            write(request, sent, bytes(i, MIB));
        }
        write(request, sent, tail);
        request.end().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        Answer answer = answered.get(60, TimeUnit.SECONDS);
        JsonObject body = answer.body().toJsonObject();

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.headers().get("Location")).startsWith("/api/attachments/");
        assertThat(body.getLong("size")).isEqualTo(length);
        assertThat(body.getString("sha256")).isEqualTo(HexFormat.of().formatHex(sent.digest()));
        assertThat(body.getString("contentType")).isEqualTo(contentType);
        assertThat(body.getString("authorization")).isEqualTo("Bearer " + token);
    }

    @Test
    void aBodyAnnouncedOverTheGatewaysLimitIsRefusedThereWith413() throws Exception {
        String path = "/api/conversations/" + UUID.randomUUID() + "/attachments";
        HttpClientRequest request = http.request(new RequestOptions()
                        .setMethod(HttpMethod.POST)
                        .setHost(gateway.getHost())
                        .setPort(gateway.getPort())
                        .setURI(path))
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        request.putHeader("Content-Type", "multipart/form-data; boundary=x")
                .putHeader("Content-Length", String.valueOf(40L * MIB))
                .putHeader("Authorization", "Bearer " + TestKeys.token("bo-" + UUID.randomUUID(), "client"));
        CompletableFuture<Answer> answered = answer(request);
        request.exceptionHandler(e -> {}); // the gateway closes the connection before the body ends: expected
        request.write(Buffer.buffer(bytes(1, 64 * 1024))); // only a beginning: the gateway answers without the rest
        Answer answer = answered.get(30, TimeUnit.SECONDS);
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.headers().get("Content-Type")).isEqualTo("application/problem+json");
        JsonObject problem = answer.body().toJsonObject();
        assertThat(problem.getInteger("status")).isEqualTo(413);
        assertThat(problem.getString("detail")).contains(String.valueOf(32L * MIB));
        assertThat(received).doesNotContainKey(path);
    }

    @Test
    void aBodyOverTheGatewaysLimitSentWholeBeforeReadingStillGetsItsAnswer() {
        RawUpload.Result result = RawUpload.postMultipart(
                gateway,
                "/api/conversations/" + UUID.randomUUID() + "/attachments",
                TestKeys.token("cy-" + UUID.randomUUID(), "client"),
                40L * MIB);
        assertThat(result.readFailure()).as("reading the answer").isNull();
        assertThat(result.writeFailure()).as("sending the body").isNull();
        assertThat(result.status()).isEqualTo(413);
        assertThat(result.headers().get("content-type")).isEqualTo("application/problem+json");
    }

    @Test
    void aServicesEarlyRefusalReachesASenderThatSendsItsWholeBodyFirst() {
        // The message-service answers 413 for a file over its limit before reading the body; the proxy must relay
        // that answer, not a 502 for the connection the service closed.
        for (int i = 0; i < 3; i++) {
            RawUpload.Result result = RawUpload.postMultipart(
                    gateway, REFUSED_EARLY, TestKeys.token("di-" + UUID.randomUUID(), "client"), 30L * MIB);
            assertThat(result.readFailure()).as("reading the answer").isNull();
            assertThat(result.status()).as(result.body()).isEqualTo(413);
            assertThat(new JsonObject(result.body()).getString("detail")).contains("at most");
        }
    }

    @Test
    void rangesAndConditionsPassUnchangedBothWays() {
        String path = "/api/attachments/" + UUID.randomUUID();
        String token = "Bearer " + TestKeys.token("cy-" + UUID.randomUUID(), "client");

        Response whole = given().header("Authorization", token).when().get(path);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.asByteArray()).isEqualTo(SMALL);
        assertHeaders(whole, Map.of("Content-Length", "1000"));

        Response part = given().header("Authorization", token)
                .header("Range", "bytes=100-199")
                .when()
                .get(path);
        assertThat(lastHeaders.get("Range")).isEqualTo("bytes=100-199");
        assertThat(lastHeaders.get("Authorization")).isEqualTo(token);
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.asByteArray()).isEqualTo(java.util.Arrays.copyOfRange(SMALL, 100, 200));
        assertHeaders(part, Map.of("Content-Range", "bytes 100-199/1000", "Content-Length", "100"));

        Response unsatisfiable = given().header("Authorization", token)
                .header("Range", "bytes=5000-")
                .when()
                .get(path);
        assertThat(unsatisfiable.statusCode()).isEqualTo(416);
        assertThat(unsatisfiable.header("Content-Range")).isEqualTo("bytes */1000");

        Response notModified = given().header("Authorization", token)
                .header("If-None-Match", ETAG)
                .when()
                .get(path);
        assertThat(lastHeaders.get("If-None-Match")).isEqualTo(ETAG);
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.header("ETag")).isEqualTo(ETAG);
        assertThat(notModified.asByteArray()).isEmpty();

        Response changed = given().header("Authorization", token)
                .header("Range", "bytes=0-9")
                .header("If-Range", "\"other\"")
                .when()
                .get(path);
        assertThat(lastHeaders.get("If-Range")).isEqualTo("\"other\"");
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.asByteArray()).isEqualTo(SMALL);

        Response head = given().header("Authorization", token)
                .header("Range", "bytes=-10")
                .when()
                .head(path);
        assertThat(head.statusCode()).isEqualTo(206);
        assertHeaders(head, Map.of("Content-Range", "bytes 990-999/1000", "Content-Length", "10"));
        assertThat(head.asByteArray()).isEmpty();
    }

    @Test
    void aBigDownloadIsStreamedToTheClient() throws Exception {
        HttpClientRequest request = http.request(new RequestOptions()
                        .setMethod(HttpMethod.GET)
                        .setHost(gateway.getHost())
                        .setPort(gateway.getPort())
                        .setURI("/api/attachments/big"))
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        MessageDigest got = sha256();
        AtomicLong size = new AtomicLong();
        CompletableFuture<HttpClientResponse> ended = new CompletableFuture<>();
        request.send().onFailure(ended::completeExceptionally).onSuccess(response -> {
            // handlers are set on the event loop as the answer arrives, so that no chunk passes before them
            response.handler(chunk -> {
                got.update(chunk.getBytes());
                // the stand-in sends its second half only after this: a gateway that held the answer would wait
                if (size.addAndGet(chunk.length()) >= MIB) {
                    downloadStarted.complete(null);
                }
            });
            response.exceptionHandler(ended::completeExceptionally);
            response.endHandler(v -> ended.complete(response));
        });
        HttpClientResponse response = ended.get(120, TimeUnit.SECONDS);

        MessageDigest expected = sha256();
        for (int i = 0; i < 40; i++) {
            expected.update(bytes(i, MIB));
        }
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("ETag")).isEqualTo(ETAG);
        assertThat(size.get()).isEqualTo(40L * MIB);
        assertThat(got.digest()).isEqualTo(expected.digest());
    }

    @Test
    void theAppMayReadFilesFromItsOrigin() {
        given().header("Origin", "http://localhost:5173")
                .header("Access-Control-Request-Method", "HEAD")
                .header("Access-Control-Request-Headers", "authorization,range,if-none-match,if-range")
                .when()
                .options("/api/attachments/" + UUID.randomUUID())
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", "http://localhost:5173")
                .header("Access-Control-Allow-Methods", org.hamcrest.Matchers.containsString("HEAD"))
                .header(
                        "Access-Control-Allow-Headers",
                        org.hamcrest.Matchers.allOf(
                                org.hamcrest.Matchers.containsStringIgnoringCase("range"),
                                org.hamcrest.Matchers.containsStringIgnoringCase("if-none-match"),
                                org.hamcrest.Matchers.containsStringIgnoringCase("if-range")));

        Response download = given().header("Origin", "http://localhost:5173")
                .header("Range", "bytes=0-1")
                .when()
                .get("/api/attachments/" + UUID.randomUUID());
        assertThat(download.statusCode()).isEqualTo(206);
        assertThat(download.header("Access-Control-Allow-Origin")).isEqualTo("http://localhost:5173");
        List<String> exposed = List.of(
                download.header("Access-Control-Expose-Headers").toLowerCase().split("\\s*,\\s*"));
        assertThat(exposed).contains("content-disposition", "content-range", "etag", "accept-ranges", "content-length");
    }

    // ---- helpers ----

    /** An answer read whole: status, headers and body. */
    record Answer(int status, MultiMap headers, Buffer body) {}

    /** The request's answer, its body read on the event loop as it arrives. */
    private static CompletableFuture<Answer> answer(HttpClientRequest request) {
        return request.response()
                .compose(response ->
                        response.body().map(body -> new Answer(response.statusCode(), response.headers(), body)))
                .toCompletionStage()
                .toCompletableFuture();
    }

    private static void assertHeaders(Response response, Map<String, String> more) {
        DOWNLOAD_HEADERS.forEach(
                (name, value) -> assertThat(response.header(name)).as(name).isEqualTo(value));
        more.forEach((name, value) -> assertThat(response.header(name)).as(name).isEqualTo(value));
    }

    private static void write(HttpClientRequest request, MessageDigest digest, byte[] bytes) throws Exception {
        digest.update(bytes);
        // waits until written: the client never queues more than one chunk, so the gateway's pace is felt here
        request.write(Buffer.buffer(bytes))
                .toCompletionStage()
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
    }

    /** {@code length} reproducible pseudo-random bytes, different for each {@code seed}. */
    static byte[] bytes(long seed, int length) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
