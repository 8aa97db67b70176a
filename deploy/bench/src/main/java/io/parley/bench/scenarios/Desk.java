package io.parley.bench.scenarios;

import io.parley.bench.engine.Api;
import io.parley.bench.engine.Report;
import io.parley.infra.DevKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The support desk, against a running local stack (deploy/bench/gateway.sh desk): makes that many clients with a
 * support conversation, a third of them awaiting a reply, then times an admin's first page of the support desk at
 * the conversation-service (unanswered, every support conversation, and the admin's default list), one request at a
 * time.
 */
@Command(name = "desk", description = "an admin's first page of the support desk: <support conversations> <requests>")
public final class Desk implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<support conversations>", description = "clients, each with one")
    int conversations;

    @Parameters(index = "1", paramLabel = "<requests>", description = "timed requests per page, after 200 to warm up")
    int requests;

    @Option(
            names = "--conversation-url",
            defaultValue = "${env:BENCH_CONVERSATION_URL:-http://127.0.0.1:8081}",
            description = "the conversation-service (default: BENCH_CONVERSATION_URL or http://127.0.0.1:8081)")
    URI service;

    @Mixin
    RunningGateway stack = new RunningGateway();

    private Api api;
    private URI gateway;
    private DevKeys keys;

    /** Makes the conversations, then times the three pages and prints their latencies; answers 0. */
    @Override
    public Integer call() throws Exception {
        gateway = stack.gateway();
        keys = stack.keys.keys();
        api = new Api(Vertx.vertx());
        desk(conversations, requests, service);
        return 0;
    }

    private void desk(int conversations, int requests, URI service) throws Exception {
        List<Future<JsonObject>> made = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < conversations; i++) {
            String token = keys.token("desk-" + UUID.randomUUID(), "client", "Client " + i, Duration.ofHours(2));
            tokens.add(token);
            made.add(api.get(gateway, "/api/conversations/support", token));
            if (made.size() == 64 || i == conversations - 1) {
                for (Future<JsonObject> f : made) {
                    ids.add(f.toCompletionStage()
                            .toCompletableFuture()
                            .get(30, TimeUnit.SECONDS)
                            .getString("id"));
                }
                made.clear();
            }
            if ((i + 1) % 2000 == 0) {
                System.out.printf(Locale.ROOT, "%d support conversations%n", i + 1);
            }
        }
        Thread.sleep(3_000); // the message-service learns of them from Kafka
        List<Future<JsonObject>> sent = new ArrayList<>();
        for (int i = 0; i < conversations; i += 3) {
            sent.add(api.post(
                    gateway,
                    "/api/conversations/" + ids.get(i) + "/messages",
                    tokens.get(i),
                    new JsonObject()
                            .put("clientMessageId", UUID.randomUUID().toString())
                            .put("content", "help")));
            if (sent.size() == 64) {
                for (Future<JsonObject> f : sent) {
                    f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                }
                sent.clear();
            }
        }
        for (Future<JsonObject> f : sent) {
            f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        Thread.sleep(2_000);
        String admin = keys.token("desk-admin-" + UUID.randomUUID(), "admin", "Admin", Duration.ofHours(2));
        for (String query : List.of("?filter=unanswered&limit=20", "?filter=support&limit=20", "?limit=20")) {
            Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            int items = 0;
            for (int i = 0; i < requests + 200; i++) {
                long start = System.nanoTime();
                JsonObject page = api.get(service, "/api/conversations" + query, admin)
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
                long took = System.nanoTime() - start;
                if (i >= 200) { // after 200 to warm up
                    histogram.recordValue(took);
                }
                items = page.getJsonArray("items").size();
            }
            System.out.printf(
                    Locale.ROOT,
                    "%d support conversations, first page %s (%d items), %d requests%n",
                    conversations,
                    query,
                    items,
                    requests);
            print("  at the conversation-service", histogram);
        }
    }

    private static void print(String what, Histogram h) {
        System.out.println(Report.latencyLine(what, h));
    }
}
