package io.parley.bench.scenarios;

import io.parley.bench.engine.Api;
import io.parley.events.ConversationKind;
import io.parley.events.MessageData;
import io.parley.events.MessageEvent;
import io.parley.events.Role;
import io.parley.events.Topics;
import io.parley.infra.DevKeys;
import io.parley.infra.EventPublisher;
import io.parley.infra.PushKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Push alerts, against a running local stack started with a short grace delay
 * ({@code PARLEY_NOTIFICATION_GRACE_DELAY=2s deploy/local/run}): {@code <alerts>} users each subscribe one Web Push
 * device on this process's own push endpoint (loopback), then one message each, from another user, is published on
 * the message topic, all at once or at {@code [messages/s]}. Every alert falls due at its message's time plus the grace delay; the endpoint records
 * when each arrives (matched by its Topic, the conversation). Reports alerts per second, from the first arrival to the
 * last, and the lag from each alert's due time to its arrival (deploy/bench/alerts.sh).
 */
@Command(
        name = "alerts",
        description = "push alerts per second and their lag: <alerts> [messages/s] (a burst without "
                + "a rate); the stack runs with a short grace delay")
public final class Alerts implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<alerts>", description = "users, each with one device and one message")
    int alerts;

    @Parameters(
            index = "1",
            arity = "0..1",
            paramLabel = "[messages/s]",
            description = "publish at this rate (an open loop); without it, all at once")
    Integer rate;

    @Option(
            names = "--grace",
            paramLabel = "DURATION",
            converter = ShortDuration.class,
            defaultValue = "${env:PARLEY_NOTIFICATION_GRACE_DELAY:-2s}",
            description = "the stack's grace delay, as 2s or 1m (default: PARLEY_NOTIFICATION_GRACE_DELAY or 2s)")
    Duration grace;

    @Option(
            names = "--kafka",
            paramLabel = "HOST:PORT",
            defaultValue = "${env:BENCH_KAFKA:-127.0.0.1:${env:PARLEY_KAFKA_PORT:-19092}}",
            description = "the stack's Kafka (default: BENCH_KAFKA, or 127.0.0.1 and PARLEY_KAFKA_PORT or 19092)")
    String kafka;

    @Mixin
    RunningGateway stack = new RunningGateway();

    /** A duration as the services' settings write it: {@code 2s}, {@code 500ms}, {@code 1m}. */
    static final class ShortDuration implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Duration.parse("PT" + value.toUpperCase(Locale.ROOT));
        }
    }

    /** Subscribes the devices, publishes the messages, waits for the alerts and prints their rate and lag; answers 0. */
    @Override
    public Integer call() throws Exception {
        DevKeys keys = stack.keys.keys();
        URI gateway = stack.gateway();

        Vertx vertx = Vertx.vertx();
        Map<String, Instant> dueAt = new ConcurrentHashMap<>();
        Histogram lag = new Histogram(TimeUnit.MINUTES.toNanos(10), 3);
        AtomicLong arrived = new AtomicLong();
        AtomicLong first = new AtomicLong();
        AtomicLong last = new AtomicLong();
        HttpServer endpoint = vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> {
                    Instant now = Instant.now();
                    Instant due = dueAt.remove(request.getHeader("Topic"));
                    if (due != null) {
                        synchronized (lag) {
                            lag.recordValue(
                                    Math.max(0, Duration.between(due, now).toNanos()));
                        }
                        long at = System.nanoTime();
                        first.compareAndSet(0, at);
                        last.set(at);
                        arrived.incrementAndGet();
                    }
                    request.response().setStatusCode(201).end();
                }))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        String base = "http://127.0.0.1:" + endpoint.actualPort() + "/push/";

        // One device per user; the keys are real P-256 points (the service encrypts for them).
        HttpClient http = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(32));
        String p256dh = PushKeys.newP256dh();
        String auth = PushKeys.base64url(new byte[16]);
        List<String> users = new ArrayList<>();
        List<Future<Integer>> pending = new ArrayList<>();
        for (int i = 0; i < alerts; i++) {
            String user = "alert-" + UUID.randomUUID();
            users.add(user);
            JsonObject body = new JsonObject()
                    .put("kind", "webpush")
                    .put("endpoint", base + user)
                    .put("keys", new JsonObject().put("p256dh", p256dh).put("auth", auth));
            String token = keys.token(user, "client", "User " + i, Duration.ofHours(1));
            pending.add(http.request(new RequestOptions()
                            .setMethod(HttpMethod.POST)
                            .setHost(gateway.getHost())
                            .setPort(gateway.getPort())
                            .setURI("/api/push/subscriptions")
                            .putHeader("Authorization", "Bearer " + token)
                            .putHeader("Content-Type", "application/json"))
                    .compose(r -> r.send(body.toBuffer()))
                    .map(r -> r.statusCode()));
            if (pending.size() == 64 || i == alerts - 1) {
                for (Future<Integer> f : pending) {
                    int status = f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                    if (status != 201) {
                        throw new IllegalStateException("subscription answered " + status);
                    }
                }
                pending.clear();
            }
        }
        System.out.printf(Locale.ROOT, "%d users subscribed a device on %s%n", alerts, base);

        // With a rate, the messages are published at that pace (an open loop); without, all at once (a burst).
        long interval = rate != null ? TimeUnit.SECONDS.toNanos(1) / rate : 0;
        long start = System.nanoTime();
        try (EventPublisher publisher = new EventPublisher(kafka)) {
            for (int i = 0; i < users.size(); i++) {
                String user = users.get(i);
                long dueNow = start + i * interval;
                Api.waitUntil(dueNow);
                UUID conversation = UUID.randomUUID();
                Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
                MessageData message = new MessageData(
                        UUID.randomUUID(),
                        conversation,
                        1,
                        UUID.randomUUID().toString(),
                        "bench-sender",
                        Role.CLIENT,
                        "Bench",
                        "text",
                        "hello",
                        List.of(),
                        at,
                        null,
                        null);
                dueAt.put(conversation.toString().replace("-", ""), at.plus(grace));
                publisher.send(
                        Topics.MESSAGES,
                        MessageEvent.of(
                                MessageEvent.CREATED,
                                ConversationKind.DIRECT,
                                List.of("bench-sender", user),
                                message,
                                at));
            }
            publisher.flush();
        }
        System.out.printf(Locale.ROOT, "%d messages published; waiting for the alerts%n", alerts);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120) + grace.toNanos();
        while (arrived.get() < alerts && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        double seconds = (last.get() - first.get()) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "%d of %d alerts arrived; %.0f alerts/s from the first to the last (%.2f s)%n",
                arrived.get(),
                alerts,
                seconds > 0 ? (arrived.get() - 1) / seconds : 0,
                seconds);
        System.out.printf(
                Locale.ROOT,
                "lag from the end of the grace delay to the alert, ms: p50 %.0f  p90 %.0f  "
                        + "p99 %.0f  p99.9 %.0f  max %.0f%n",
                lag.getValueAtPercentile(50) / 1e6,
                lag.getValueAtPercentile(90) / 1e6,
                lag.getValueAtPercentile(99) / 1e6,
                lag.getValueAtPercentile(99.9) / 1e6,
                lag.getMaxValue() / 1e6);
        vertx.close();
        return 0;
    }
}
