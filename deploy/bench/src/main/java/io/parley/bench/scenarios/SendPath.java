package io.parley.bench.scenarios;

import io.parley.bench.engine.Report;
import io.parley.infra.DevKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Load on the send path of the message-service alone: {@code POST /api/conversations/{id}/messages} into many direct
 * conversations, against a running local stack (deploy/bench/send-path.sh).
 *
 * <ul>
 *   <li>{@code max}: a closed loop with a fixed number of sends in flight, for the sustained sends per second;</li>
 *   <li>{@code rate}: an open loop at a fixed rate; each send's latency counts from when it was due, not from when it
 *   left, so a stalled service shows up as latency rather than as a lower offered load.</li>
 * </ul>
 */
@Command(
        name = "send-path",
        description = "the message-service's send path alone: max <in-flight> <seconds> (closed "
                + "loop) or rate <sends/s> <seconds> (open loop)")
public final class SendPath implements Callable<Integer> {

    /** A closed loop of so many sends in flight, or an open loop at so many a second. */
    enum Mode {
        max,
        rate
    }

    @Parameters(index = "0", description = "max (closed loop) or rate (open loop)")
    Mode mode;

    @Parameters(
            index = "1",
            paramLabel = "<in-flight|sends/s>",
            description = "sends in flight (max) or a second (rate)")
    int load;

    @Parameters(index = "2", paramLabel = "<seconds>", description = "measured seconds, after 5 s of warm-up")
    int seconds;

    @Mixin
    DevKeyOptions devKeys = new DevKeyOptions();

    @Option(
            names = "--connections",
            defaultValue = "${env:BENCH_CONNECTIONS:-64}",
            description = "keep-alive connections (default: BENCH_CONNECTIONS or 64)")
    int connections;

    @Option(
            names = "--message-url",
            defaultValue = "${env:BENCH_MESSAGE_URL:-http://127.0.0.1:8082}",
            description = "the message-service (default: BENCH_MESSAGE_URL or http://127.0.0.1:8082)")
    URI messages;

    @Option(
            names = "--conversation-url",
            defaultValue = "${env:BENCH_CONVERSATION_URL:-http://127.0.0.1:8081}",
            description = "the conversation-service (default: BENCH_CONVERSATION_URL or http://127.0.0.1:8081)")
    URI conversations;

    @Option(
            names = "--conversations",
            defaultValue = "${env:BENCH_CONVERSATIONS:-200}",
            description = "direct conversations sent into (default: BENCH_CONVERSATIONS or 200)")
    int conversationCount;

    private Vertx vertx;
    private HttpClient http;
    private DevKeys keys;
    private final List<Pair> pairs = new ArrayList<>();

    private record Pair(UUID conversation, String senderToken) {}

    /** Sets up the conversations, warms up for 5 s, then measures and prints the loop's figures; answers 0. */
    @Override
    public Integer call() throws Exception {
        keys = devKeys.keys();
        vertx = Vertx.vertx();
        http = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                new PoolOptions().setHttp1MaxSize(connections));
        setUp(conversationCount);
        Duration duration = Duration.ofSeconds(seconds);
        // Warm-up: the JIT, the pools, PostgreSQL's caches.
        closedLoop(16, Duration.ofSeconds(5), false);
        if (mode == Mode.max) {
            closedLoop(load, duration, true);
        } else {
            openLoop(load, duration);
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return 0;
    }

