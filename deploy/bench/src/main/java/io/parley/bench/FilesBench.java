package io.parley.bench;

import io.parley.infra.DevKeys;
import org.HdrHistogram.Histogram;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
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
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Files through the gateway of a running local stack (docs/benchmarks.md, issue 14):
 * <ul>
 *   <li>{@code throughput <MB>}: one upload of a file of that many MiB, then its download, each timed from the first
 *   byte sent to the last byte received (MB/s); then ten uploads of that size at once and ten downloads at once, with
 *   each service's old generation after a full GC before and after ({@code jcmd GC.run} and {@code jstat}), the
 *   figure that shows whether a process held a file in memory;</li>
 *   <li>{@code thumbnail <count>}: a 2 MB photo at a time, from the start of its upload to the other participant
 *   holding its thumbnail: upload, {@code send} frame with the upload's id, the recipient's {@code message.created},
 *   then its {@code GET} of the thumbnailUrl; percentiles in ms.</li>
 * </ul>
 * The stack must accept files of that size: start it with {@code PARLEY_FILES_MAX_SIZE=200M} and
 * {@code PARLEY_GATEWAY_MAX_BODY_SIZE=256M} for {@code throughput 100}.
 */
public final class FilesBench {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final Pattern THUMBNAIL = Pattern.compile("\"thumbnailUrl\"\\s*:\\s*\"([^\"]+)\"");

    private final URI gateway;
    private final DevKeys keys;

    private FilesBench(URI gateway, DevKeys keys) {
        this.gateway = gateway;
        this.keys = keys;
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(System.getenv().getOrDefault("PARLEY_DATA_DIR", ".local-data"));
        FilesBench bench = new FilesBench(URI.create(System.getenv().getOrDefault("BENCH_GATEWAY_URL",
                "http://127.0.0.1:8080")), DevKeys.loadOrCreate(data.resolve("keys"), "parley-local"));
        switch (args.length == 0 ? "" : args[0]) {
            case "throughput" -> bench.throughput(Integer.parseInt(args[1]));
            case "thumbnail" -> bench.thumbnail(Integer.parseInt(args[1]));
            default -> throw new IllegalArgumentException("usage: files.sh throughput <MiB> | thumbnail <count>");
        }
        System.exit(0);
    }

    private String token(String user, String role) {
        return keys.token(user, role, user, Duration.ofHours(2));
    }

