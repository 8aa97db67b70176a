package io.parley.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Builds one service's container image with the project's real {@code image} Maven profile (Quarkus' Jib extension,
 * as docs/deploy.md section 2 runs it) and checks what was pushed, as an operator would before deploying it (issue 16).
 *
 * <p>No Docker and no outside registry: the image is pushed to {@link TestRegistry}, a registry in this JVM, and built
 * on a stand-in for the distroless base that this test makes and pushes there first (one tiny layer and a config). The
 * build is a separate Maven run ({@code -Pimage package -pl conversation-service -am}, tests not compiled) on a copy of
 * the sources under {@code target/image-build}, so the outer build's own output is left alone; it is offline when the
 * outer build is. The only settings it adds to the profile's are for the test: {@code PARLEY_IMAGE_REGISTRY} (this
 * registry), the base image (the stand-in, under the same repository name as the real one), plain HTTP to the
 * registry ({@code quarkus.container-image.insecure}) and Jib's layer caches (under {@code target}). What it read
 * back is left in {@code target/image-build} ({@code manifest.json}, {@code config.json}, {@code build.log}, {@code
 * registry-requests.log}). The
 * conversation-service is built because it is the smallest service (the gateway needs the web app's npm build too);
 * the profile is the same for the four.
 *
 * <p>Then it reads the manifest and the config back from the registry and checks: the name and tag the profile gives
 * ({@code parley/<service>:<version>}), the digest Jib reported, user 65532 (the stand-in's user is root, so it comes
 * from the profile), the entrypoint that runs {@code quarkus-run.jar} from the working directory, exposed ports 8080
 * and 9000, the OCI labels title and version, and that the layers are the base's and then the application's
 * (the run jar, the service's own jar with its classes, service-kit).
 */
class ImageBuildTest {

    static final String SERVICE = "conversation-service";
    static final String BASE_REPOSITORY = "distroless/java21-debian12";
    static final String BASE_TAG = "nonroot";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final ObjectMapper JSON = new ObjectMapper();

    static final Path BUILD = ManifestsTest.K8S.resolve("target/image-build");
    static final String VERSION = System.getProperty("parley.project.version", "0.1.0-SNAPSHOT");

    static TestRegistry registry;
    static HttpClient http;
    static String baseLayerDigest;

    @BeforeAll
    static void startTheRegistry() throws IOException {
        registry = TestRegistry.start();
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stopTheRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void theImageProfileBuildsAndPushesANonRootImageOfTheServiceWithItsPortsLabelsAndEntrypoint() throws Exception {
        pushTheStandInBase();
        Path sources = copySources();
        Path log = BUILD.resolve("build.log");
        int exit = buildTheImage(sources, log);
        Files.write(BUILD.resolve("registry-requests.log"), registry.requests());
        assertThat(exit)
                .as(
                        "mvn -Pimage on %s exited %d; %s ends with:%n%s%nregistry requests:%n%s",
                        SERVICE, exit, log, tail(log, 60), String.join("\n", registry.requests()))
                .isZero();

        String repository = "parley/" + SERVICE;
        assertThat(registry.requests())
                .as("the base was pulled from the test registry")
                .contains("GET /v2/" + BASE_REPOSITORY + "/manifests/" + BASE_TAG + " -> 200");

        // the manifest under the profile's name and tag, as a cluster pulling it would get it
        HttpResponse<byte[]> manifestResponse =
                get("/v2/" + repository + "/manifests/" + VERSION, String.join(",", OCI_MANIFEST, DOCKER_MANIFEST));
        assertThat(manifestResponse.statusCode())
                .as("%s:%s pushed; registry requests:%n%s", repository, VERSION, String.join("\n", registry.requests()))
                .isEqualTo(200);
        String digest = TestRegistry.sha256(manifestResponse.body());
        assertThat(manifestResponse.headers().firstValue("Docker-Content-Digest"))
                .hasValue(digest);
        assertThat(Files.readString(sources.resolve(SERVICE).resolve("target/jib-image.digest"))
                        .trim())
                .as("the digest Jib reported is the pushed manifest's")
                .isEqualTo(digest);
        Files.write(BUILD.resolve("manifest.json"), manifestResponse.body());
        JsonNode manifest = JSON.readTree(manifestResponse.body());
        assertThat(manifest.path("schemaVersion").asInt()).isEqualTo(2);
        assertThat(manifestResponse.headers().firstValue("Content-Type").orElse(""))
                .isIn(OCI_MANIFEST, DOCKER_MANIFEST);

        byte[] imageConfig =
                blob(repository, manifest.path("config").path("digest").asText());
        Files.write(BUILD.resolve("config.json"), imageConfig);
        JsonNode image = JSON.readTree(imageConfig);
        JsonNode config = image.path("config");
        assertThat(image.path("os").asText()).isEqualTo("linux");
        assertThat(config.path("User").asText())
                .as("the user: distroless' nonroot")
                .isEqualTo("65532");
        assertThat(fieldNames(config.path("ExposedPorts"))).containsExactlyInAnyOrder("8080/tcp", "9000/tcp");

        Map<String, String> labels = new HashMap<>();
        config.path("Labels")
                .fields()
                .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        assertThat(labels)
                .containsEntry("org.opencontainers.image.title", SERVICE)
                .containsEntry("org.opencontainers.image.version", VERSION);

        List<String> entrypoint = texts(config.path("Entrypoint"));
        assertThat(entrypoint).as("the entrypoint").startsWith("java").endsWith("-jar", "quarkus-run.jar");
        assertThat(texts(config.path("Cmd")))
                .as("no arguments after the entrypoint")
                .isEmpty();
        String workingDir = config.path("WorkingDir").asText();
        assertThat(workingDir).startsWith("/");

        // the layers: the base's first, then the application's, each one's diff id its uncompressed content's digest
        List<String> layers = new ArrayList<>();
        manifest.path("layers").forEach(layer -> layers.add(layer.path("digest").asText()));
        List<String> diffIds = texts(image.path("rootfs").path("diff_ids"));
        assertThat(layers).as("built on the base").first().isEqualTo(baseLayerDigest);
        assertThat(diffIds).hasSameSizeAs(layers);
        Set<String> files = new TreeSet<>();
        Set<String> appClasses = new TreeSet<>();
        String appJar = workingDir.substring(1) + "/app/" + SERVICE + "-" + VERSION + ".jar";
        for (int i = 0; i < layers.size(); i++) {
            byte[] tar = gunzip(blob(repository, layers.get(i)));
            assertThat(TestRegistry.sha256(tar)).as("diff id of layer " + i).isEqualTo(diffIds.get(i));
            try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
                for (TarArchiveEntry entry; (entry = in.getNextEntry()) != null; ) {
                    String name = entry.getName().replaceFirst("^\\./", "").replaceFirst("^/", "");
                    files.add(name);
                    if (name.equals(appJar)) {
                        appClasses.addAll(zipEntries(in.readAllBytes()));
                    }
                }
            }
        }
        assertThat(files)
                .as("the files of the image's layers")
                .contains("etc/parley-stand-in-base")
                .contains(workingDir.substring(1) + "/quarkus-run.jar")
                .contains(appJar)
                .anyMatch(f -> f.startsWith(workingDir.substring(1) + "/lib/main/io.parley.service-kit-"));
        assertThat(appClasses)
                .as("the service's own classes in " + appJar)
                .contains("io/parley/conversation/api/ConversationResource.class");
    }

    /**
     * Pushes the stand-in base over the registry's HTTP API: one layer holding {@code etc/parley-stand-in-base}, a
     * config shaped like the distroless Java image's (amd64, Linux, {@code /usr/bin/java -jar} entrypoint) but with
     * no user (root) and no ports, so that what the image has of those comes from the profile.
     */
    static void pushTheStandInBase() throws IOException, InterruptedException {
        byte[] tar = tar("etc/parley-stand-in-base", "a stand-in for gcr.io/distroless/java21-debian12:nonroot\n");
        byte[] layer = gzip(tar);
        baseLayerDigest = pushBlob(BASE_REPOSITORY, layer);

        ObjectNode image = JSON.createObjectNode();
        image.put("architecture", "amd64").put("os", "linux").put("created", "2026-01-01T00:00:00Z");
        ObjectNode config = image.putObject("config");
        config.putArray("Env")
                .add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
                .add("JAVA_VERSION=21");
        config.putArray("Entrypoint").add("/usr/bin/java").add("-jar");
        ObjectNode rootfs = image.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add(TestRegistry.sha256(tar));
        image.putArray("history").addObject().put("created_by", "ImageBuildTest");
        byte[] configBytes = JSON.writeValueAsBytes(image);
        String configDigest = pushBlob(BASE_REPOSITORY, configBytes);

        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2).put("mediaType", OCI_MANIFEST);
        manifest.putObject("config")
                .put("mediaType", "application/vnd.oci.image.config.v1+json")
                .put("digest", configDigest)
                .put("size", configBytes.length);
        manifest.putArray("layers")
                .addObject()
                .put("mediaType", "application/vnd.oci.image.layer.v1.tar+gzip")
                .put("digest", baseLayerDigest)
                .put("size", layer.length);
        HttpResponse<String> put = http.send(
                HttpRequest.newBuilder(uri("/v2/" + BASE_REPOSITORY + "/manifests/" + BASE_TAG))
                        .header("Content-Type", OCI_MANIFEST)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(manifest)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as("base manifest pushed: " + put.body()).isEqualTo(201);
    }

    /** An upload in two requests (POST, then PUT with the digest and the bytes), as the spec's monolithic push. */
    static String pushBlob(String repository, byte[] bytes) throws IOException, InterruptedException {
        HttpResponse<String> start = http.send(
                HttpRequest.newBuilder(uri("/v2/" + repository + "/blobs/uploads/"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(start.statusCode()).as("upload started: " + start.body()).isEqualTo(202);
        String digest = TestRegistry.sha256(bytes);
        String location = start.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> put = http.send(
                HttpRequest.newBuilder(uri(location + "?digest=" + digest))
                        .header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as("upload completed: " + put.body()).isEqualTo(201);
        assertThat(put.headers().firstValue("Docker-Content-Digest")).hasValue(digest);
        return digest;
    }

    /**
     * Copies what the image build reads (poms, sources, the Maven wrapper's folder) to {@code target/image-build/src},
     * leaving out build output, npm's packages, git and the local stack's data.
     *
     * @return the copy's root
     */
    static Path copySources() throws IOException {
        Path to = BUILD.resolve("src");
        if (Files.exists(to)) {
            try (Stream<Path> old = Files.walk(to)) {
                old.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
        Set<String> skipped = Set.of("target", "node_modules", ".git", ".local-data", "dist");
        Path root = ManifestsTest.ROOT;
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(root) && skipped.contains(dir.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(root.relativize(dir)));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    Files.copy(file, to.resolve(root.relativize(file)), StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return to;
    }

    /**
     * Runs {@code mvn -Pimage package} on the copy for the service and the modules it needs, with Maven's home of the
     * outer build (or the wrapper), its local repository and its offline mode.
     *
     * @return Maven's exit code; its output is in {@code log}
     */
    static int buildTheImage(Path sources, Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        String mavenHome = System.getProperty("maven.home", "");
        Path mvn = Path.of(mavenHome, "bin", "mvn");
        command.add(
                !mavenHome.isBlank() && Files.isExecutable(mvn)
                        ? mvn.toString()
                        : sources.resolve("mvnw").toString());
        command.addAll(List.of("-B", "-ntp"));
        if (System.getProperty("parley.maven.offline", "").equals("offline=true")) {
            command.add("-o");
        }
        String localRepository = System.getProperty("parley.maven.repo.local", "");
        if (!localRepository.isBlank()) {
            command.add("-Dmaven.repo.local=" + localRepository);
        }
        command.addAll(List.of(
                "-Pimage",
                "package",
                "-pl",
                SERVICE,
                "-am",
                "-Dmaven.test.skip=true",
                "-Dspotless.check.skip=true",
                "-Dquarkus.jib.base-jvm-image=" + registry.host() + "/" + BASE_REPOSITORY + ":" + BASE_TAG,
                "-Dquarkus.container-image.insecure=true",
                "-Dquarkus.jib.base-image-layers-cache=" + BUILD.resolve("jib-cache/base"),
                "-Dquarkus.jib.application-layers-cache=" + BUILD.resolve("jib-cache/application")));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(sources.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("PARLEY_IMAGE_REGISTRY", registry.host());
        builder.environment().putIfAbsent("MAVEN_OPTS", "-Xmx768m");
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(
                    "mvn -Pimage did not end within 5 minutes; " + log + " ends with:\n" + tail(log, 60));
        }
        return process.exitValue();
    }

    static HttpResponse<byte[]> get(String path, String accept) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(uri(path)).header("Accept", accept).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static byte[] blob(String repository, String digest) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = get("/v2/" + repository + "/blobs/" + digest, "*/*");
        assertThat(response.statusCode()).as("blob " + digest).isEqualTo(200);
        assertThat(TestRegistry.sha256(response.body())).isEqualTo(digest);
        return response.body();
    }

    static URI uri(String path) {
        return URI.create("http://" + registry.host() + path);
    }

    static byte[] tar(String name, String content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(data.length);
            entry.setMode(0644);
            out.putArchiveEntry(entry);
            out.write(data);
            out.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    static byte[] gunzip(byte[] bytes) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }

    static List<String> zipEntries(byte[] jar) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(jar))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                names.add(entry.getName());
            }
        }
        return names;
    }

    static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(" + file + " unreadable: " + e + ")";
        }
    }
}