    private void setUp(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            String sender = "bench-sender-" + UUID.randomUUID();
            String recipient = "bench-recipient-" + UUID.randomUUID();
            String token = keys.token(sender, "client", "Bench " + i, Duration.ofHours(2));
            JsonObject created = call(
                    HttpMethod.POST,
                    conversations,
                    "/api/conversations",
                    token,
                    new JsonObject().put("type", "direct").put("participants", List.of(recipient)),
                    201);
            pairs.add(new Pair(UUID.fromString(created.getString("id")), token));
        }
        // The message-service learns of conversations from Kafka: wait until it knows every one.
        for (Pair pair : pairs) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (status(pair) != 200) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("message-service never learned of " + pair.conversation());
                }
                Thread.sleep(20);
            }
        }
        System.out.printf(Locale.ROOT, "set up %d conversations%n", count);
    }

    private int status(Pair pair) throws Exception {
        return http.request(requestOptions(
                        HttpMethod.GET,
                        messages,
                        "/api/conversations/" + pair.conversation() + "/messages?limit=1",
                        pair.senderToken()))
                .compose(r -> r.send().compose(resp -> resp.body().map(b -> resp.statusCode())))
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    private JsonObject call(HttpMethod method, URI base, String path, String token, JsonObject body, int expected)
            throws Exception {
        return http.request(requestOptions(method, base, path, token))
                .compose(r -> r.send(body.toBuffer())
                        .compose(resp -> resp.body().map(b -> {
                            if (resp.statusCode() != expected) {
                                throw new IllegalStateException(
                                        method + " " + path + " answered " + resp.statusCode() + ": " + b);
                            }
                            return b.toJsonObject();
                        })))
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    private static RequestOptions requestOptions(HttpMethod method, URI base, String path, String token) {
        return new RequestOptions()
                .setMethod(method)
                .setHost(base.getHost())
                .setPort(base.getPort())
                .setURI(path)
                .putHeader("Authorization", "Bearer " + token)
                .putHeader("Content-Type", "application/json");
    }

    private final AtomicLong sequence = new AtomicLong();

    /** One send; completes with its status. */
    private Future<Integer> send() {
        Pair pair = pairs.get((int) (sequence.getAndIncrement() % pairs.size()));
        Buffer body = new JsonObject()
                .put("clientMessageId", UUID.randomUUID().toString())
                .put("content", "benchmark message " + sequence.get())
                .toBuffer();
        return http.request(requestOptions(
                        HttpMethod.POST,
                        messages,
                        "/api/conversations/" + pair.conversation() + "/messages",
                        pair.senderToken()))
                .compose(r -> r.send(body).compose(resp -> resp.body().map(b -> resp.statusCode())));
    }

    private void closedLoop(int inFlight, Duration duration, boolean report) throws InterruptedException {
        Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        CountDownLatch finished = new CountDownLatch(inFlight);
        for (int i = 0; i < inFlight; i++) {
            vertx.runOnContext(v -> loop(end, latency, done, failed, finished));
        }
        finished.await();
        if (report) {
            double seconds = duration.toNanos() / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "closed loop, %d in flight, %.0f s: %.0f sends/s, %d failed%n",
                    inFlight,
                    seconds,
                    done.get() / seconds,
                    failed.get());
            print(latency);
        }
    }

    private void loop(long end, Histogram latency, AtomicLong done, AtomicLong failed, CountDownLatch finished) {
        if (System.nanoTime() >= end) {
            finished.countDown();
            return;
        }
        long start = System.nanoTime();
        send().onComplete(result -> {
            synchronized (latency) {
                latency.recordValue(System.nanoTime() - start);
            }
            if (result.succeeded() && result.result() == 201) {
                done.incrementAndGet();
            } else {
                failed.incrementAndGet();
            }
            loop(end, latency, done, failed, finished);
        });
    }

    private void openLoop(int rate, Duration duration) throws Exception {
        Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        AtomicLong failed = new AtomicLong();
        long total = rate * duration.toSeconds();
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        CompletableFuture<Void> all = new CompletableFuture<>();
        AtomicLong completed = new AtomicLong();
        long start = System.nanoTime();
        Thread pacer = new Thread(
                () -> {
                    for (long i = 0; i < total; i++) {
                        long due = start + i * interval;
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0) {
                            if (wait > 200_000) {
                                java.util.concurrent.locks.LockSupport.parkNanos(wait - 100_000);
                            } else {
                                Thread.onSpinWait();
                            }
                        }
                        vertx.runOnContext(v -> send().onComplete(result -> {
                            synchronized (latency) {
                                latency.recordValue(Math.max(0, System.nanoTime() - due));
                            }
                            if (!result.succeeded() || result.result() != 201) {
                                failed.incrementAndGet();
                            }
                            if (completed.incrementAndGet() == total) {
                                all.complete(null);
                            }
                        }));
                    }
                },
                "pacer");
        pacer.start();
        all.get(duration.toSeconds() + 60, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "open loop at %d sends/s for %d s: %d sends in %.1f s, %d failed%n",
                rate,
                duration.toSeconds(),
                total,
                seconds,
                failed.get());
        print(latency);
    }

    private static void print(Histogram h) {
        System.out.println(Report.latencyWithCount(h));
    }
}
