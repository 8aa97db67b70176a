package io.parley.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.FreePort;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real OpenID Connect provider for tests: Keycloak's own distribution (unpacked into {@code target/keycloak} by the
 * module's build, {@code maven-dependency-plugin}) run as a child process in development mode ({@code start-dev}: its
 * file database, plain HTTP on a free loopback port), with its data under its home in {@code target/}, and driven
 * through its admin REST API (Keycloak's Admin REST API documentation) over plain HTTP.
 *
 * <p>Keycloak 26 runs on Java 21 or later, not on the build's Java 17: the JDK is the system property
 * {@code parley.keycloak.java-home} (the module's failsafe configuration) or, when that is missing or older, the newest
 * Java 21+ JDK under {@code /usr/lib/jvm}; with none the test fails with a message that says so.
 */
final class KeycloakServer implements AutoCloseable {

    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "admin-" + Long.toHexString(System.nanoTime());

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final int port;
    final Path home;
    final Path log;
    private Process process;
    private long startedAt;
    /** How long the start took, from the command to an answering realm endpoint. */
    Duration startTime;

    KeycloakServer() {
        home = Path.of(required("parley.keycloak.home"));
        port = FreePort.find();
        log = home.resolve("keycloak-it.log");
    }

    /** The base URL, {@code http://127.0.0.1:<port>}. */
    String url() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * Starts Keycloak with a fresh database (its {@code data} folder is removed first) and the bootstrap admin
     * {@link #ADMIN}; returns at once: {@link #awaitReady()} waits for it.
     *
     * @throws AssertionError when the Java 21+ JDK or the unpacked distribution is missing
     */
    void start() throws IOException {
        Path javaHome = javaHome(Path.of(required("parley.keycloak.java-home")));
        Path script = home.resolve("bin/kc.sh");
        assertThat(Files.isRegularFile(script))
                .as("Keycloak's distribution is unpacked by the build's pre-integration-test phase into %s", home)
                .isTrue();
        deleteTree(home.resolve("data"));
        ProcessBuilder builder = new ProcessBuilder(
                        "/bin/sh",
                        script.toString(),
                        "start-dev",
                        "--http-enabled=true",
                        "--http-host=127.0.0.1",
                        "--http-port=" + port,
                        "--hostname=" + url(),
                        // quiet but for its start and its admin
                        "--log-level=warn,org.keycloak.services:info,io.quarkus:info")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", javaHome.toString());
        env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        startedAt = System.nanoTime();
        process = builder.start();
    }

    /** Waits (up to 4 minutes) until the master realm answers; records {@link #startTime}. */
    void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (true) {
            assertThat(process.isAlive())
                    .as("Keycloak running; its log: %s", log)
                    .isTrue();
            try {
                HttpResponse<String> answer = HTTP.send(
                        HttpRequest.newBuilder(URI.create(url() + "/realms/master"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            assertThat(System.nanoTime())
                    .as("Keycloak ready within 4 minutes; its log: %s", log)
                    .isLessThan(deadline);
            Thread.sleep(250);
        }
        startTime = Duration.ofNanos(System.nanoTime() - startedAt);
        System.out.println("[keycloak] " + url() + " ready in " + startTime.toMillis() + " ms (log " + log + ")");
    }

    @Override
    public void close() throws Exception {
        if (process == null) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy(); // kc.sh passes SIGTERM on to its java process
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        for (ProcessHandle child : children) {
            child.destroy();
            child.onExit().get(30, TimeUnit.SECONDS);
        }
    }

    // --- admin REST API -------------------------------------------------------------------------------------------

    /** {@code POST /admin/realms/...} with a JSON body; answers the response, asserting a 2xx status. */
    HttpResponse<String> admin(String method, String path, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + "/admin/realms" + path))
                .header("Authorization", "Bearer " + adminToken())
                .timeout(Duration.ofSeconds(30));
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode())
                .as("%s /admin/realms%s: %s", method, path, answer.body())
                .isBetween(200, 299);
        return answer;
    }

    /** The bootstrap admin's access token (the master realm's {@code admin-cli} client, password grant). */
    private String adminToken() throws Exception {
        return token("master", "admin-cli", ADMIN, ADMIN_PASSWORD);
    }

    /**
     * An access token of {@code realm} by the resource owner password grant (RFC 6749 §4.3) of a public client.
     *
     * @return the compact JWT
     */
    String token(String realm, String clientId, String username, String password) throws Exception {
        String form = Stream.of(
                        Map.entry("grant_type", "password"),
                        Map.entry("client_id", clientId),
                        Map.entry("username", username),
                        Map.entry("password", password))
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(URI.create(url() + "/realms/" + realm + "/protocol/openid-connect/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode())
                .as("token of %s: %s", username, answer.body())
                .isEqualTo(200);
        return new JsonObject(answer.body()).getString("access_token");
    }

    /** The {@code kid} of every key in the realm's JWKS (its {@code certs} endpoint), signing and encryption keys. */
    List<String> publishedKids(String realm) throws Exception {
        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(URI.create(jwksUrl(realm))).build(), HttpResponse.BodyHandlers.ofString());
        List<String> kids = new ArrayList<>();
        JsonArray keys = new JsonObject(answer.body()).getJsonArray("keys");
        for (int i = 0; i < keys.size(); i++) {
            kids.add(keys.getJsonObject(i).getString("kid"));
        }
        return kids;
    }

    String issuer(String realm) {
        return url() + "/realms/" + realm;
    }

    String jwksUrl(String realm) {
        return issuer(realm) + "/protocol/openid-connect/certs";
    }

    /** A JWT's header or payload ({@code part} 0 or 1), decoded. */
    static JsonObject jwtPart(String jwt, int part) {
        return new JsonObject(
                new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[part]), StandardCharsets.UTF_8));
    }

    /**
     * The JDK that runs Keycloak: the configured one when it is Java 21 or later, else the newest Java 21+ JDK under
     * {@code /usr/lib/jvm} (where Debian and Temurin's packages put them), so that a machine whose second JDK has
     * another version still runs the test.
     *
     * @param configured the {@code parley.keycloak.java-home} property's folder
     * @return a JDK folder whose {@code bin/java} is Java 21+
     * @throws AssertionError when there is none
     */
    private static Path javaHome(Path configured) throws IOException {
        if (Files.isExecutable(configured.resolve("bin/java")) && javaVersion(configured) >= 21) {
            return configured;
        }
        Path best = null;
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> homes = Files.list(jvms)) {
                for (Path candidate : homes.sorted().toList()) {
                    if (Files.isExecutable(candidate.resolve("bin/java"))
                            && javaVersion(candidate) >= 21
                            && (best == null || javaVersion(candidate) > javaVersion(best))) {
                        best = candidate;
                    }
                }
            }
        }
        assertThat(best)
                .as(
                        "Keycloak 26 needs a Java 21+ JDK: none at %s nor under /usr/lib/jvm (set parley.keycloak.java-home"
                                + " in deploy/local's failsafe configuration)",
                        configured)
                .isNotNull();
        return best;
    }

    private static int javaVersion(Path javaHome) throws IOException {
        Path release = javaHome.resolve("release");
        if (!Files.isRegularFile(release)) {
            return 0;
        }
        for (String line : Files.readAllLines(release)) {
            if (line.startsWith("JAVA_VERSION=")) {
                String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                return Integer.parseInt(version.split("[.+-]")[0]);
            }
        }
        return 0;
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        assertThat(value)
                .as("system property %s (deploy/local's failsafe configuration)", property)
                .isNotBlank();
        return value;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }
}
