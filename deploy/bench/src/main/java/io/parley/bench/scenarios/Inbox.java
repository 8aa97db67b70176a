package io.parley.bench.scenarios;

import io.parley.bench.engine.Api;
import io.parley.bench.engine.Report;
import io.parley.infra.DevKeys;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The inbox through the gateway, against a running local stack (deploy/bench/gateway.sh inbox): an open loop over
 * pairs of users, each pair a direct conversation, measuring from each send's {@code ack} to the recipient's
 * {@code unread} frame that counts it, and, for one message at a time, to the moment the recipient's
 * {@code GET /api/conversations/{id}} shows it (polled every 2 ms).
 */
@Command(name = "inbox", description = "ack to the recipient's unread count and list: <messages/s> <users> <seconds>")
public final class Inbox implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<messages/s>", description = "messages a second, open loop")
    int rate;

    @Parameters(index = "1", paramLabel = "<users>", description = "connected users, in pairs")
    int users;

    @Parameters(index = "2", paramLabel = "<seconds>", description = "how long the loop sends")
    int seconds;

    @Option(
            names = "--settle",
            paramLabel = "SECONDS",
            defaultValue = "${env:BENCH_SETTLE_SECONDS:-3}",
            description = "seconds for the connections' presence to settle first (default: BENCH_SETTLE_SECONDS or 3)")
    int settleSeconds;

    @Mixin
    RunningGateway stack = new RunningGateway();

    private Vertx vertx;
    private WebSocketClient sockets;
    private Api api;
    private URI gateway;
    private DevKeys keys;

    /** Runs the open loop and prints both latencies; answers 0. */
    @Override
    public Integer call() throws Exception {
        gateway = stack.gateway();
        keys = stack.keys.keys();
        vertx = Vertx.vertx();
        sockets = vertx.createWebSocketClient(
                new WebSocketClientOptions().setMaxConnections(100_000).setConnectTimeout(30_000));
        api = new Api(vertx);
        inbox(rate, users, seconds);
        return 0;
    }

    private WebSocket connect(String token, java.util.function.Consumer<String> onText) throws Exception {
        return sockets.connect(new WebSocketConnectOptions()
                        .setHost(gateway.getHost())
                        .setPort(gateway.getPort())
                        .setURI("/ws")
                        .addHeader("Authorization", "Bearer " + token))
                .map(ws -> {
                    ws.textMessageHandler(onText::accept);
                    return ws;
                })
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
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
        record InboxPair(String conversation, WebSocket sender, String recipientToken) {}
        List<InboxPair> pairs = new ArrayList<>();
        for (int i = 0; i < users / 2; i++) {
            String a = "inbox-a-" + UUID.randomUUID();
            String b = "inbox-b-" + UUID.randomUUID();
            String tokenA = keys.token(a, "client", "A" + i, Duration.ofHours(2));
            String tokenB = keys.token(b, "client", "B" + i, Duration.ofHours(2));
            String conversation = api.postAndWait(
                            gateway,
                            "/api/conversations",
                            tokenA,
                            new JsonObject().put("type", "direct").put("participants", List.of(b)),
                            10)
                    .getString("id");
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
                if ("unread".equals(frame.getString("type"))
                        && conversation.equals(frame.getString("conversationId"))) {
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
        Thread.sleep(settleSeconds * 1000L);
        System.out.printf(Locale.ROOT, "%d users connected in %d conversations%n", users, pairs.size());
        long total = sendOpenLoop(
                rate,
                seconds,
                pairs.stream().map(InboxPair::sender).toList(),
                pairs.stream().map(InboxPair::conversation).toList(),
                "inbox",
                (id, dueAt) -> {});
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((counted.get() < total || listed.get() < sampled.get()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        System.out.printf(
                Locale.ROOT,
                "open loop %d messages/s, %d users, %d s: %d sent, %d counted by an unread frame, "
                        + "%d of %d sampled seen in the list%n",
                rate,
                users,
                seconds,
                total,
                counted.get(),
                listed.get(),
                sampled.get());
        print("ack to recipient's unread frame", toUnread);
        print("ack to recipient's GET /api/conversations/{id} showing it (2 ms polls)", toList);
    }

    /**
     * Writes {@code rate × seconds} send frames on an open loop (each at its due time, however the system answers),
     * round-robin over the senders and their conversations; tells {@code onDue} each clientMessageId and its due time
     * before the frame leaves. Answers how many were sent.
     */
    private long sendOpenLoop(
            int rate,
            int seconds,
            List<WebSocket> senders,
            List<String> conversations,
            String content,
            java.util.function.ObjLongConsumer<String> onDue) {
        long total = (long) rate * seconds;
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long dueAt = start + i * interval;
            Api.waitUntil(dueAt);
            int pair = (int) (i % senders.size());
            String clientMessageId = UUID.randomUUID().toString();
            onDue.accept(clientMessageId, dueAt);
            String frame = new JsonObject()
                    .put("type", "send")
                    .put("ref", clientMessageId)
                    .put("conversationId", conversations.get(pair))
                    .put("clientMessageId", clientMessageId)
                    .put("content", content + " " + i)
                    .encode();
            WebSocket sender = senders.get(pair);
            vertx.runOnContext(v -> sender.writeTextMessage(frame));
        }
        return total;
    }

    private void pollList(
            String conversation,
            String token,
            long seq,
            long ackAt,
            Histogram into,
            AtomicLong done,
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

    private static void print(String what, Histogram h) {
        System.out.println(Report.latencyLine(what, h));
    }
}
