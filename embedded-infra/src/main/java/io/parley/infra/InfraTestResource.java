package io.parley.infra;

import io.parley.events.Topics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The test infrastructure of every service: one real Kafka broker (KRaft) and one real PostgreSQL on free ports,
 * plus a JWT signing key, started once per test JVM. Use it on every test class of a module with
 * {@code @WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)} so that Quarkus
 * starts one application and one set of servers for the whole suite.
 *
 * <p>Tests find what they need in the configuration: {@code kafka.bootstrap.servers}, the datasource URLs, and
 * {@code parley.test.keys-dir} with {@code mp.jwt.verify.issuer} to sign tokens through {@link DevKeys}.
 */
public class InfraTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String DATABASE = "parley";
    public static final String ISSUER = "parley-test";
    public static final String KEYS_DIR_PROPERTY = "parley.test.keys-dir";

    private static final String[] NOISY_LOGGERS = {
        "kafka",
        "org.apache.kafka",
        "state.change.logger",
        "io.zonky",
        "org.apache.kafka.clients",
        "org.apache.kafka.common.utils.AppInfoParser"
    };

    private Path root;
    private KafkaBroker kafka;
    private PostgresServer postgres;

    @Override
    public Map<String, String> start() {
        quietInfrastructureLogs();
        try {
            root = Files.createTempDirectory("parley-test-");
            CompletableFuture<PostgresServer> pg = CompletableFuture.supplyAsync(() -> {
                try {
                    PostgresServer server = PostgresServer.start(root.resolve("postgres"), 0, false);
                    server.createDatabase(DATABASE);
                    return server;
                } catch (Exception e) {
                    throw new IllegalStateException("PostgreSQL did not start", e);
                }
            });
            kafka = KafkaBroker.start(root.resolve("kafka"), 0, 0);
            kafka.createTopics(Topics.ALL);
            postgres = pg.join();
            Path keysDir = root.resolve("keys");
            DevKeys keys = DevKeys.loadOrCreate(keysDir, ISSUER);

            Map<String, String> config = new HashMap<>();
            config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
            config.put("quarkus.datasource.reactive.url", postgres.reactiveUrl(DATABASE));
            config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl(DATABASE));
            config.put("quarkus.datasource.username", PostgresServer.USER);
            config.put("quarkus.datasource.password", PostgresServer.PASSWORD);
            config.put(
                    "mp.jwt.verify.publickey.location",
                    keys.publicKeyPath().toUri().toString());
            config.put("mp.jwt.verify.issuer", ISSUER);
            config.put(KEYS_DIR_PROPERTY, keysDir.toString());
            for (String logger : NOISY_LOGGERS) {
                config.put("quarkus.log.category.\"" + logger + "\".level", "WARN");
            }
            return config;
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("test infrastructure did not start", e);
        }
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                postgres = null;
            }
        }
        deleteTree(root);
    }

    private static void quietInfrastructureLogs() {
        for (String logger : NOISY_LOGGERS) {
            Logger.getLogger(logger).setLevel(Level.WARNING);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is not worth failing a test run for
        }
    }
}
