package io.parley.local;

import io.parley.infra.DevKeys;
import io.parley.infra.FreePort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Runs the README's local stack as a user does, from the packaged services, and checks what the user sees: the ready
 * line, every service ready, demo tokens trusted, nothing left running after SIGTERM, data kept across restarts,
 * and the user's own JWT key trusted instead of the demo key when given.
 */
class LocalStackIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Path dataDir;
    private Map<String, String> env;
    private Map<String, Integer> ports;
    private Process launcher;

    @BeforeEach
    void freshDataFolder() throws IOException {
        dataDir = Files.createTempDirectory("parley-stack-");
        ports = new HashMap<>();
        env = new HashMap<>();
        env.put("PARLEY_DATA_DIR", dataDir.toString());
        for (String name : List.of("GATEWAY", "CONVERSATION", "MESSAGE", "NOTIFICATION", "KAFKA",
                "KAFKA_CONTROLLER", "POSTGRES")) {
            int port = FreePort.find();
            ports.put(name, port);
            env.put("PARLEY_" + name + "_PORT", String.valueOf(port));
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (launcher != null && launcher.isAlive()) {
            launcher.destroy();
            launcher.waitFor(60, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void startsEveryServiceTrustsItsDemoTokensStopsCleanlyAndKeepsItsData() throws Exception {
        List<String> output = start(env);
        assertThat(output).anyMatch(l -> l.contains("(new)"));
        assertThat(output).anyMatch(l -> l.startsWith(LocalStack.READY_PREFIX)
                && l.contains("http://localhost:" + ports.get("GATEWAY")));
        for (String service : List.of("GATEWAY", "CONVERSATION", "MESSAGE", "NOTIFICATION")) {
            HttpResponse<String> ready = get(ports.get(service), "/q/health/ready", null);
            assertThat(ready.statusCode()).as(service).isEqualTo(200);
            assertThat(ready.body()).contains("\"status\": \"UP\"");
        }
        assertThat(get(ports.get("GATEWAY"), "/", null).statusCode()).isEqualTo(200);

        Map<String, String> tokens = demoTokens(output);
        assertThat(tokens).containsOnlyKeys("client", "expert", "admin");
        String conversationId = everyServiceAccepts(tokens.get("client"), LocalStack.DEMO_USERS.get("expert"));

        List<ProcessHandle> processes = stackProcesses();
        assertThat(processes).hasSizeGreaterThanOrEqualTo(6); // four services, Kafka, PostgreSQL
        stop();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(processes).noneMatch(ProcessHandle::isAlive));

        List<String> again = start(env);
        assertThat(again).anyMatch(l -> l.contains("(reused)"));
        HttpResponse<String> kept = get(ports.get("CONVERSATION"), "/api/conversations/" + conversationId,
                demoTokens(again).get("expert"));
        assertThat(kept.statusCode()).as("the conversation created before the restart").isEqualTo(200);
        stop();
    }

    @Test
    void trustsTheKeyItIsGivenAndNotItsOwn() throws Exception {
        // A first start makes the demo key; the second is told to trust another key.
        Map<String, String> demo = demoTokens(start(env));
        stop();

        KeyPair other = DevKeys.strangerKeyPair();
        Path publicKey = dataDir.resolve("other-public.pem");
        DevKeys.writePublicKey(other.getPublic(), publicKey);
        Map<String, String> withKey = new HashMap<>(env);
        withKey.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", publicKey.toString());
        withKey.put("MP_JWT_VERIFY_ISSUER", "https://idp.example.org/realms/parley");
        List<String> output = start(withKey);
        assertThat(demoTokens(output)).isEmpty();

        String theirs = DevKeys.sign("https://idp.example.org/realms/parley", other.getPrivate(), "idp-user-1",
                "client", "From IdP", Instant.now().plusSeconds(600));
        everyServiceAccepts(theirs, "idp-user-2");
        everyServiceRefuses(demo.get("client"));
        stop();
    }

    /** An authenticated call on each service succeeds; answers the conversation it created. */
    private String everyServiceAccepts(String token, String otherUser) throws Exception {
        HttpResponse<String> created = post(ports.get("CONVERSATION"), "/api/conversations", token,
                "{\"type\":\"direct\",\"participants\":[\"" + otherUser + "\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        // The history answers once the message-service's replica has the conversation from Kafka.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(get(ports.get("MESSAGE"), "/api/conversations/" + id + "/messages", token).statusCode())
                        .isEqualTo(200));
        HttpResponse<String> subscribed = post(ports.get("NOTIFICATION"), "/api/push/subscriptions", token,
                "{\"kind\":\"fcm\",\"token\":\"device-" + id + "\"}");
        assertThat(subscribed.statusCode()).as(subscribed.body()).isEqualTo(201);
        LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket socket = openSocket(token, frames);
        assertThat(frames.poll(10, TimeUnit.SECONDS)).contains("\"type\":\"welcome\"");
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        return id;
    }

    private void everyServiceRefuses(String token) throws Exception {
        assertThat(post(ports.get("CONVERSATION"), "/api/conversations", token,
                "{\"type\":\"direct\",\"participants\":[\"x\"]}").statusCode()).isEqualTo(401);
        assertThat(get(ports.get("MESSAGE"), "/api/conversations/" + java.util.UUID.randomUUID() + "/messages", token)
                .statusCode()).isEqualTo(401);
        assertThat(post(ports.get("NOTIFICATION"), "/api/push/subscriptions", token,
                "{\"kind\":\"fcm\",\"token\":\"t\"}").statusCode()).isEqualTo(401);
        assertThatThrownBy(() -> openSocket(token, new LinkedBlockingQueue<>()))
                .satisfies(e -> assertThat(rootCause(e)).hasMessageContaining("401"));
    }

    private List<String> start(Map<String, String> environment) throws Exception {
        Path repository = Path.of(System.getProperty("user.dir")).resolve("../..").normalize();
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dparley.repository=" + repository, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"),
                LocalStack.class.getName())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("MP_JWT") || k.startsWith("PARLEY_"));
        builder.environment().putAll(environment);
        launcher = builder.start();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        BufferedReader reader = new BufferedReader(new InputStreamReader(launcher.getInputStream(),
                StandardCharsets.UTF_8));
        Thread pump = new Thread(() -> {
            try {
                for (String line; (line = reader.readLine()) != null; ) {
                    lines.add(line);
                    System.out.println("  stack> " + line);
                }
            } catch (IOException ignored) {
                // the launcher ended
            }
        });
        pump.setDaemon(true);
        pump.start();
        await().atMost(Duration.ofSeconds(240)).until(() -> !launcher.isAlive()
                || lines.stream().anyMatch(l -> l.contains("Ctrl-C stops the stack")));
        assertThat(launcher.isAlive()).as("launcher running; its output: %s", lines).isTrue();
        return List.copyOf(lines);
    }

    private void stop() throws InterruptedException {
        launcher.destroy(); // SIGTERM, as a service manager or `kill` sends
        assertThat(launcher.waitFor(90, TimeUnit.SECONDS)).as("launcher stopped").isTrue();
    }

    /** The launcher's children and the PostgreSQL server, which runs detached from it. */
    private List<ProcessHandle> stackProcesses() throws IOException {
        List<ProcessHandle> all = new ArrayList<>(launcher.descendants().toList());
        String postmasterPid = Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(0).trim();
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

    private static HttpResponse<String> get(int port, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(int port, String path, String token, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private WebSocket openSocket(String token, LinkedBlockingQueue<String> frames) throws Exception {
        return HTTP.newWebSocketBuilder()
                .header("Authorization", "Bearer " + token)
                .buildAsync(URI.create("ws://127.0.0.1:" + ports.get("GATEWAY") + "/ws"), new WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        frames.add(data.toString());
                        ws.request(1);
                        return null;
                    }
                })
                .get(10, TimeUnit.SECONDS);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause instanceof CompletionException c && c.getCause() != null ? c.getCause() : cause;
    }
}
