package io.parley.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal container registry in the test JVM: the part of the OCI Distribution Specification v1.1
 * (github.com/opencontainers/distribution-spec, spec.md) that a client pushing and pulling images uses, over plain HTTP
 * on 127.0.0.1 with no authentication, held in memory. Built on the JDK's {@link HttpServer}; no Docker.
 *
 * <p>Endpoints (repository names may hold slashes; digests are {@code sha256:<64 hex>}):
 *
 * <ul>
 *   <li>{@code GET /v2/}: 200, the API is there.
 *   <li>{@code HEAD|GET /v2/<name>/blobs/<digest>}: the blob (its {@code Content-Length} and {@code
 *       Docker-Content-Digest}), 404 {@code BLOB_UNKNOWN} when this repository has no such blob.
 *   <li>{@code POST /v2/<name>/blobs/uploads/}: starts an upload (202, {@code Location} of the session); with {@code
 *       ?mount=<digest>&from=<other>} the blob is mounted from the other repository when it has it (201), else an upload
 *       starts as without it; with {@code ?digest=} the body is the whole blob (201).
 *   <li>{@code PATCH /v2/<name>/blobs/uploads/<id>}: appends the body (202, {@code Range: 0-<last byte>}).
 *   <li>{@code PUT /v2/<name>/blobs/uploads/<id>?digest=<digest>}: appends the body if any and closes the upload; 201
 *       when the bytes hash to the digest, else 400 {@code DIGEST_INVALID}.
 *   <li>{@code PUT /v2/<name>/manifests/<tag|digest>}: stores the manifest under its digest (and the tag); 400 {@code
 *       MANIFEST_BLOB_UNKNOWN} when its config or a layer is not in the repository, as a registry must refuse.
 *   <li>{@code HEAD|GET /v2/<name>/manifests/<tag|digest>}: the manifest with its media type and digest; 404 {@code
 *       MANIFEST_UNKNOWN}.
 * </ul>
 *
 * <p>Plain HTTP, as a registry without TLS: a client that starts a TLS handshake on the port (as Jib first does even
 * for a registry it may reach insecurely) sees the connection closed at once, which it takes for "no TLS here" and tries
 * again over HTTP. (The JDK's server would instead wait for the end of a request line that never comes, and the client
 * would time out; so connections pass through a small relay that looks at their first byte.)
 *
 * <p>Blobs are stored once by digest and linked to the repositories that hold them. Errors have the spec's body {@code
 * {"errors":[{"code":..., "message":...}]}}. Every request is recorded ({@link #requests()}) for a failing test's
 * message.
 */
final class TestRegistry implements AutoCloseable {

    /** A stored manifest: its bytes as pushed and the media type its pusher named. */
    record Manifest(String mediaType, byte[] bytes) {}

    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern UPLOADS = Pattern.compile("^/v2/(.+)/blobs/uploads/?$");
    private static final Pattern UPLOAD = Pattern.compile("^/v2/(.+)/blobs/uploads/([0-9a-f-]+)$");
    private static final Pattern BLOB = Pattern.compile("^/v2/(.+)/blobs/(sha256:[0-9a-f]{64})$");
    private static final Pattern MANIFEST = Pattern.compile("^/v2/(.+)/manifests/([A-Za-z0-9_.:-]+)$");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A TLS record of type handshake starts with this byte (RFC 8446, 5.1: ContentType handshake(22)). */
    private static final int TLS_HANDSHAKE = 22;

    private final HttpServer server;
    private final ServerSocket front;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final ExecutorService relays = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "test-registry-relay");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> blobsByRepository = new ConcurrentHashMap<>();
    private final Map<String, Manifest> manifests = new ConcurrentHashMap<>();
    private final Map<String, String> tags = new ConcurrentHashMap<>();
    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private record Upload(String repository, ByteArrayOutputStream bytes) {}

    private TestRegistry(HttpServer server, ServerSocket front) {
        this.server = server;
        this.front = front;
    }

    /**
     * Starts a registry on 127.0.0.1 at a free port.
     *
     * @return the running registry; {@link #close()} stops it
     * @throws IOException when no server socket can be opened
     */
    static TestRegistry start() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        HttpServer server = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
        ServerSocket front = new ServerSocket(0, 50, loopback);
        TestRegistry registry = new TestRegistry(server, front);
        server.setExecutor(registry.executor);
        server.createContext("/", registry::handle);
        server.start();
        registry.relays.execute(registry::accept);
        return registry;
    }

    /** @return {@code 127.0.0.1:<port>}: what an image reference names as its registry */
    String host() {
        return front.getInetAddress().getHostAddress() + ":" + front.getLocalPort();
    }

    /** @return every request so far, as {@code METHOD path?query -> status}, in order of their answers */
    List<String> requests() {
        return List.copyOf(requests);
    }

    /**
     * Stores a blob in a repository as a completed upload would.
     *
     * @param repository the repository name, such as {@code distroless/java21-debian12}
     * @param bytes the blob's content
     * @return its digest, {@code sha256:<hex>}
     */
    String putBlob(String repository, byte[] bytes) {
        String digest = sha256(bytes);
        blobs.put(digest, bytes.clone());
        blobsByRepository
                .computeIfAbsent(repository, r -> ConcurrentHashMap.newKeySet())
                .add(digest);
        return digest;
    }

    /**
     * Stores a manifest under its digest and a tag, as a push would (without the blob check).
     *
     * @return the manifest's digest
     */
    String putManifest(String repository, String tag, String mediaType, byte[] bytes) {
        String digest = sha256(bytes);
        manifests.put(repository + "@" + digest, new Manifest(mediaType, bytes.clone()));
        tags.put(repository + ":" + tag, digest);
        return digest;
    }

    /**
     * @param reference a tag or a digest
     * @return the manifest that the repository holds under it, if any
     */
    Optional<Manifest> manifest(String repository, String reference) {
        String digest = DIGEST.matcher(reference).matches() ? reference : tags.get(repository + ":" + reference);
        return digest == null ? Optional.empty() : Optional.ofNullable(manifests.get(repository + "@" + digest));
    }

    /** @return the digest that a tag of a repository points to, if any */
    Optional<String> tagDigest(String repository, String tag) {
        return Optional.ofNullable(tags.get(repository + ":" + tag));
    }

    /** @return the content of a blob that the repository holds, if any */
    Optional<byte[]> blob(String repository, String digest) {
        return has(repository, digest) ? Optional.of(blobs.get(digest)) : Optional.empty();
    }

    /** {@code sha256:} and the lower-case hex SHA-256 of the bytes, the digest form of the spec. */
    static String sha256(byte[] bytes) {
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            front.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        server.stop(0);
        executor.shutdownNow();
        relays.shutdownNow();
    }

    /** Accepts connections on the registry's port until it is closed, each relayed by {@link #relay}. */
    private void accept() {
        while (!front.isClosed()) {
            try {
                Socket client = front.accept();
                relays.execute(() -> relay(client));
            } catch (IOException e) {
                // closed: the loop ends
            }
        }
    }

    /**
     * Closes a connection that starts a TLS handshake; relays any other to the HTTP server, both ways, until either
     * side closes.
     */
    private void relay(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            int first = in.read();
            if (first < 0 || first == TLS_HANDSHAKE) {
                return;
            }
            try (Socket backend = new Socket(
                    server.getAddress().getAddress(), server.getAddress().getPort())) {
                OutputStream toBackend = backend.getOutputStream();
                toBackend.write(first);
                toBackend.flush();
                relays.execute(() -> {
                    try {
                        in.transferTo(toBackend);
                        backend.shutdownOutput();
                    } catch (IOException e) {
                        // one side closed: the other copy ends too
                    }
                });
                backend.getInputStream().transferTo(client.getOutputStream());
            }
        } catch (IOException e) {
            // a connection that ends abruptly is the client's business
        }
    }

    private boolean has(String repository, String digest) {
        return blobsByRepository.getOrDefault(repository, Set.of()).contains(digest);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        int status;
        try (exchange) {
            status = route(exchange, method, path, query);
        } catch (RuntimeException | IOException e) {
            requests.add(method + " " + exchange.getRequestURI() + " -> failed: " + e);
            throw e;
        }
        requests.add(method + " " + exchange.getRequestURI() + " -> " + status);
    }

    private int route(HttpExchange exchange, String method, String path, Map<String, String> query) throws IOException {
        exchange.getResponseHeaders().set("Docker-Distribution-API-Version", "registry/2.0");
        if (path.equals("/v2/") || path.equals("/v2")) {
            return json(exchange, 200, "{}");
        }
        Matcher m;
        if ((m = UPLOADS.matcher(path)).matches() && method.equals("POST")) {
            return startUpload(exchange, m.group(1), query);
        }
        if ((m = UPLOAD.matcher(path)).matches()) {
            Upload upload = uploads.get(m.group(2));
            if (upload == null || !upload.repository().equals(m.group(1))) {
                return error(exchange, 404, "BLOB_UPLOAD_UNKNOWN", "no such upload");
            }
            switch (method) {
                case "PATCH":
                    upload.bytes().write(body(exchange));
                    return uploadStatus(exchange, 202, m.group(2), upload);
                case "GET":
                    return uploadStatus(exchange, 204, m.group(2), upload);
                case "PUT":
                    upload.bytes().write(body(exchange));
                    uploads.remove(m.group(2));
                    return completeUpload(
                            exchange, upload.repository(), upload.bytes().toByteArray(), query);
                case "DELETE":
                    uploads.remove(m.group(2));
                    return empty(exchange, 204);
                default:
                    return error(exchange, 405, "UNSUPPORTED", method + " on an upload");
            }
        }
        if ((m = BLOB.matcher(path)).matches() && (method.equals("GET") || method.equals("HEAD"))) {
            String digest = m.group(2);
            if (!has(m.group(1), digest)) {
                return error(exchange, 404, "BLOB_UNKNOWN", "blob unknown to registry: " + digest);
            }
            exchange.getResponseHeaders().set("Docker-Content-Digest", digest);
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            return content(exchange, method, blobs.get(digest));
        }
        if ((m = MANIFEST.matcher(path)).matches()) {
            String repository = m.group(1);
            String reference = m.group(2);
            switch (method) {
                case "GET":
                case "HEAD":
                    Optional<Manifest> found = manifest(repository, reference);
                    if (found.isEmpty()) {
                        return error(exchange, 404, "MANIFEST_UNKNOWN", "manifest unknown: " + reference);
                    }
                    exchange.getResponseHeaders()
                            .set("Content-Type", found.get().mediaType());
                    exchange.getResponseHeaders()
                            .set("Docker-Content-Digest", sha256(found.get().bytes()));
                    return content(exchange, method, found.get().bytes());
                case "PUT":
                    return pushManifest(exchange, repository, reference);
                default:
                    return error(exchange, 405, "UNSUPPORTED", method + " on a manifest");
            }
        }
        return error(exchange, 404, "NAME_UNKNOWN", "no such endpoint: " + method + " " + path);
    }

    private int startUpload(HttpExchange exchange, String repository, Map<String, String> query) throws IOException {
        String mount = query.get("mount");
        String from = query.get("from");
        if (mount != null && from != null && has(from, mount)) {
            blobsByRepository
                    .computeIfAbsent(repository, r -> ConcurrentHashMap.newKeySet())
                    .add(mount);
            return blobCreated(exchange, repository, mount);
        }
        if (query.containsKey("digest")) {
            return completeUpload(exchange, repository, body(exchange), query);
        }
        body(exchange);
        String id = UUID.randomUUID().toString();
        Upload upload = new Upload(repository, new ByteArrayOutputStream());
        uploads.put(id, upload);
        return uploadStatus(exchange, 202, id, upload);
    }

    private int uploadStatus(HttpExchange exchange, int status, String id, Upload upload) throws IOException {
        exchange.getResponseHeaders().set("Location", "/v2/" + upload.repository() + "/blobs/uploads/" + id);
        exchange.getResponseHeaders().set("Docker-Upload-UUID", id);
        exchange.getResponseHeaders()
                .set("Range", "0-" + Math.max(0, upload.bytes().size() - 1));
        return empty(exchange, status);
    }

    private int completeUpload(HttpExchange exchange, String repository, byte[] bytes, Map<String, String> query)
            throws IOException {
        String expected = query.get("digest");
        if (expected == null || !DIGEST.matcher(expected).matches()) {
            return error(exchange, 400, "DIGEST_INVALID", "a sha256 digest is required: " + expected);
        }
        String actual = sha256(bytes);
        if (!actual.equals(expected)) {
            return error(exchange, 400, "DIGEST_INVALID", "content hashes to " + actual + ", not " + expected);
        }
        putBlob(repository, bytes);
        return blobCreated(exchange, repository, actual);
    }

    private int blobCreated(HttpExchange exchange, String repository, String digest) throws IOException {
        exchange.getResponseHeaders().set("Location", "/v2/" + repository + "/blobs/" + digest);
        exchange.getResponseHeaders().set("Docker-Content-Digest", digest);
        return empty(exchange, 201);
    }

    private int pushManifest(HttpExchange exchange, String repository, String reference) throws IOException {
        byte[] bytes = body(exchange);
        String digest = sha256(bytes);
        if (DIGEST.matcher(reference).matches() && !reference.equals(digest)) {
            return error(exchange, 400, "DIGEST_INVALID", "manifest hashes to " + digest + ", not " + reference);
        }
        JsonNode manifest;
        try {
            manifest = JSON.readTree(bytes);
        } catch (IOException e) {
            return error(exchange, 400, "MANIFEST_INVALID", "not JSON: " + e.getMessage());
        }
        List<String> referenced = new ArrayList<>();
        referenced.add(manifest.path("config").path("digest").asText());
        manifest.path("layers")
                .forEach(layer -> referenced.add(layer.path("digest").asText()));
        for (String blob : referenced) {
            if (!has(repository, blob)) {
                return error(exchange, 400, "MANIFEST_BLOB_UNKNOWN", "blob unknown to the repository: " + blob);
            }
        }
        String mediaType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type"))
                .orElse(manifest.path("mediaType").asText());
        manifests.put(repository + "@" + digest, new Manifest(mediaType, bytes));
        if (!DIGEST.matcher(reference).matches()) {
            tags.put(repository + ":" + reference, digest);
        }
        exchange.getResponseHeaders().set("Location", "/v2/" + repository + "/manifests/" + digest);
        exchange.getResponseHeaders().set("Docker-Content-Digest", digest);
        return empty(exchange, 201);
    }

    private static byte[] body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return in.readAllBytes();
        }
    }

    /** The bytes for a GET; for a HEAD their length only (set by hand: the JDK's server sends none for HEAD). */
    private static int content(HttpExchange exchange, String method, byte[] bytes) throws IOException {
        if (method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Content-Length", Long.toString(bytes.length));
            exchange.sendResponseHeaders(200, -1);
            return 200;
        }
        exchange.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        return 200;
    }

    private static int empty(HttpExchange exchange, int status) throws IOException {
        exchange.getResponseHeaders().set("Content-Length", "0");
        exchange.sendResponseHeaders(status, -1);
        return status;
    }

    private static int json(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(bytes.length));
            exchange.sendResponseHeaders(status, -1);
            return status;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        return status;
    }

    private static int error(HttpExchange exchange, int status, String code, String message) throws IOException {
        String body = JSON.createObjectNode()
                .set(
                        "errors",
                        JSON.createArrayNode()
                                .add(JSON.createObjectNode().put("code", code).put("message", message)))
                .toString();
        return json(exchange, status, body);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            query.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return query;
    }
}
