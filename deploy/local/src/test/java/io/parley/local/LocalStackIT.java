package io.parley.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.parley.infra.DevKeys;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the README's local stack as a user does, from the packaged services, and checks what the user sees: the ready
 * line, every service ready, demo tokens trusted, nothing left running after SIGTERM, data kept across restarts,
 * and the user's own JWT key trusted instead of the demo key when given.
 */
class LocalStackIT {

    private StackUnderTest stack;
    private Map<String, String> env;
    private Map<String, Integer> ports;
    private Path dataDir;
    /** What a client sent as a message's content and a device's push token: never in a log line. */
    private final List<String> secrets = new ArrayList<>();

    @BeforeEach
    void freshDataFolder() throws IOException {
        stack = new StackUnderTest();
        env = stack.env;
        ports = stack.ports;
        dataDir = stack.dataDir;
    }

    @AfterEach
    void cleanUp() throws Exception {
        stack.close();
    }

    @Test
    void startsEveryServiceTrustsItsDemoTokensStopsCleanlyAndKeepsItsData() throws Exception {
        List<String> output = stack.start();
        assertThat(output).anyMatch(l -> l.contains("(new)"));
        assertThat(output)
                .anyMatch(l -> l.startsWith(LocalStack.READY_PREFIX)
                        && l.contains("http://localhost:" + ports.get("GATEWAY")));
        for (String service : List.of("GATEWAY", "CONVERSATION", "MESSAGE", "NOTIFICATION")) {
            int management = stack.managementPort(service);
            HttpResponse<String> ready = StackUnderTest.get(management, "/q/health/ready", null);
            assertThat(ready.statusCode()).as(service).isEqualTo(200);
            assertThat(ready.body()).contains("\"status\": \"UP\"");
            // The ready output names each service's metrics; they are on the management port, never the public one.
            assertThat(output).anyMatch(l -> l.contains("metrics http://127.0.0.1:" + management + "/q/metrics"));
            assertThat(StackUnderTest.get(management, "/q/metrics", null).body())
                    .contains("parley_");
            assertThat(StackUnderTest.get(ports.get(service), "/q/metrics", null)
                            .statusCode())
                    .isEqualTo(404);
            assertThat(StackUnderTest.get(ports.get(service), "/q/health/ready", null)
                            .statusCode())
                    .isEqualTo(404);
        }
        assertThat(StackUnderTest.get(ports.get("GATEWAY"), "/", null).statusCode())
                .isEqualTo(200);
        dashboardAndAlertsNameOnlyExportedMetrics();
        // a browser gets the web app at the same address, and a sign-in link per demo user is printed
        HttpResponse<String> page = StackUnderTest.HTTP.send(
                java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + ports.get("GATEWAY") + "/"))
                        .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("<script");
        for (String role : List.of("client", "expert", "admin")) {
            assertThat(output)
                    .anyMatch(l -> l.startsWith("sign in as the demo " + role)
                            && l.contains("http://localhost:" + ports.get("GATEWAY") + "/#access_token=ey"));
        }

        Map<String, String> tokens = demoTokens(output);
        assertThat(tokens).containsOnlyKeys("client", "expert", "admin");
        String conversationId = everyServiceAccepts(tokens.get("client"), LocalStack.DEMO_USERS.get("expert"));
        secrets.add(tokens.get("client"));