    private String conversation(String token, String other) throws Exception {
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(gateway.resolve("/api/conversations"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"direct\",\"participants\":[\"" + other
                        + "\"]}")).build(), HttpResponse.BodyHandlers.ofString());
        return match(ID, created.body());
    }

    /** A multipart body of one {@code file} part whose bytes come from {@code file}, streamed, never in memory. */
    private static HttpRequest.BodyPublisher multipart(String boundary, String name, Path file) {
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        long length;
        try {
            length = head.length + Files.size(file) + tail.length;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
            try {
                return new SequenceInputStream(java.util.Collections.enumeration(List.of(
                        new java.io.ByteArrayInputStream(head), Files.newInputStream(file),
                        new java.io.ByteArrayInputStream(tail))));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }), length);
    }

    private CompletableFuture<HttpResponse<String>> upload(String token, String conversation, String name, Path file) {
        String boundary = "bench" + UUID.randomUUID();
        return HTTP.sendAsync(HttpRequest.newBuilder(gateway.resolve("/api/conversations/" + conversation
                                + "/attachments"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(multipart(boundary, name, file)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Downloads {@code path} and answers how many bytes came. */
    private CompletableFuture<Long> download(String token, String path) {
        return HTTP.sendAsync(HttpRequest.newBuilder(gateway.resolve(path)).header("Authorization", "Bearer " + token)
                        .GET().build(), HttpResponse.BodyHandlers.ofInputStream())
                .thenApply(response -> {
                    long total = 0;
                    byte[] buffer = new byte[256 * 1024];
                    try (InputStream in = response.body()) {
                        for (int n; (n = in.read(buffer)) > 0; ) {
                            total += n;
                        }
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("download answered " + response.statusCode());
                    }
                    return total;
                });
    }

    private void throughput(int mib) throws Exception {
        Path file = Files.createTempFile("parley-bench", ".bin");
        try {
            byte[] block = new byte[1024 * 1024];
            new Random(1).nextBytes(block);
            try (var out = Files.newOutputStream(file)) {
                for (int i = 0; i < mib; i++) {
                    out.write(block);
                }
            }
            String ann = "bench-ann-" + UUID.randomUUID();
            String bob = "bench-bob-" + UUID.randomUUID();
            String annToken = token(ann, "client");
            String conversation = conversation(annToken, bob);
            double megabytes = mib * 1024.0 * 1024.0 / 1e6;

            for (int round = 0; round < 3; round++) {
                long started = System.nanoTime();
                HttpResponse<String> up = upload(annToken, conversation, "bench.bin", file).get(5, TimeUnit.MINUTES);
                double upSeconds = (System.nanoTime() - started) / 1e9;
                if (up.statusCode() != 201) {
                    throw new IllegalStateException("upload answered " + up.statusCode() + ": " + up.body());
                }
                String id = match(ID, up.body());
                started = System.nanoTime();
                long bytes = download(annToken, "/api/attachments/" + id).get(5, TimeUnit.MINUTES);
                double downSeconds = (System.nanoTime() - started) / 1e9;
                System.out.printf(Locale.ROOT, "one %d MiB file, round %d: upload %.0f MB/s (%.2f s), download %.0f MB/s"
                                + " (%.2f s, %d bytes)%n", mib, round + 1, megabytes / upSeconds, upSeconds,
                        megabytes / downSeconds, downSeconds, bytes);
            }

            System.out.println("old generation after a full GC, before ten at once: " + oldGenerations());
            long started = System.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> uploads = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                uploads.add(upload(annToken, conversation, "bench-" + i + ".bin", file));
            }
            List<String> ids = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> up : uploads) {
                HttpResponse<String> response = up.get(10, TimeUnit.MINUTES);
                if (response.statusCode() != 201) {
                    throw new IllegalStateException("upload answered " + response.statusCode() + ": " + response.body());
                }
                ids.add(match(ID, response.body()));
            }
            double upSeconds = (System.nanoTime() - started) / 1e9;
            System.out.println("old generation after a full GC, after ten uploads: " + oldGenerations());
            started = System.nanoTime();
            List<CompletableFuture<Long>> downloads = ids.stream()
                    .map(id -> download(annToken, "/api/attachments/" + id)).toList();
            for (CompletableFuture<Long> down : downloads) {
                down.get(10, TimeUnit.MINUTES);
            }
            double downSeconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(Locale.ROOT, "ten %d MiB files at once: upload %.0f MB/s in all (%.2f s), download %.0f MB/s"
                    + " in all (%.2f s)%n", mib, 10 * megabytes / upSeconds, upSeconds, 10 * megabytes / downSeconds,
                    downSeconds);
            System.out.println("old generation after a full GC, after ten downloads: " + oldGenerations());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Each Parley service's old generation in KiB after a full GC ({@code jcmd GC.run}, then {@code jstat -gc}). */
    private static String oldGenerations() throws Exception {
        StringBuilder out = new StringBuilder();
        for (String service : List.of("gateway", "message-service")) {
            Process find = new ProcessBuilder("pgrep", "-f", service + "/target/quarkus-app/quarkus-run.jar").start();
            String pids = new String(find.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            for (String pid : pids.split("\\s+")) {
                if (pid.isBlank()) {
                    continue;
                }
                new ProcessBuilder("jcmd", pid, "GC.run").start().waitFor(30, TimeUnit.SECONDS);
                Process stat = new ProcessBuilder("jstat", "-gc", pid).start();
                String[] lines = new String(stat.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim()
                        .split("\n");
                String[] names = lines[0].trim().split("\\s+");
                String[] values = lines[lines.length - 1].trim().split("\\s+");
                for (int i = 0; i < names.length; i++) {
                    if (names[i].equals("OU")) {
                        out.append(String.format(Locale.ROOT, "%s %.0f KiB; ", service, Double.parseDouble(values[i])));
                    }
                }
            }
        }
        return out.toString();
    }

    private void thumbnail(int count) throws Exception {
        Path photo = Files.createTempFile("parley-photo", ".jpg");
        try {
            Files.write(photo, photo(2_000_000));
            System.out.printf(Locale.ROOT, "photo: %d bytes%n", Files.size(photo));
            String ann = "bench-ann-" + UUID.randomUUID();
            String bob = "bench-bob-" + UUID.randomUUID();
            String annToken = token(ann, "client");
            String bobToken = token(bob, "client");
            String conversation = conversation(annToken, bob);
            LinkedBlockingQueue<String> annFrames = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<String> bobFrames = new LinkedBlockingQueue<>();
            WebSocket annSocket = socket(annToken, annFrames);
            WebSocket bobSocket = socket(bobToken, bobFrames);
            Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            for (int i = 0; i < count + 5; i++) {
                long started = System.nanoTime();
                HttpResponse<String> up = upload(annToken, conversation, "photo-" + i + ".jpg", photo)
                        .get(1, TimeUnit.MINUTES);
                if (up.statusCode() != 201) {
                    throw new IllegalStateException("upload answered " + up.statusCode() + ": " + up.body());
                }
                String id = match(ID, up.body());
                annSocket.sendText("{\"type\":\"send\",\"ref\":\"" + i + "\",\"conversationId\":\"" + conversation
                        + "\",\"clientMessageId\":\"" + UUID.randomUUID() + "\",\"attachments\":[{\"id\":\"" + id
                        + "\"}]}", true);
                String created;
                do {
                    created = bobFrames.poll(30, TimeUnit.SECONDS);
                    if (created == null) {
                        throw new IllegalStateException("no message.created within 30 s");
                    }
                } while (!created.contains("message.created") || !created.contains(id));
                long bytes = download(bobToken, match(THUMBNAIL, created)).get(1, TimeUnit.MINUTES);
                if (i >= 5) { // the first five warm the JITs up
                    latency.recordValue(System.nanoTime() - started);
                }
                if (bytes == 0) {
                    throw new IllegalStateException("empty thumbnail");
                }
            }
            annSocket.abort();
            bobSocket.abort();
            System.out.printf(Locale.ROOT, "upload start to the other participant's thumbnail, %d photos one at a time:"
                            + " p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", count,
                    latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(90) / 1e6,
                    latency.getValueAtPercentile(99) / 1e6, latency.getMaxValue() / 1e6);
        } finally {
            Files.deleteIfExists(photo);
        }
    }

    /** A JPEG of noise and gradients about {@code bytes} long (noise does not compress: a camera photo's size). */
    private static byte[] photo(int bytes) throws IOException {
        Random random = new Random(7);
        for (int side = 1200; ; side += 200) {
            BufferedImage image = new BufferedImage(side * 4 / 3, side, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    int noise = random.nextInt(64);
                    image.setRGB(x, y, ((x * 255 / image.getWidth()) << 16) | ((y * 255 / image.getHeight()) << 8)
                            | (128 + noise));
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "jpg", out);
            if (out.size() >= bytes) {
                return out.toByteArray();
            }
        }
    }

    private WebSocket socket(String token, LinkedBlockingQueue<String> frames) throws Exception {
        return HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .buildAsync(URI.create("ws://" + gateway.getHost() + ":" + gateway.getPort() + "/ws"),
                        new WebSocket.Listener() {
                            private final StringBuilder text = new StringBuilder();

                            @Override
                            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                                text.append(data);
                                if (last) {
                                    frames.add(text.toString());
                                    text.setLength(0);
                                }
                                ws.request(1);
                                return null;
                            }
                        }).get(30, TimeUnit.SECONDS);
    }

    private static String match(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException("not in the answer: " + pattern + " in " + text);
        }
        return matcher.group(1);
    }
}
