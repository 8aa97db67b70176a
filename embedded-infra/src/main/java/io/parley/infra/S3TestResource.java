package io.parley.infra;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Quarkus test resource that starts an {@link EmbeddedS3} server in a temporary folder with bucket {@value #BUCKET}
 * and configures the message-service to keep its files there ({@link EmbeddedS3#filesConfig(String)}:
 * {@code parley.files.store=s3} and {@code parley.files.s3.*}). Use it from a {@code QuarkusTestProfile}'s
 * {@code testResources()} beside the GLOBAL {@link InfraTestResource}; the server stops, and its folder is deleted,
 * when the profile's application stops. Tests reach the server through the configuration it returns (an S3 client
 * on {@code parley.files.s3.endpoint} with the access and secret keys, path-style).
 */
public class S3TestResource implements QuarkusTestResourceLifecycleManager {

    public static final String BUCKET = "parley-files";

    private Path root;
    private EmbeddedS3 server;

    /**
     * Starts the server and creates the bucket.
     *
     * @return the message-service's {@code parley.files.*} settings for it
     * @throws IllegalStateException when the server does not start
     */
    @Override
    public Map<String, String> start() {
        try {
            root = Files.createTempDirectory("parley-s3-");
            server = EmbeddedS3.start(root).bucket(BUCKET);
            return server.filesConfig(BUCKET);
        } catch (IOException e) {
            stop();
            throw new IllegalStateException("the embedded S3 server did not start", e);
        }
    }

    /** Stops the server and deletes its folder. */
    @Override
    public void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
        if (root != null && Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp folder left behind is not worth failing a test run for
            }
            root = null;
        }
    }
}