        List<ProcessHandle> processes = stackProcesses();
        assertThat(processes).hasSizeGreaterThanOrEqualTo(6); // four services, Kafka, PostgreSQL
        stack.stop();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(processes).noneMatch(ProcessHandle::isAlive));
        logsHoldNoSecret();

        // Started again with JSON logs: each service's log lines are JSON objects, with no secret in them either.
        Map<String, String> json = new HashMap<>(env);
        json.put("PARLEY_LOG_JSON", "true");
        List<String> again = stack.start(json);
        assertThat(again).anyMatch(l -> l.contains("(reused)"));
        String expert = demoTokens(again).get("expert");
        secrets.add(expert);
        HttpResponse<String> kept =
                StackUnderTest.get(ports.get("CONVERSATION"), "/api/conversations/" + conversationId, expert);
        assertThat(kept.statusCode())
                .as("the conversation created before the restart")
                .isEqualTo(200);
        // (read while the services run: what a JVM prints on its own after Quarkus stopped is not a log line)
        for (String service : List.of("gateway", "conversation-service", "message-service", "notification-service")) {
            List<String> lines = Files.readAllLines(dataDir.resolve("logs").resolve(service + ".log"));
            assertThat(lines).as(service + ".log").isNotEmpty();
            assertThat(lines.stream().filter(line -> !isJsonLogLine(line)).toList())
                    .as(service + ".log")
                    .isEmpty();
        }
        stack.stop();
        logsHoldNoSecret();
    }

    /**
     * Every metric that deploy/observability's Grafana dashboard and Prometheus alert rules query is one that a service
     * of the running stack exports on its management port.
     */
    private void dashboardAndAlertsNameOnlyExportedMetrics() throws Exception {
        java.util.Set<String> exported = new java.util.TreeSet<>();
        for (String service : List.of("GATEWAY", "CONVERSATION", "MESSAGE", "NOTIFICATION")) {
            exported.addAll(io.parley.infra.MetricsScrape.of(
                            URI.create("http://127.0.0.1:" + stack.managementPort(service) + "/q/metrics"))
                    .names());
        }
        Path observability = Path.of(System.getProperty("user.dir"))
                .resolve("../observability")
                .normalize();
        java.util.regex.Pattern metric = java.util.regex.Pattern.compile("\\b(?:parley|kafka)_[a-z0-9_]+");
        for (String file : List.of("grafana-dashboard.json", "prometheus-rules.yaml")) {
            java.util.regex.Matcher m = metric.matcher(Files.readString(observability.resolve(file)));
            java.util.Set<String> queried = new java.util.TreeSet<>();
            while (m.find()) {
                queried.add(m.group());
            }
            assertThat(queried).as(file).isNotEmpty();
            assertThat(exported).as("metrics that %s queries", file).containsAll(queried);
        }
    }

    /** A JSON object with a message: a log line as JSON logging writes it. */
    private static boolean isJsonLogLine(String line) {
        try {
            return new io.vertx.core.json.JsonObject(line).containsKey("message");
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * No file in the stack's log folder (the services', Kafka's, PostgreSQL's, the ones rotated away included) holds a
     * token that was used, a message's content or a device's push token, at any level that was logged.
     */
    private void logsHoldNoSecret() throws IOException {
        assertThat(secrets).isNotEmpty();
        try (Stream<Path> files = Files.walk(dataDir.resolve("logs"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
                for (String secret : secrets) {
                    assertThat(text).as("%s holds a secret a client sent", file).doesNotContain(secret);
                }
            }
        }
    }

    @Test
    void trustsTheKeyItIsGivenAndNotItsOwn() throws Exception {
        // The demo key as a first start makes it in the data folder (the same DevKeys, the same issuer), and a client
        // token it signs; the stack is then told to trust another key.
        String demoClient = DevKeys.loadOrCreate(dataDir.resolve("keys"), "parley-local")
                .token(LocalStack.DEMO_USERS.get("client"), "client", "Demo Client", Duration.ofMinutes(10));

        KeyPair other = DevKeys.strangerKeyPair();
        Path publicKey = dataDir.resolve("other-public.pem");
        DevKeys.writePublicKey(other.getPublic(), publicKey);
        Map<String, String> withKey = new HashMap<>(env);
        withKey.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", publicKey.toString());
        withKey.put("MP_JWT_VERIFY_ISSUER", "https://idp.example.org/realms/parley");
        List<String> output = stack.start(withKey);
        assertThat(demoTokens(output)).isEmpty();

        String theirs = DevKeys.sign(
                "https://idp.example.org/realms/parley",
                other.getPrivate(),
                "idp-user-1",
                "client",
                "From IdP",
                Instant.now().plusSeconds(600));
        everyServiceAccepts(theirs, "idp-user-2");
        everyServiceRefuses(demoClient);
        stack.stop();
    }

    /** An authenticated call on each service succeeds; answers the conversation it created. */
    private String everyServiceAccepts(String token, String otherUser) throws Exception {
        HttpResponse<String> created = StackUnderTest.post(
                ports.get("CONVERSATION"),
                "/api/conversations",
                token,
                "{\"type\":\"direct\",\"participants\":[\"" + otherUser + "\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        // The history answers once the message-service's replica has the conversation from Kafka.
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(StackUnderTest.get(
                                        ports.get("MESSAGE"), "/api/conversations/" + id + "/messages", token)
                                .statusCode())
                        .isEqualTo(200));
        HttpResponse<String> subscribed = StackUnderTest.post(
                ports.get("NOTIFICATION"),
                "/api/push/subscriptions",
                token,
                "{\"kind\":\"fcm\",\"token\":\"device-" + id + "\"}");
        assertThat(subscribed.statusCode()).as(subscribed.body()).isEqualTo(201);
        secrets.add("device-" + id);
        String content = "words only its readers see " + java.util.UUID.randomUUID();
        HttpResponse<String> sent = StackUnderTest.post(
                ports.get("MESSAGE"),
                "/api/conversations/" + id + "/messages",
                token,
                "{\"clientMessageId\":\"" + java.util.UUID.randomUUID() + "\",\"content\":\"" + content + "\"}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
        secrets.add(content);
        LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket socket = stack.openSocket(token, frames);
        assertThat(frames.poll(10, TimeUnit.SECONDS)).contains("\"type\":\"welcome\"");
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        return id;
    }

    private void everyServiceRefuses(String token) throws Exception {
        assertThat(StackUnderTest.post(
                                ports.get("CONVERSATION"),
                                "/api/conversations",
                                token,
                                "{\"type\":\"direct\",\"participants\":[\"x\"]}")
                        .statusCode())
                .isEqualTo(401);
        assertThat(StackUnderTest.get(
                                ports.get("MESSAGE"),
                                "/api/conversations/" + java.util.UUID.randomUUID() + "/messages",
                                token)
                        .statusCode())
                .isEqualTo(401);
        assertThat(StackUnderTest.post(
                                ports.get("NOTIFICATION"),
                                "/api/push/subscriptions",
                                token,
                                "{\"kind\":\"fcm\",\"token\":\"t\"}")
                        .statusCode())
                .isEqualTo(401);
        assertThatThrownBy(() -> stack.openSocket(token, new LinkedBlockingQueue<>()))
                .satisfies(e -> assertThat(rootCause(e)).hasMessageContaining("401"));
    }

    /** The launcher's children and the PostgreSQL server, which runs detached from it. */
    private List<ProcessHandle> stackProcesses() throws IOException {
        List<ProcessHandle> all = new ArrayList<>(stack.launcher().descendants().toList());
        String postmasterPid = Files.readAllLines(dataDir.resolve("postgres/postmaster.pid"))
                .get(0)
                .trim();
        ProcessHandle.of(Long.parseLong(postmasterPid)).ifPresent(all::add);
        return all;
    }

    private static Map<String, String> demoTokens(List<String> output) {
        Map<String, String> tokens = new HashMap<>();
        for (String line : output) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 3 && List.of("client", "expert", "admin").contains(parts[0])) {
                tokens.put(parts[0], parts[2]);
            }
        }
        return tokens;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause instanceof CompletionException c && c.getCause() != null ? c.getCause() : cause;
    }
}
