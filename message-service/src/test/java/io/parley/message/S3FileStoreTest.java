package io.parley.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.infra.EmbeddedS3;
import io.parley.message.client.S3FileStore;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@link S3FileStore} against a real S3-compatible server ({@link EmbeddedS3}: S3Proxy in a child JVM), no Quarkus.
 */
class S3FileStoreTest {

    private static final String BUCKET = "store-test";

    @TempDir
    static Path temp;

    private static EmbeddedS3 server;
    private static S3FileStore store;

    @BeforeAll
    static void startServer() throws IOException {
        server = EmbeddedS3.start(temp.resolve("s3")).bucket(BUCKET);
        store = S3FileStore.open(settings(BUCKET, false));
    }

    @AfterAll
    static void stopServer() {
        if (store != null) {
            store.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void putThenOpenWholeGivesTheSameBytesAndKeepsTheContentType() throws IOException {
        byte[] bytes = randomBytes(10_000, 1);
        String key = key();
        store.put(key, file(bytes), "image/png");

        assertThat(store.exists(key)).isTrue();
        try (InputStream in = store.open(key, 0, -1)) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        try (S3Client raw = rawClient()) {
            var head = raw.headObject(request -> request.bucket(BUCKET).key(key));
            assertThat(head.contentType()).isEqualTo("image/png");
            assertThat(head.contentLength()).isEqualTo(10_000L);
        }
    }

    @Test
    void openRangesGivesExactlyThoseBytes() throws IOException {
        byte[] bytes = randomBytes(1_000, 2);
        String key = key();
        store.put(key, file(bytes), "application/octet-stream");

        assertThat(read(key, 100, 100)).isEqualTo(Arrays.copyOfRange(bytes, 100, 200));
        assertThat(read(key, 900, -1)).isEqualTo(Arrays.copyOfRange(bytes, 900, 1_000));
        assertThat(read(key, 0, 1)).isEqualTo(Arrays.copyOfRange(bytes, 0, 1));
        assertThat(read(key, 999, 1)).isEqualTo(Arrays.copyOfRange(bytes, 999, 1_000));
        assertThat(read(key, 950, 500))
                .as("a range past the end is cut at the end")
                .isEqualTo(Arrays.copyOfRange(bytes, 950, 1_000));
        assertThat(read(key, 5, 0)).isEmpty();
        assertThat(read(key, 1_000, -1))
                .as("from the end: nothing, as on a filesystem")
                .isEmpty();
        assertThat(read(key, 5_000, 10)).isEmpty();
    }

    @Test
    void anEmptyObjectReadsAsEmpty() throws IOException {
        String key = key();
        store.put(key, file(new byte[0]), "text/plain");
        assertThat(store.exists(key)).isTrue();
        assertThat(read(key, 0, -1)).isEmpty();
    }

    @Test
    void putReplacesWhatWasThere() throws IOException {
        String key = key();
        store.put(key, file("first".getBytes(StandardCharsets.UTF_8)), "text/plain");
        store.put(key, file("second".getBytes(StandardCharsets.UTF_8)), "text/plain");
        assertThat(new String(read(key, 0, -1), StandardCharsets.UTF_8)).isEqualTo("second");
    }

    @Test
    void openingAMissingKeyIsNoSuchFile() throws IOException {
        String key = key();
        assertThat(store.exists(key)).isFalse();
        assertThatThrownBy(() -> store.open(key, 0, -1))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessage(key);
        assertThatThrownBy(() -> store.open(key, 10, 20)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> store.open(key, 0, 0)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void deleteRemovesAndDeletingTwiceIsFine() throws IOException {
        String key = key();
        store.put(key, file(randomBytes(100, 3)), "application/pdf");
        assertThat(store.exists(key)).isTrue();

        store.delete(key);
        assertThat(store.exists(key)).isFalse();
        assertThatThrownBy(() -> store.open(key, 0, -1)).isInstanceOf(NoSuchFileException.class);
        store.delete(key);
        store.delete(key());
        assertThat(Files.exists(server.dataDir().resolve(BUCKET).resolve(key))).isFalse();
    }

    @Test
    void keysThatAreNotStoreKeysAreRefused() {
        for (String bad : new String[] {"", "../x", "a/../b", "a//b", "/a", "a b", "a?b", "é"}) {
            assertThatThrownBy(() -> store.put(bad, temp, "text/plain"))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.open(bad, 0, -1)).as(bad).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.exists(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.delete(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /**
     * 30 MB go up from the file and come down as a stream. Neither is held whole in memory: the bytes this thread
     * allocates while putting or reading them (counted by the JVM, whether collected or not) stay well below their size.
     */
    @Test
    void thirtyMegabytesAreStreamedBothWays() throws Exception {
        long size = 30L * 1024 * 1024;
        Path source = temp.resolve("big-" + UUID.randomUUID());
        MessageDigest written = MessageDigest.getInstance("SHA-256");
        Random random = new Random(30);
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(source)) {
            for (long done = 0; done < size; done += chunk.length) {
                random.nextBytes(chunk);
                written.update(chunk);
                out.write(chunk);
            }
        }
        String key = "big/" + UUID.randomUUID();

        long beforePut = allocatedByThisThread();
        store.put(key, source, "application/octet-stream");
        long putAllocated = allocatedByThisThread() - beforePut;

        MessageDigest read = MessageDigest.getInstance("SHA-256");
        long count = 0;
        long beforeRead = allocatedByThisThread();
        try (DigestInputStream in = new DigestInputStream(store.open(key, 0, -1), read)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                count += n;
            }
        }
        long readAllocated = allocatedByThisThread() - beforeRead;

        assertThat(count).isEqualTo(size);
        assertThat(HexFormat.of().formatHex(read.digest()))
                .isEqualTo(HexFormat.of().formatHex(written.digest()));
        assertThat(putAllocated).as("bytes allocated while putting 30 MB").isLessThan(5L * 1024 * 1024);
        assertThat(readAllocated).as("bytes allocated while reading 30 MB").isLessThan(5L * 1024 * 1024);

        // the last 100 bytes, and a read given up after 10 bytes (the connection is dropped, not drained)
        try (InputStream in = store.open(key, size - 100, 100)) {
            assertThat(in.readAllBytes()).hasSize(100);
        }
        try (InputStream in = store.open(key, 0, -1)) {
            assertThat(in.readNBytes(10)).hasSize(10);
        }
        assertThat(store.exists(key)).isTrue();
        store.delete(key);
    }

    @Test
    void fromConfigReadsTheSettingsAndFailsFastOnAMissingBucket() throws IOException {
        Map<String, String> config = new HashMap<>(server.filesConfig("missing-bucket"));
        assertThatThrownBy(() -> S3FileStore.fromConfig(config(config)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("missing-bucket")
                .hasMessageContaining("does not exist")
                .hasMessageContaining("parley.files.s3.create-bucket");

        config.put("parley.files.s3.create-bucket", "true");
        try (S3FileStore created = S3FileStore.fromConfig(config(config))) {
            assertThat(created.bucket()).isEqualTo("missing-bucket");
            String key = key();
            created.put(key, file("x".getBytes(StandardCharsets.UTF_8)), "text/plain");
            assertThat(created.exists(key)).isTrue();
        }
        // now it exists: without create-bucket it opens
        config.remove("parley.files.s3.create-bucket");
        S3FileStore.fromConfig(config(config)).close();
    }

    @Test
    void fromConfigFailsFastOnWrongCredentialsAndHalfGivenKeys() {
        Map<String, String> config = new HashMap<>(server.filesConfig(BUCKET));
        config.put("parley.files.s3.secret-key", "not-the-secret");
        assertThatThrownBy(() -> S3FileStore.fromConfig(config(config)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refused");

        config.remove("parley.files.s3.secret-key");
        assertThatThrownBy(() -> S3FileStore.fromConfig(config(config)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("go together");

        Map<String, String> noBucket = new HashMap<>(server.filesConfig(BUCKET));
        noBucket.remove("parley.files.s3.bucket");
        assertThatThrownBy(() -> S3FileStore.fromConfig(config(noBucket)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parley.files.s3.bucket");
    }

    @Test
    void fromConfigFailsFastWhenNothingAnswers() {
        Map<String, String> config = new HashMap<>(server.filesConfig(BUCKET));
        config.put("parley.files.s3.endpoint", "http://127.0.0.1:1");
        assertThatThrownBy(() -> S3FileStore.fromConfig(config(config)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot be reached");
    }

    private static S3FileStore.Settings settings(String bucket, boolean create) {
        return new S3FileStore.Settings(
                server.endpoint(), bucket, server.region(), server.accessKey(), server.secretKey(), true, create);
    }

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build();
    }

    private static S3Client rawClient() {
        return S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(server.endpoint())
                .region(Region.of(server.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(server.accessKey(), server.secretKey())))
                .forcePathStyle(true)
                .build();
    }

    private static byte[] read(String key, long offset, long length) throws IOException {
        try (InputStream in = store.open(key, offset, length)) {
            return in.readAllBytes();
        }
    }

    private static String key() {
        return "files/" + UUID.randomUUID();
    }

    private static Path file(byte[] bytes) throws IOException {
        return Files.write(temp.resolve("src-" + UUID.randomUUID()), bytes);
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static long allocatedByThisThread() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
