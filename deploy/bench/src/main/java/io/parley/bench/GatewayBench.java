package io.parley.bench;

import io.parley.infra.DevKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The inbox and the support desk through the gateway, against a running local stack (end-to-end delivery, idle
 * connections and the rest are {@link Harness}'s):
 * <ul>
 *   <li>{@code inbox <messages/s> <users> <seconds>}: like latency, and measures from each send's {@code ack} to the
 *   recipient's {@code unread} frame that counts it, and, for one message at a time, to the moment the recipient's
 *   {@code GET /api/conversations/{id}} shows it (polled every 2 ms);</li>
 *   <li>{@code desk <support conversations> <requests>}: makes that many clients with a support conversation, a third
 *   of them awaiting a reply, then times an admin's first page of the support desk at the conversation-service
 *   (unanswered, every support conversation, and the admin's default list), one request at a time.</li>
 * </ul>
 */
public final class GatewayBench {

    private final Vertx vertx = Vertx.vertx();
    private final WebSocketClient sockets;
    private final Api api;
    private final URI gateway;
    private final DevKeys keys;

    private GatewayBench(URI gateway, DevKeys keys) {
        this.gateway = gateway;
        this.keys = keys;
        this.sockets = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000)
                .setConnectTimeout(30_000));
        this.api = new Api(vertx);
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(System.getenv().getOrDefault("PARLEY_DATA_DIR", ".local-data"));
        DevKeys keys = DevKeys.loadOrCreate(data.resolve("keys"), "parley-local");
        GatewayBench bench = new GatewayBench(
                URI.create(System.getenv().getOrDefault("BENCH_GATEWAY_URL", "http://127.0.0.1:8080")), keys);
        if (args[0].equals("inbox")) {
            bench.inbox(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        } else if (args[0].equals("desk")) {
            bench.desk(Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                    URI.create(System.getenv().getOrDefault("BENCH_CONVERSATION_URL", "http://127.0.0.1:8081")));
        } else {
            throw new IllegalArgumentException("usage: gateway.sh inbox|desk ...");
        }
        System.exit(0);
    }

    private WebSocket connect(String token, java.util.function.Consumer<String> onText) throws Exception {
        return sockets.connect(new WebSocketConnectOptions().setHost(gateway.getHost()).setPort(gateway.getPort())
                        .setURI("/ws").addHeader("Authorization", "Bearer " + token))
                .map(ws -> {
                    ws.textMessageHandler(onText::accept);
                    return ws;
                })
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** An open loop over pairs of users, each pair a direct conversation; ack to the recipient's unread count, and to the list, per message. */
    private void inbox(int rate, int users, int seconds) throws Exception {
        Histogram toUnread = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        Histogram toList = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        // per conversation: seq -> when its ack arrived; resolved by the first unread count that reaches it
        Map<String, java.util.concurrent.ConcurrentSkipListMap<Long, Long>> acked = new ConcurrentHashMap<>();
        AtomicLong counted = new AtomicLong();
        AtomicLong listed = new AtomicLong();
        AtomicLong sampled = new AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean polling = new java.util.concurrent.atomic.AtomicBoolean();
        record InboxPair(String conversation, WebSocket sender, String recipientToken) {
        }
        List<InboxPair> pairs = new ArrayList<>();
        for (int i = 0; i < users / 2; i++) {
            String a = "inbox-a-" + UUID.randomUUID();
            String b = "inbox-b-" + UUID.randomUUID();
            String tokenA = keys.token(a, "client", "A" + i, Duration.ofHours(2));
            String tokenB = keys.token(b, "client", "B" + i, Duration.ofHours(2));
            String conversation = api.postAndWait(gateway, "/api/conversations", tokenA,
                    new JsonObject().put("type", "direct").put("participants", List.of(b)), 10).getString("id");
            var pending = new java.util.concurrent.ConcurrentSkipListMap<Long, Long>();
            acked.put(conversation, pending);
            WebSocket sender = connect(tokenA, text -> {
                long now = System.nanoTime();
                JsonObject frame = new JsonObject(text);
                if ("ack".equals(frame.getString("type"))) {
                    long seq = frame.getJsonObject("message").getLong("seq");
                    pending.put(seq, now);
                    // one message at a time is followed into the list, so that the polls do not load the system
                    if (polling.compareAndSet(false, true)) {
                        sampled.incrementAndGet();
                        pollList(conversation, tokenB, seq, now, toList, listed, polling);
                    }
                }
            });
            connect(tokenB, text -> {
                long now = System.nanoTime();
                JsonObject frame = new JsonObject(text);
                if ("unread".equals(frame.getString("type")) && conversation.equals(frame.getString("conversationId"))) {
                    var reached = pending.headMap(frame.getLong("count"), true);
                    synchronized (toUnread) {
                        reached.values().forEach(at -> toUnread.recordValue(Math.max(0, now - at)));
                    }
                    counted.addAndGet(reached.size());
                    reached.clear();
                }
            });
            pairs.add(new InboxPair(conversation, sender, tokenB));
        }
        // the connections' presence and support conversations are settled before the clock starts
        Thread.sleep(Long.parseLong(System.getenv().getOrDefault("BENCH_SETTLE_SECONDS", "3")) * 1000);
        System.out.printf(Locale.ROOT, "%d users connected in %d conversations%n", users, pairs.size());
        long total = sendOpenLoop(rate, seconds, pairs.stream().map(InboxPair::sender).toList(),
                pairs.stream().map(InboxPair::conversation).toList(), "inbox", (id, dueAt) -> { });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((counted.get() < total || listed.get() < sampled.get()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        System.out.printf(Locale.ROOT, "open loop %d messages/s, %d users, %d s: %d sent, %d counted by an unread frame, "
                + "%d of %d sampled seen in the list%n", rate, users, seconds, total, counted.get(), listed.get(),
                sampled.get());
        print("ack to recipient's unread frame", toUnread);
        print("ack to recipient's GET /api/conversations/{id} showing it (2 ms polls)", toList);
    }

    /**
     * Writes {@code rate × seconds} send frames on an open loop (each at its due time, however the system answers),
     * round-robin over the senders and their conversations; tells {@code onDue} each clientMessageId and its due time
     * before the frame leaves. Answers how many were sent.
     */
    private long sendOpenLoop(int rate, int seconds, List<WebSocket> senders, List<String> conversations,
                              String content, java.util.function.ObjLongConsumer<String> onDue) {
        long total = (long) rate * seconds;
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long dueAt = start + i * interval;
            Api.waitUntil(dueAt);
            int pair = (int) (i % senders.size());
            String clientMessageId = UUID.randomUUID().toString();
            onDue.accept(clientMessageId, dueAt);
            String frame = new JsonObject().put("type", "send").put("ref", clientMessageId)
                    .put("conversationId", conversations.get(pair)).put("clientMessageId", clientMessageId)
                    .put("content", content + " " + i).encode();
            WebSocket sender = senders.get(pair);
            vertx.runOnContext(v -> sender.writeTextMessage(frame));
        }
        return total;
    }

    private void pollList(String conversation, String token, long seq, long ackAt, Histogram into, AtomicLong done,
                          java.util.concurrent.atomic.AtomicBoolean polling) {
        api.get(gateway, "/api/conversations/" + conversation, token).onComplete(answer -> {
            long now = System.nanoTime();
            if (answer.succeeded() && answer.result().getLong("lastSeq", 0L) >= seq) {
                synchronized (into) {
                    into.recordValue(now - ackAt);
                }
                done.incrementAndGet();
                polling.set(false);
            } else if (now - ackAt < TimeUnit.SECONDS.toNanos(10)) {
                vertx.setTimer(2, id -> pollList(conversation, token, seq, ackAt, into, done, polling));
            } else {
                polling.set(false);
            }
        });
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
                    ids.add(f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).getString("id"));
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
            sent.add(api.post(gateway, "/api/conversations/" + ids.get(i) + "/messages", tokens.get(i),
                    new JsonObject().put("clientMessageId", UUID.randomUUID().toString()).put("content", "help")));
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
                        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                long took = System.nanoTime() - start;
                if (i >= 200) { // after 200 to warm up
                    histogram.recordValue(took);
                }
                items = page.getJsonArray("items").size();
            }
            System.out.printf(Locale.ROOT, "%d support conversations, first page %s (%d items), %d requests%n",
                    conversations, query, items, requests);
            print("  at the conversation-service", histogram);
        }
    }

    private static void print(String what, Histogram h) {
        System.out.printf(Locale.ROOT, "%s, ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n", what,
                h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(90) / 1e6, h.getValueAtPercentile(99) / 1e6,
                h.getValueAtPercentile(99.9) / 1e6, h.getMaxValue() / 1e6);
    }
}
