package io.parley.infra;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real S3-compatible object store on the loopback interface: <a href="https://github.com/gaul/s3proxy">S3Proxy</a>
 * (Maven Central {@code org.gaul:s3proxy}, its self-contained {@code jar-with-dependencies}) with its
 * {@code filesystem-nio2} blob store, run as a child JVM so that none of its libraries (jclouds, Jetty, Guava...) meets
 * a service's classpath. For tests ({@link S3TestResource}), the local stack and benchmarks.
 *
 * <p>It answers the S3 REST API with path-style addressing ({@code endpoint/bucket/key}) in region
 * {@value #REGION}, signed with AWS Signature V4 (or V2) by {@link #accessKey()}/{@link #secretKey()}. Objects are
 * files under {@code dir/data/<bucket>/}, so they outlive a restart on the same folder. The child exits when this
 * JVM exits, however it exits: it watches its standard input, a pipe that only this JVM holds.
 *
 * <p>The jar is found (first match wins) at the system property {@code parley.s3proxy.jar}, the environment
 * variable {@code PARLEY_S3PROXY_JAR}, the path the build wrote into {@code io/parley/infra/s3proxy.properties}
 * (the local Maven repository, filled by building embedded-infra), or {@code ~/.m2/repository}.
 */
public final class EmbeddedS3 implements AutoCloseable {

    /** The region the server accepts in V4 signatures (S3Proxy checks none; clients must sign with one). */
    public static final String REGION = "us-east-1";
    /** The access key id of every embedded server. */
    public static final String ACCESS_KEY = "parley-local";

    /** Bucket names as S3 allows them (3-63 of lowercase letters, digits, dots and hyphens). */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private static final long START_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(60);

    private final Process process;
    private final URI endpoint;
    private final String secretKey;
    private final Path dir;
    private final Thread shutdownHook;

    private EmbeddedS3(Process process, URI endpoint, String secretKey, Path dir) {
        this.process = process;
        this.endpoint = endpoint;
        this.secretKey = secretKey;
        this.dir = dir;
        this.shutdownHook = new Thread(this::kill, "embedded-s3-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** {@link #start(Path, int)} on a free port. */
    public static EmbeddedS3 start(Path dir) throws IOException {
        return start(dir, 0);
    }

    /**
     * Starts a server that keeps its objects under {@code dir/data} (its configuration in {@code dir/s3proxy.conf},
     * its log in {@code dir/s3proxy.log}), listening on 127.0.0.1:{@code port} (0 picks a free one), with a new
     * random secret key. Returns once it answers HTTP.
     *
     * @throws IOException when the S3Proxy jar cannot be found, or the server does not answer within 60 s (the
     *                     message carries the end of its log)
     */
    public static EmbeddedS3 start(Path dir, int port) throws IOException {
        Path jar = s3ProxyJar();
        Path root = Files.createDirectories(dir.toAbsolutePath().normalize());
        Path data = Files.createDirectories(root.resolve("data"));
        Path launcher = writeLauncher(root.resolve("launcher"));
        int chosenPort = port == 0 ? FreePort.find() : port;
        URI endpoint = URI.create("http://127.0.0.1:" + chosenPort);
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String secret = HexFormat.of().formatHex(random);

        Properties conf = new Properties();
        conf.setProperty("s3proxy.endpoint", endpoint.toString());
        conf.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        conf.setProperty("s3proxy.identity", ACCESS_KEY);
        conf.setProperty("s3proxy.credential", secret);
        conf.setProperty("jclouds.provider", "filesystem-nio2");
        conf.setProperty("jclouds.filesystem.basedir", data.toString());
        conf.setProperty("jclouds.identity", "local");
        conf.setProperty("jclouds.credential", "local");
        Path confFile = root.resolve("s3proxy.conf");
        try (var out = Files.newOutputStream(confFile)) {
            conf.store(out, "written by io.parley.infra.EmbeddedS3 at each start");
        }

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(
                "-Xmx512m",
                "-XX:+ExitOnOutOfMemoryError",
                "-cp",
                launcher + File.pathSeparator + jar,
                EmbeddedS3Main.class.getName(),
                "--properties",
                confFile.toString()));
        Path log = root.resolve("s3proxy.log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().put("LOG_LEVEL", "warn");
        builder.environment().put("JETTY_LOG_LEVEL", "warn");
        Process process = builder.start();
        EmbeddedS3 server = new EmbeddedS3(process, endpoint, secret, root);
        try {
            server.awaitReady(log);
        } catch (IOException | RuntimeException e) {
            server.stop();
            throw e;
        }
        return server;
    }

    /** Where clients send requests, e.g. {@code http://127.0.0.1:24321} (path-style: {@code endpoint/bucket/key}). */
    public URI endpoint() {
        return endpoint;
    }

    /** The access key id to sign with ({@value #ACCESS_KEY}). */
    public String accessKey() {
        return ACCESS_KEY;
    }

    /** The secret key to sign with: new at each start. */
    public String secretKey() {
        return secretKey;
    }

    /** The region to sign with ({@value #REGION}). */
    public String region() {
        return REGION;
    }

    /** The folder of the buckets: bucket {@code b}'s objects are the files under {@code dataDir()/b}. */
    public Path dataDir() {
        return dir.resolve("data");
    }

    /**
     * Creates bucket {@code name} unless it exists (a signed {@code PUT /name}).
     *
     * @return this server
     * @throws IllegalArgumentException when {@code name} is not a valid bucket name
     * @throws IOException              when the server refuses
     */
    public EmbeddedS3 bucket(String name) throws IOException {
        if (!BUCKET.matcher(name).matches()) {
            throw new IllegalArgumentException("not a bucket name: " + name);
        }
        HttpURLConnection connection =
                (HttpURLConnection) endpoint.resolve("/" + name).toURL().openConnection();
        try {
            connection.setRequestMethod("PUT");
            connection.setConnectTimeout(5_000);
            connection.setReadTimeout(30_000);
            signV2(connection, "PUT", "/" + name);
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(0);
            connection.getOutputStream().close();
            int status = connection.getResponseCode();
            String body = readBody(connection);
            if (status / 100 != 2 && !body.contains("BucketAlreadyOwnedByYou")) {
                throw new IOException("creating bucket " + name + ": HTTP " + status + " " + body);
            }
            return this;
        } finally {
            connection.disconnect();
        }
    }

    /**
     * The message-service settings of an S3 file store on this server and {@code bucket} (which {@link #bucket}
     * creates): {@code parley.files.store=s3} and {@code parley.files.s3.endpoint}, {@code .bucket}, {@code .region},
     * {@code .access-key}, {@code .secret-key}, {@code .path-style=true}. Their environment forms are
     * {@code PARLEY_FILES_STORE}, {@code PARLEY_FILES_S3_ENDPOINT}... (see {@link #filesEnvironment(String)}).
     */
    public Map<String, String> filesConfig(String bucket) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("parley.files.store", "s3");
        config.put("parley.files.s3.endpoint", endpoint.toString());
        config.put("parley.files.s3.bucket", bucket);
        config.put("parley.files.s3.region", REGION);
        config.put("parley.files.s3.access-key", ACCESS_KEY);
        config.put("parley.files.s3.secret-key", secretKey);
        config.put("parley.files.s3.path-style", "true");
        return config;
    }

    /** {@link #filesConfig(String)} as environment variables (MicroProfile Config's forms, e.g. {@code PARLEY_FILES_S3_BUCKET}). */
    public Map<String, String> filesEnvironment(String bucket) {
        Map<String, String> env = new LinkedHashMap<>();
        filesConfig(bucket)
                .forEach((key, value) ->
                        env.put(key.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_"), value));
        return env;
    }

    /** Whether the server process still runs. */
    public boolean isRunning() {
        return process.isAlive();
    }

    /** Stops the server (closing its standard input, then killing it if it lingers); stopping twice does nothing. */
    public void stop() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs kill()
        }
        kill();
    }

    @Override
    public void close() {
        stop();
    }

    private void kill() {
        if (!process.isAlive()) {
            return;
        }
        try {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady(Path log) throws IOException {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("S3Proxy exited with " + process.exitValue() + ": " + tail(log));
            }
            try {
                HttpURLConnection probe = (HttpURLConnection) endpoint.toURL().openConnection();
                probe.setConnectTimeout(1_000);
                probe.setReadTimeout(5_000);
                try {
                    probe.getResponseCode(); // any answer (403 without a signature) means it serves
                    return;
                } finally {
                    probe.disconnect();
                }
            } catch (IOException notYet) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IOException("S3Proxy did not answer on " + endpoint + " within " + START_TIMEOUT_MS / 1000
                            + " s: " + tail(log));
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while S3Proxy started", e);
                }
            }
        }
    }

    /** AWS Signature Version 2 (the S3 REST authentication of 2006, which S3Proxy accepts beside V4). */
    private void signV2(HttpURLConnection connection, String method, String resource) {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
        String toSign = method + "\n\n\n" + date + "\n" + resource;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            String signature = Base64.getEncoder().encodeToString(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
            connection.setRequestProperty("Date", date);
            connection.setRequestProperty("Authorization", "AWS " + ACCESS_KEY + ":" + signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is missing from this JVM", e);
        }
    }

    private static String readBody(HttpURLConnection connection) {
        try (InputStream in =
                connection.getResponseCode() / 100 == 2 ? connection.getInputStream() : connection.getErrorStream()) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The S3Proxy jar: see the class comment for where it is looked for. */
    static Path s3ProxyJar() throws IOException {
        List<Path> candidates = new ArrayList<>();
        String property = System.getProperty("parley.s3proxy.jar");
        if (property != null && !property.isBlank()) {
            candidates.add(Path.of(property));
        }
        String env = System.getenv("PARLEY_S3PROXY_JAR");
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        Properties built = new Properties();
        try (InputStream in = EmbeddedS3.class.getResourceAsStream("s3proxy.properties")) {
            if (in == null) {
                throw new IllegalStateException("io/parley/infra/s3proxy.properties is missing from embedded-infra");
            }
            built.load(in);
        }
        String version = built.getProperty("version");
        candidates.add(Path.of(built.getProperty("jar")));
        candidates.add(Path.of(
                System.getProperty("user.home"),
                ".m2",
                "repository",
                "org",
                "gaul",
                "s3proxy",
                version,
                "s3proxy-" + version + "-jar-with-dependencies.jar"));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IOException("the S3Proxy jar (org.gaul:s3proxy:" + version + ":jar-with-dependencies) is not at "
                + candidates + ": build embedded-infra (./mvnw install -pl embedded-infra) to fetch it, or set "
                + "PARLEY_S3PROXY_JAR");
    }

    /**
     * Copies {@link EmbeddedS3Main}'s class file out of this library into {@code dir}, so the child's classpath is that
     * folder and the S3Proxy jar only, wherever this library was loaded from (a jar, a folder, a test class loader).
     */
    private static Path writeLauncher(Path dir) throws IOException {
        String name = EmbeddedS3Main.class.getName().replace('.', '/') + ".class";
        Path target = dir.resolve(name);
        Files.createDirectories(target.getParent());
        try (InputStream in = EmbeddedS3.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " is missing from embedded-infra");
            }
            Files.write(target, in.readAllBytes());
        }
        return dir;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        } catch (UncheckedIOException e) {
            return "(unreadable log at " + log + ")";
        }
    }
}
