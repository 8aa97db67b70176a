package io.parley.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.infra.FreePort;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The local stack as a user runs it: the launcher from the packaged services, on free ports, in a data folder of
 * its own. Tests start it, talk to it over HTTP and WebSocket, and stop it with SIGTERM.
 */
final class StackUnderTest implements AutoCloseable {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    final Path dataDir;
    final Map<String, String> env = new HashMap<>();
    final Map<String, Integer> ports = new HashMap<>();
    /** Each service's management port (health, metrics), by the same names: GATEWAY, CONVERSATION... */
    final Map<String, Integer> managementPorts = new HashMap<>();

    private Process launcher;

    StackUnderTest() throws IOException {
        dataDir = Files.createTempDirectory("parley-stack-");
        env.put("PARLEY_DATA_DIR", dataDir.toString());
        for (String name : List.of(
                "GATEWAY", "CONVERSATION", "MESSAGE", "NOTIFICATION", "KAFKA", "KAFKA_CONTROLLER", "POSTGRES")) {
            int port = FreePort.find();
            ports.put(name, port);
            env.put("PARLEY_" + name + "_PORT", String.valueOf(port));
        }
        for (String name : List.of("GATEWAY", "CONVERSATION", "MESSAGE", "NOTIFICATION")) {
            int port = FreePort.find();
            managementPorts.put(name, port);
            env.put("PARLEY_" + name + "_MANAGEMENT_PORT", String.valueOf(port));
        }
    }

    int port(String component) {
        return ports.get(component);
    }

    /** The management port (health at /q/health, metrics at /q/metrics) of GATEWAY, CONVERSATION, MESSAGE... */
    int managementPort(String service) {
        return managementPorts.get(service);
    }

    /**
     * The Kafka client settings of the stack's broker as the services get them (environment variables:
     * {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_JAAS_CONFIG}...): none beyond the bootstrap address for a
     * plain broker, those of the data folder's {@code kafka-security/client.properties} for {@code sasl_ssl}.
     */
    Map<String, String> kafkaClientEnvironment() throws IOException {
        Path security = dataDir.resolve("kafka-security");
        if (!Files.exists(security.resolve("client.properties"))) {
            return Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + port("KAFKA"));
        }
        return io.parley.infra.KafkaSecurity.clientEnvironment(security);
    }

    /** Starts the launcher with {@code environment} and waits for its ready output; answers what it printed. */
    List<String> start(Map<String, String> environment) throws IOException {
        Path repository =
                Path.of(System.getProperty("user.dir")).resolve("../..").normalize();
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Dparley.repository=" + repository,
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-cp",
                        System.getProperty("java.class.path"),
                        LocalStack.class.getName())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("MP_JWT") || k.startsWith("PARLEY_"));
        builder.environment().putAll(environment);
        launcher = builder.start();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        BufferedReader reader =
                new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8));
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
        await().atMost(Duration.ofSeconds(240))
                .until(() -> !launcher.isAlive() || lines.stream().anyMatch(l -> l.contains("Ctrl-C stops the stack")));
        assertThat(launcher.isAlive())
                .as("launcher running; its output: %s", lines)
                .isTrue();
        return List.copyOf(lines);
    }

    List<String> start() throws IOException {
        return start(env);
    }

    Process launcher() {
        return launcher;
    }

    void stop() throws InterruptedException {
        launcher.destroy(); // SIGTERM, as a service manager or `kill` sends
        assertThat(launcher.waitFor(90, TimeUnit.SECONDS))
                .as("launcher stopped")
                .isTrue();
    }

    @Override
    public void close() throws Exception {
        if (launcher != null && launcher.isAlive()) {
            launcher.destroy();
            launcher.waitFor(60, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static HttpResponse<String> get(int port, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(int port, String path, String token, String json) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A WebSocket on the gateway that queues every text frame it receives. */
    WebSocket openSocket(String token, LinkedBlockingQueue<String> frames) throws Exception {
        return openSocket(token, frames, "/ws");
    }

    /** The same on {@code path} (with its query). */
    WebSocket openSocket(String token, LinkedBlockingQueue<String> frames, String path) throws Exception {
        return HTTP.newWebSocketBuilder()
                .header("Authorization", "Bearer " + token)
                .buildAsync(URI.create("ws://127.0.0.1:" + port("GATEWAY") + path), new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            frames.add(partial.toString());
                            partial.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }
                })
                .get(10, TimeUnit.SECONDS);
    }
}
