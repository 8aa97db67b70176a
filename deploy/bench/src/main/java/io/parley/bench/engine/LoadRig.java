package io.parley.bench.engine;

import io.parley.infra.DevKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * What the harness's scenarios load a gateway with: users made through the API, one {@link Client} (WebSocket) each
 * spread over loopback source addresses, the open loop over pairs, the drain and the counts by seq, a line of
 * progress every second, and the stack's {@link ProcessStats}. Closing it closes every client and its Vert.x.
 */
public final class LoadRig implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    private final List<WebSocketClient> sources = new ArrayList<>();
    private final Api api;
    private final URI gateway;
    private final DevKeys keys;
    private final ProcessStats stats;
    private final Path dataDir;
    private final PrintStream out;
    private final int jitWarmupSeconds;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "harness-progress");
        t.setDaemon(true);
        return t;
    });
    private final List<Client> clients = new ArrayList<>();

    /**
     * A rig on {@code gateway} signing tokens with {@code keys}, reading the stack's processes from {@code dataDir},
     * connecting from {@code sourceAddresses} loopback addresses, printing progress on {@code out}; the first measured
     * run of a scenario is preceded by {@code jitWarmupSeconds} of unreported load.
     */
    public LoadRig(
            URI gateway, DevKeys keys, Path dataDir, int sourceAddresses, int jitWarmupSeconds, PrintStream out) {
        this.gateway = gateway;
        this.keys = keys;
        this.stats = new ProcessStats(dataDir);
        this.dataDir = dataDir;
        this.out = out;
        this.jitWarmupSeconds = jitWarmupSeconds;
        for (int i = 0; i < sourceAddresses; i++) {
            // each loopback source address has its own ~28,000 ephemeral ports towards the gateway
            sources.add(vertx.createWebSocketClient(new WebSocketClientOptions()
                    .setMaxConnections(100_000)
                    .setConnectTimeout(30_000)
                    .setLocalAddress("127.0.0." + (1 + i))));
        }
        this.api = new Api(vertx);
    }

    /** The REST client. */
    public Api api() {
        return api;
    }

    /** The gateway loaded. */
    public URI gateway() {
        return gateway;
    }

    /** CPU and memory of the stack's processes. */
    public ProcessStats stats() {
        return stats;
    }

    /** The stack's data folder (its pids and restarts files), null when the harness was given none. */
    public Path dataDir() {
        return dataDir;
    }

    /** Where progress is printed. */
    public PrintStream out() {
        return out;
    }

    /** Seconds of unreported load before the first measured run ({@code --jit-warmup}). */
    public int jitWarmupSeconds() {
        return jitWarmupSeconds;
    }

    /** A four-hour token of {@code user} with {@code role}, signed with the stack's key. */
    public String token(String user, String role) {
        return keys.token(user, role, user, Duration.ofHours(4));
    }

    // ---- clients ----

    /** Connects a client per id with {@code role}, writing into {@code ledger}; answers those that are live. */
    public List<Client> connectAll(List<String> ids, String role, Ledger ledger) throws Exception {
        return connectPaced(ids, role, ledger, 0);
    }

    /** Connects a client per id, at most 200 handshakes at a time (and {@code perSecond} a second if above 0). */
    public List<Client> connectPaced(List<String> ids, String role, Ledger ledger, int perSecond) throws Exception {
        Semaphore window = new Semaphore(200);
        AtomicInteger failed = new AtomicInteger();
        List<Client> made = new ArrayList<>();
        List<Future<Void>> connecting = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < ids.size(); i++) {
            if (perSecond > 0) {
                Api.waitUntil(start + TimeUnit.SECONDS.toNanos(1) * i / perSecond);
            }
            window.acquire();
            Client client = new Client(
                    ids.get(i), token(ids.get(i), role), sources.get(i % sources.size()), gateway, vertx, ledger);
            made.add(client);
            connecting.add(client.connect().onComplete(done -> {
                window.release();
                if (done.failed() && failed.incrementAndGet() <= 3) {
                    out.println("a connection failed: " + done.cause());
                }
            }));
            if ((i + 1) % 1000 == 0) {
                out.printf(Locale.ROOT, "%d connections%n", i + 1);
            }
        }
        for (Future<Void> f : connecting) {
            try {
                f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // counted above
            }
        }
        if (failed.get() > 0) {
            out.printf(Locale.ROOT, "%d of %d connections failed%n", failed.get(), ids.size());
        }
        List<Client> open = made.stream().filter(Client::live).toList();
        clients.addAll(open);
        return new ArrayList<>(open);
    }

    /** Closes the connections of {@code group} (waiting up to 10 s for each). */
    public void closeAll(List<Client> group) {
        List<Future<Void>> closing = group.stream().map(Client::close).toList();
        for (Future<Void> f : closing) {
            try {
                f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // already gone
            }
        }
        clients.removeAll(group);
    }

    // ---- the open loop over pairs ----

    /** {@code users} (rounded down to even) connected users in pairs, each pair in a direct conversation. */
    public List<Pair> makePairs(int users) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < users / 2 * 2; i++) {
            ids.add("pair-" + run + "-" + i);
        }
        List<Client> connected = connectAll(ids, "client", new Ledger());
        if (connected.size() < 2) {
            throw new IllegalStateException(connected.size() + " of " + ids.size() + " users could connect to "
                    + gateway + ": is the stack running there, and does it trust the harness's key (--data)?");
        }
        // pairs of the users that did connect (a failed connection does not shift its neighbours into other pairs)
        connected = connected.subList(0, connected.size() / 2 * 2);
        List<Future<JsonObject>> made = new ArrayList<>();
        for (int i = 0; i < connected.size(); i += 2) {
            made.add(api.post(
                    gateway,
                    "/api/conversations",
                    token(connected.get(i).userId(), "client"),
                    new JsonObject()
                            .put("type", "direct")
                            .put(
                                    "participants",
                                    new JsonArray().add(connected.get(i + 1).userId()))));
        }
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < made.size(); i++) {
            String conversation = made.get(i)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(60, TimeUnit.SECONDS)
                    .getString("id");
            Pair pair = new Pair(conversation, connected.get(2 * i), connected.get(2 * i + 1));
            pair.a().knows(conversation);
            pair.b().knows(conversation);
            pairs.add(pair);
        }
        Thread.sleep(3_000); // the message-service learns of the conversations from Kafka
        out.printf(Locale.ROOT, "%d users connected in %d direct conversations%n", connected.size(), pairs.size());
        return pairs;
    }

    /** {@code rate} messages a second over the pairs for {@code warmup + seconds}; figures from after the warm-up. */
    public JsonObject openLoop(List<Pair> pairs, int rate, int seconds, int warmup) throws Exception {
        awaitQuiet();
        Ledger ledger = new Ledger();
        List<Client> everyone = Pair.members(pairs);
        everyone.forEach(c -> c.useLedger(ledger));
        Progress progress = progress(rate + " msg/s", ledger, everyone);
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long startNanos = System.nanoTime();
        long measureFrom = startNanos + TimeUnit.SECONDS.toNanos(warmup);
        long total = (long) rate * (warmup + seconds);
        boolean measuring = false;
        ledger.measuring(warmup == 0);
        for (long i = 0; i < total; i++) {
            long due = startNanos + i * interval;
            Api.waitUntil(due);
            if (!measuring && due >= measureFrom) {
                measuring = true;
                ledger.resetLatency();
                ledger.measuring(true);
                stats.start();
            }
            Pair.sendOne(pairs, i, ledger, due);
        }
        long sentEnd = System.nanoTime();
        JsonArray processes = stats.report(); // the window of sends, not the drain
        drain(ledger, everyone);
        progress.stop();
        JsonObject run = counts(ledger, everyone, Pair.conversations(pairs), startNanos)
                .put("rate", rate)
                .put("seconds", seconds)
                .put("warmupSeconds", warmup)
                .put("latencyMs", Report.percentiles(ledger.latencySnapshot()))
                .put("toAckMs", Report.percentiles(ledger.toAckSnapshot()))
                .put("processes", processes);
        out.printf(
                Locale.ROOT,
                "%d msg/s: p50 %.2f p99 %.2f max %.2f ms (to the ack: p50 %.2f p99 %.2f); "
                        + "%d lost, %d duplicated%n",
                rate,
                run.getJsonObject("latencyMs").getDouble("p50"),
                run.getJsonObject("latencyMs").getDouble("p99"),
                run.getJsonObject("latencyMs").getDouble("max"),
                run.getJsonObject("toAckMs").getDouble("p50"),
                run.getJsonObject("toAckMs").getDouble("p99"),
                run.getLong("lost"),
                run.getLong("duplicated"));
        return run.put("sendSeconds", Report.round((sentEnd - startNanos) / 1e9));
    }

    /**
     * A fresh stack's JVMs run interpreted and C1-compiled code at first: {@code --jit-warmup} seconds (60 by default)
     * at {@code rate} messages a second (the lowest rate the scenario measures, so that a slower machine is not left
     * with a backlog before the first measured run), not reported.
     */
    public void warmJit(List<Pair> pairs, int rate) throws Exception {
        if (jitWarmupSeconds > 0) {
            out.printf(Locale.ROOT, "warming up the JVMs: %d s at %d msg/s, not reported%n", jitWarmupSeconds, rate);
            openLoop(pairs, rate, jitWarmupSeconds, 0);
        }
    }

    /** The stack is taken for quiet when it uses less than this share of one core (its idle consumers and relays). */
    static final double QUIET_CORES = 0.4;

    /**
     * Waits, up to 30 s, until the stack is quiet (below {@link #QUIET_CORES} of a core over a second) so that one
     * phase's leftovers (a backlog, a GC, compilation) do not weigh on the next; says so when it had to wait or gave up.
     */
    public void awaitQuiet() throws InterruptedException {
        if (stats.processes().size() <= 1) {
            return; // no stack processes known (no --data): nothing to watch
        }
        long start = System.nanoTime();
        double cores;
        while ((cores = stats.stackCoresOver(java.time.Duration.ofSeconds(1))) >= QUIET_CORES) {
            if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(30)) {
                out.printf(
                        Locale.ROOT, "the stack is still busy (%.0f %% of a core) after 30 s; going on%n", cores * 100);
                return;
            }
        }
        long waited = System.nanoTime() - start;
        if (waited > TimeUnit.SECONDS.toNanos(2)) {
            out.printf(Locale.ROOT, "waited %.0f s for the stack to be quiet%n", waited / 1e9);
        }
    }

    /**
     * Waits for every send to be acked and every delivery made, the senders' own copies included (each connection
     * reads on its own thread: a sender's copy may still be on its way when the recipient's has come). Gives up after
     * 30 s without progress (nothing more acked or delivered), or after {@link #DRAIN_CAP} in all: a stack still
     * working off a backlog is waited for, so that late deliveries are not counted as lost.
     */
    public void drain(Ledger ledger, List<Client> everyone) throws InterruptedException {
        long start = System.nanoTime();
        long lastProgress = start;
        long left = Long.MAX_VALUE;
        while (true) {
            long now = System.nanoTime();
            long outstanding = ledger.outstanding()
                    + everyone.stream().mapToLong(Client::unackedCount).sum()
                    + everyone.stream().mapToLong(Client::behind).sum();
            if (outstanding == 0) {
                return;
            }
            if (outstanding < left) {
                left = outstanding;
                lastProgress = now;
            }
            if (now - lastProgress > TimeUnit.SECONDS.toNanos(30) || now - start > DRAIN_CAP.toNanos()) {
                out.printf(Locale.ROOT, "drain: %d sends or deliveries still outstanding; counting%n", outstanding);
                return;
            }
            Thread.sleep(50);
        }
    }

    /** The longest {@link #drain} waits while deliveries still arrive. */
    static final java.time.Duration DRAIN_CAP = java.time.Duration.ofMinutes(5);

    /**
     * Sent, acked, delivered, lost and duplicated (by seq, per member of each of {@code members}' conversations),
     * throughput since {@code startNanos}, unacked sends and live connections of {@code everyone}.
     */
    public static JsonObject counts(
            Ledger ledger, List<Client> everyone, Map<String, List<Client>> members, long startNanos) {
        long missing = 0;
        for (Map.Entry<String, List<Client>> conversation : members.entrySet()) {
            long last = ledger.lastSeq(conversation.getKey());
            for (Client member : conversation.getValue()) {
                missing += Math.max(0, last - member.highest(conversation.getKey()));
            }
        }
        long unacked = everyone.stream().mapToLong(Client::unackedCount).sum();
        double seconds = (ledger.lastReceivedNanos() - startNanos) / 1e9;
        return new JsonObject()
                .put("sent", ledger.sent.get())
                .put("acked", ledger.acked.get())
                .put("delivered", ledger.delivered.get())
                .put("deliveredPerSecond", Report.round(seconds <= 0 ? 0 : ledger.delivered.get() / seconds))
                .put("lost", missing + ledger.skipped.get())
                .put("duplicated", ledger.duplicated.get() + ledger.storedTwice.get())
                .put("receivedTwice", ledger.duplicated.get())
                .put("storedTwice", ledger.storedTwice.get())
                .put("refused", ledger.refused.get())
                .put("unacked", unacked)
                .put("connections", everyone.stream().filter(Client::live).count());
    }

    // ---- progress ----

    /** A line of progress every second until stopped. */
    public interface Progress {
        /** No more lines. */
        void stop();
    }

    /** Prints {@code what}'s counts from {@code ledger} and the live connections of {@code connected} every second. */
    public Progress progress(String what, Ledger ledger, List<Client> connected) {
        long start = System.nanoTime();
        var task = ticker.scheduleAtFixedRate(
                () -> {
                    stats.sample();
                    Histogram h = ledger.latencySnapshot();
                    out.printf(
                            Locale.ROOT,
                            "[%s] %3.0f s  sent %d  acked %d  delivered %d  waiting %d  p99 %.1f ms  "
                                    + "lost-so-far %d  dup %d  connections %d%n",
                            what,
                            (System.nanoTime() - start) / 1e9,
                            ledger.sent.get(),
                            ledger.acked.get(),
                            ledger.delivered.get(),
                            ledger.outstanding(),
                            h.getValueAtPercentile(99) / 1e6,
                            ledger.skipped.get(),
                            ledger.duplicated.get(),
                            connected.stream().filter(Client::live).count());
                },
                1,
                1,
                TimeUnit.SECONDS);
        return () -> task.cancel(false);
    }

    /** Closes every client still open, the progress ticker and Vert.x. */
    @Override
    public void close() {
        closeAll(new ArrayList<>(clients));
        ticker.shutdownNow();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
