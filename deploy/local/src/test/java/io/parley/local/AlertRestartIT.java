package io.parley.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.events.ConversationKind;
import io.parley.events.MessageData;
import io.parley.events.MessageEvent;
import io.parley.events.Role;
import io.parley.events.Topics;
import io.parley.infra.DevKeys;
import io.parley.infra.EventPublisher;
import io.parley.infra.FreePort;
import io.parley.infra.KafkaBroker;
import io.parley.infra.PostgresServer;
import io.parley.infra.PushKeys;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The notification-service killed (SIGKILL) while an alert is pending, and started again: the alert still comes,
 * exactly once. Real PostgreSQL and Kafka, the service's own jar as a process, a Web Push endpoint on loopback.
 */
class AlertRestartIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void anAlertPendingWhenTheServiceIsKilledComesExactlyOnceAfterItRestarts() throws Exception {
        Path dir = Files.createTempDirectory("parley-alert-restart-");
        Vertx vertx = Vertx.vertx();
        List<String> topics = new CopyOnWriteArrayList<>();
        HttpServer endpoint = vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> {
                    topics.add(request.getHeader("Topic"));
                    request.response().setStatusCode(201).end();
                }))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        try (PostgresServer postgres = PostgresServer.start(dir.resolve("postgres"), 0, false);
                KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"), 0, 0)) {
            postgres.createDatabase("notification");
            kafka.createTopics(Topics.ALL);
            DevKeys keys = DevKeys.loadOrCreate(dir.resolve("keys"), "parley-local");
            int port = FreePort.find();
            int management = FreePort.find();
            Map<String, String> env = Map.of(
                    "QUARKUS_HTTP_PORT", String.valueOf(port),
                    "QUARKUS_MANAGEMENT_PORT", String.valueOf(management),
                    "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl("notification"),
                    "QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl("notification"),
                    "MP_JWT_VERIFY_PUBLICKEY_LOCATION", keys.publicKeyPath().toString(),
                    "MP_JWT_VERIFY_ISSUER", "parley-local",
                    "PARLEY_NOTIFICATION_GRACE_DELAY", "5s",
                    "PARLEY_PUSH_ALLOW_LOOPBACK_HTTP", "true",
                    "PARLEY_PUSH_VAPID_KEYS_FILE",
                            dir.resolve("keys/vapid.keys").toString());
            Process service = start(env, dir.resolve("first.log"), management);
            try {
                String bob = "bob-" + UUID.randomUUID();
                JsonObject subscription = new JsonObject()
                        .put("kind", "webpush")
                        .put("endpoint", "http://127.0.0.1:" + endpoint.actualPort() + "/push/" + bob)
                        .put(
                                "keys",
                                new JsonObject()
                                        .put("p256dh", PushKeys.newP256dh())
                                        .put("auth", PushKeys.base64url(new byte[16])));
                HttpResponse<String> subscribed = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/push/subscriptions"))
                                .header(
                                        "Authorization",
                                        "Bearer " + keys.token(bob, "client", "Bob", Duration.ofHours(1)))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(subscription.encode()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(subscribed.statusCode()).as(subscribed.body()).isEqualTo(201);

                UUID conversation = UUID.randomUUID();
                Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
                MessageData message = new MessageData(
                        UUID.randomUUID(),
                        conversation,
                        1,
                        UUID.randomUUID().toString(),
                        "alice",
                        Role.CLIENT,
                        "Alice",
                        "text",
                        "are you there?",
                        List.of(),
                        at,
                        null,
                        null);
                try (EventPublisher events = new EventPublisher(kafka.bootstrapServers())) {
                    events.publish(
                            Topics.MESSAGES,
                            MessageEvent.of(
                                    MessageEvent.CREATED, ConversationKind.DIRECT, List.of("alice", bob), message, at));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
                while (pending(postgres, bob) == 0) {
                    assertThat(System.nanoTime()).as("the alert is pending").isLessThan(deadline);
                    Thread.sleep(50);
                }
                service.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                assertThat(topics).as("nothing sent before the delay").isEmpty();

                service = start(env, dir.resolve("second.log"), management);
                deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (topics.isEmpty()) {
                    assertThat(System.nanoTime())
                            .as("the alert after the restart")
                            .isLessThan(deadline);
                    Thread.sleep(100);
                }
                Thread.sleep(3_000);
                assertThat(topics).containsExactly(conversation.toString().replace("-", ""));
                assertThat(pending(postgres, bob)).isZero();
            } finally {
                service.destroy();
                service.waitFor(20, TimeUnit.SECONDS);
            }
        } finally {
            endpoint.close();
            vertx.close();
        }
    }

    /** Starts the notification-service and waits until its management interface on {@code port} says it is ready. */
    private static Process start(Map<String, String> env, Path log, int port) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-jar",
                        Path.of(System.getProperty("user.dir"))
                                .resolve("../../notification-service/target/quarkus-app/quarkus-run.jar")
                                .normalize()
                                .toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("MP_JWT") || k.startsWith("PARLEY_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            assertThat(process.isAlive())
                    .as("notification-service running (log %s)", log)
                    .isTrue();
            try {
                if (HTTP.send(
                                        HttpRequest.newBuilder(
                                                        URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return process;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            assertThat(System.nanoTime())
                    .as("notification-service ready (log %s)", log)
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static int pending(PostgresServer postgres, String user) throws Exception {
        try (Connection connection = DriverManager.getConnection(
                        postgres.jdbcUrl("notification"), PostgresServer.USER, PostgresServer.PASSWORD);
                ResultSet rows = connection
                        .createStatement()
                        .executeQuery("SELECT count(*) FROM pending_alert WHERE user_id = '" + user + "'")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
