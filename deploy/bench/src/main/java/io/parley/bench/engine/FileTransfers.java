package io.parley.bench.engine;

import io.parley.infra.DevKeys;
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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Files through a running gateway, as the files benchmarks do them: a direct conversation, multipart uploads streamed
 * from disk, downloads counted to their last byte, a WebSocket whose frames queue up, ids read out of answers.
 */
public final class FileTransfers {

    /** An upload's or a message's {@code "id"}. */
    public static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    /** A message's attachment's {@code "thumbnailUrl"}. */
    public static final Pattern THUMBNAIL = Pattern.compile("\"thumbnailUrl\"\\s*:\\s*\"([^\"]+)\"");

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final URI gateway;
    private final DevKeys keys;

    /** Transfers through {@code gateway} with tokens signed by {@code keys}. */
    public FileTransfers(URI gateway, DevKeys keys) {
        this.gateway = gateway;
        this.keys = keys;
    }

    /** A two-hour token of {@code user} with {@code role}. */
    public String token(String user, String role) {
        return keys.token(user, role, user, Duration.ofHours(2));
    }

    /** Makes a direct conversation of the token's user with {@code other}; answers its id. */
    public String conversation(String token, String other) throws Exception {
        HttpResponse<String> created = HTTP.send(
                HttpRequest.newBuilder(gateway.resolve("/api/conversations"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"type\":\"direct\",\"participants\":[\"" + other + "\"]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return match(ID, created.body());
    }

    /** A multipart body of one {@code file} part whose bytes come from {@code file}, streamed, never in memory. */
    private static HttpRequest.BodyPublisher multipart(String boundary, String name, Path file) {
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        long length;
        try {
            length = head.length + Files.size(file) + tail.length;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        return new SequenceInputStream(java.util.Collections.enumeration(List.of(
                                new java.io.ByteArrayInputStream(head),
                                Files.newInputStream(file),
                                new java.io.ByteArrayInputStream(tail))));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }),
                length);
    }

    /** Uploads {@code file} as {@code name} into {@code conversation}; completes with the answer. */
    public CompletableFuture<HttpResponse<String>> upload(String token, String conversation, String name, Path file) {
        String boundary = "bench" + UUID.randomUUID();
        return HTTP.sendAsync(
                HttpRequest.newBuilder(gateway.resolve("/api/conversations/" + conversation + "/attachments"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(multipart(boundary, name, file))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Downloads {@code path} and answers how many bytes came. */
    public CompletableFuture<Long> download(String token, String path) {
        return HTTP.sendAsync(
                        HttpRequest.newBuilder(gateway.resolve(path))
                                .header("Authorization", "Bearer " + token)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream())
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

    /** A WebSocket of the token's user whose text frames are put in {@code frames}, whole. */
    public WebSocket socket(String token, LinkedBlockingQueue<String> frames) throws Exception {
        return HTTP.newWebSocketBuilder()
                .header("Authorization", "Bearer " + token)
                .buildAsync(
                        URI.create("ws://" + gateway.getHost() + ":" + gateway.getPort() + "/ws"),
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
                        })
                .get(30, TimeUnit.SECONDS);
    }

    /** The first group of {@code pattern} in {@code text}; an exception if it is not there. */
    public static String match(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException("not in the answer: " + pattern + " in " + text);
        }
        return matcher.group(1);
    }
}
