package io.parley.bench;

import io.parley.infra.DevKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The benchmark harness: loads the whole system through the gateway the way apps do (users made through the API,
 * one WebSocket each, sends on an open-loop schedule) and reports end-to-end latency, loss and duplication by seq,
 * throughput, connections, and the CPU and memory of every process of the stack. See deploy/bench/harness.sh and
 * docs/benchmarks.md for the scenarios and options.
 */
public final class Harness implements AutoCloseable {

    /** Settings from the command line: {@code scenario --name value ...}. */
    record Options(String scenario, Map<String, String> values) {

        static Options parse(String... args) {
            if (args.length == 0 || args[0].startsWith("--")) {
                throw new IllegalArgumentException("usage: harness.sh <pairs|max|fanout|idle|storm|all> [--option value]...");
            }
            Map<String, String> values = new HashMap<>();
            for (int i = 1; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("options come as --name value; got " + args[i]);
                }
                values.put(args[i].substring(2), args[++i]);
            }
            return new Options(args[0], values);
        }

        int integer(String name, int fallback) {
            return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
        }

        double number(String name, double fallback) {
            return values.containsKey(name) ? Double.parseDouble(values.get(name)) : fallback;
        }

        String text(String name, String fallback) {
            return values.getOrDefault(name, fallback);
        }

        List<Integer> integers(String name, String fallback) {
            return Arrays.stream(text(name, fallback).split(",")).map(String::trim).map(Integer::parseInt).toList();
        }
    }

    static final String BENCH_JAVA_OPTS = "-Xms256m -Xmx512m -XX:+UseParallelGC";

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    private final List<WebSocketClient> sources = new ArrayList<>();
    private final Api api;
    private final URI gateway;
    private final DevKeys keys;
    private final ProcessStats stats;
    private final PrintStream out;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "harness-progress");
        t.setDaemon(true);
        return t;
    });
    private final List<Client> clients = new ArrayList<>();
    int jitWarmupSeconds = 20;

    Harness(URI gateway, DevKeys keys, Path dataDir, int sourceAddresses, PrintStream out) {
        this.gateway = gateway;
        this.keys = keys;
        this.stats = new ProcessStats(dataDir);
        this.out = out;
        for (int i = 0; i < sourceAddresses; i++) {
            // each loopback source address has its own ~28,000 ephemeral ports towards the gateway
            sources.add(vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000)
                    .setConnectTimeout(30_000).setLocalAddress("127.0.0." + (1 + i))));
        }
        this.api = new Api(vertx);
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path repository = Path.of(System.getProperty("parley.repository", ".")).toAbsolutePath().normalize();
        Path json = Path.of(options.text("json", repository.resolve("deploy/bench/target/harness-"
                + Instant.now().toString().replace(':', '-') + ".json").toString()));
        JsonObject results = run(options, repository, new HashMap<>(System.getenv()), System.out);
        Files.createDirectories(json.toAbsolutePath().getParent());
        Files.writeString(json, results.encodePrettily());
        System.out.println();
        System.out.println(table(results));
        System.out.println("results as JSON: " + json);
        System.exit(0);
    }

    /**
     * Runs the scenario(s) named by {@code options}: against {@code --gateway URL} if given (tokens from {@code --keys}
     * or the stack's data folder {@code --data}), else each on a fresh local stack this harness starts and stops.
     */
    static JsonObject run(Options options, Path repository, Map<String, String> env, PrintStream out)
            throws Exception {
        List<String> scenarios = options.scenario().equals("all")
                ? List.of("pairs", "max", "fanout", "idle", "storm") : List.of(options.scenario());
        JsonArray done = new JsonArray();
        for (String scenario : scenarios) {
            out.printf(Locale.ROOT, "== %s%n", scenario);
            if (options.values().containsKey("gateway")) {
                Path data = Path.of(options.text("data", repository.resolve(".local-data").toString()));
                try (Harness harness = new Harness(URI.create(options.text("gateway", "")),
                        keys(options, data), data, options.integer("sources", 4), out)) {
                    done.add(harness.scenario(scenario, options));
                }
            } else {
                Path data = Path.of(options.text("stack-data", repository.resolve("deploy/bench/target/stack-"
                        + scenario + "-" + System.currentTimeMillis()).toString()));
                out.println("starting a local stack in " + data);
                // throughput-minded JVM options unless the caller chose others (the stack's own default favours
                // memory and start-up: C1 only, a small serial heap)
                env.putIfAbsent("PARLEY_JAVA_OPTS", BENCH_JAVA_OPTS);
                try (StackProcess stack = StackProcess.start(repository, data, env, out);
                     Harness harness = new Harness(URI.create("http://127.0.0.1:"
                             + env.getOrDefault("PARLEY_GATEWAY_PORT", "8080")), keys(options, data), data,
                             options.integer("sources", 4), out)) {
                    done.add(harness.scenario(scenario, options));
                }
            }
        }
        return new JsonObject().put("machine", machine()).put("at", Instant.now().toString())
                .put("serviceJavaOptions", env.getOrDefault("PARLEY_JAVA_OPTS", "(the stack's default)"))
                .put("command", "deploy/bench/harness.sh " + options.scenario() + " " + options.values().entrySet()
                        .stream().map(e -> "--" + e.getKey() + " " + e.getValue()).reduce("", (a, b) -> a + " " + b).trim())
                .put("scenarios", done);
    }

    private static DevKeys keys(Options options, Path data) throws Exception {
        Path dir = options.values().containsKey("keys") ? Path.of(options.text("keys", "")) : data.resolve("keys");
        return DevKeys.loadOrCreate(dir, options.text("issuer", "parley-local"));
    }

    JsonObject scenario(String name, Options o) throws Exception {
        jitWarmupSeconds = o.integer("jit-warmup", 60);
        return switch (name) {
            case "pairs" -> pairs(o.integers("rates", "100,500,1000,2000"), o.integer("users", 2000),
                    o.integer("seconds", 30), o.integer("warmup", 5));
            case "max" -> max(o.integer("users", 2000), o.integer("start", 1000), o.integer("step", 500),
                    o.integer("trial", 15), o.integer("hold", 60), o.number("p99", 100), o.integer("max-rate", 20_000));
            case "fanout" -> fanout(o.integer("members", 1000), o.integer("messages", 30), o.integer("interval", 500));
            case "idle" -> idle(o.integer("connections", 20_000), o.integer("connect-rate", 500));
            case "storm" -> storm(o.integer("users", 2000), o.integer("rate", 200), o.integer("before", 5),
                    o.integer("after", 5));
            default -> throw new IllegalArgumentException("no scenario " + name);
        };
    }

    // ---- scenarios ----

    /** Scenario 1: users in pairs, each pair a direct conversation; each rate on an open loop for a while. */
    JsonObject pairs(List<Integer> rates, int users, int seconds, int warmup) throws Exception {
        List<Pair> pairs = makePairs(users);
        warmJit(pairs);
        JsonArray runs = new JsonArray();
        for (int rate : rates) {
            runs.add(openLoop(pairs, rate, seconds, warmup));
        }
        return new JsonObject().put("scenario", "pairs").put("users", users).put("runs", runs);
    }

    /** Scenario 2: rates up from {@code start} until p99 passes the target; the highest that held, then for longer. */
    JsonObject max(int users, int start, int step, int trial, int hold, double p99TargetMs, int maxRate)
            throws Exception {
        List<Pair> pairs = makePairs(users);
        warmJit(pairs);
        JsonArray trials = new JsonArray();
        int best = 0;
        for (int rate = start; rate <= maxRate; rate += step) {
            JsonObject run = openLoop(pairs, rate, trial, 3);
            trials.add(run);
            if (!held(run, p99TargetMs)) {
                break;
            }
            best = rate;
        }
        JsonObject result = new JsonObject().put("scenario", "max").put("users", users).put("p99TargetMs", p99TargetMs)
                .put("trials", trials);
        while (best > 0) {
            JsonObject confirm = openLoop(pairs, best, hold, 5);
            result.put("held", confirm);
            if (held(confirm, p99TargetMs)) {
                break;
            }
            best -= step; // it did not hold for the whole minute: one step down
        }
        return result.put("highestRate", best);
    }

    private static boolean held(JsonObject run, double p99TargetMs) {
        return run.getJsonObject("latencyMs").getDouble("p99") <= p99TargetMs && run.getLong("lost") == 0
                && run.getDouble("deliveredPerSecond") >= 0.95 * run.getInteger("rate");
    }

    /** Scenario 3: one sender, a group of {@code members}; time until the last member has each message. */
    JsonObject fanout(int members, int messages, int intervalMs) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            ids.add("fan-" + run + "-" + i);
        }
        Ledger ledger = new Ledger();
        List<Client> group = connectAll(ids, "client", ledger);
        String conversation = api.postAndWait(gateway, "/api/conversations", token(ids.get(0), "client"),
                new JsonObject().put("type", "group").put("title", "Fan-out " + run)
                .put("participants", new JsonArray(ids.subList(1, ids.size()))), 60).getString("id");
        group.forEach(member -> member.knows(conversation));
        Thread.sleep(3_000); // the message-service learns of the group from Kafka
        stats.start();
        long startNanos = System.nanoTime();
        Progress progress = progress("fanout " + members, ledger, group);
        Client sender = group.get(0);
        // the first few messages warm the JVMs up and are not in the figures
        int warm = Math.min(10, jitWarmupSeconds);
        ledger.measuring(warm == 0);
        for (int i = 0; i < warm + messages; i++) {
            long due = startNanos + TimeUnit.MILLISECONDS.toNanos((long) i * intervalMs);
            Api.waitUntil(due);
            if (i == warm) {
                ledger.resetLatency();
                ledger.measuring(true);
            }
            String id = UUID.randomUUID().toString();
            ledger.due(id, sender.userId, due, members - 1);
            sender.send(conversation, id, "fan-out " + i);
        }
        drain(ledger, group);
        progress.stop();
        JsonObject result = counts(ledger, group, Map.of(conversation, group), startNanos)
                .put("scenario", "fanout").put("members", members).put("messages", messages)
                .put("intervalMs", intervalMs)
                .put("latencyMs", percentiles(ledger.latencySnapshot()))
                .put("lastDeliveryMs", percentiles(ledger.lastDeliverySnapshot()))
                .put("processes", stats.report());
        closeAll(group);
        return result;
    }

    /** Scenario 4: idle authenticated connections on one gateway; its memory before and after. */
    JsonObject idle(int connections, int connectRate) throws Exception {
        long gatewayPid = stats.processes().getOrDefault("gateway", List.of(-1L)).get(0);
        long heapBefore = heapUsedKbAfterGc(gatewayPid);
        long before = stats.rssKb("gateway");
        stats.start();
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            ids.add("idle-" + run + "-" + i);
        }
        Ledger ledger = new Ledger();
        long started = System.nanoTime();
        List<Client> open = connectPaced(ids, "client", ledger, connectRate);
        double connectSeconds = (System.nanoTime() - started) / 1e9;
        out.println("connections open; settling 15 s");
        Thread.sleep(15_000);
        long held = open.stream().filter(Client::live).count();
        long after = stats.rssKb("gateway");
        long heapAfter = heapUsedKbAfterGc(gatewayPid);
        JsonObject result = new JsonObject().put("scenario", "idle").put("asked", connections)
                .put("gatewayHeapMiBBefore", round(heapBefore / 1024.0))
                .put("gatewayHeapMiBAfter", round(heapAfter / 1024.0))
                .put("heapKibPerConnection", held == 0 || heapBefore < 0 || heapAfter < 0 ? null
                        : round((heapAfter - heapBefore) / (double) held))
                .put("connected", open.size()).put("held", held).put("connectSeconds", round(connectSeconds))
                .put("gatewayRssMiBBefore", round(before / 1024.0)).put("gatewayRssMiBAfter", round(after / 1024.0))
                .put("kibPerConnection", held == 0 ? 0 : round((after - before) / (double) held))
                .put("processes", stats.report());
        closeAll(open);
        return result;
    }

    /**
     * Scenario 5: users in pairs sending at {@code rate}; the gateway is killed (SIGKILL) and the launcher starts it
     * again; every client reconnects and resumes; nothing may be lost or duplicated.
     */
    JsonObject storm(int users, int rate, int beforeSeconds, int afterSeconds) throws Exception {
        List<Pair> pairs = makePairs(users);
        List<Client> everyone = members(pairs);
        everyone.forEach(c -> c.reconnect = true);
        Ledger ledger = new Ledger();
        everyone.forEach(c -> c.ledger = ledger);
        stats.start();
        Progress progress = progress("storm " + rate + "/s", ledger, everyone);
        long startNanos = System.nanoTime();
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long killAt = 0;
        Long allResumedAt = null;
        long pid = stats.processes().getOrDefault("gateway", List.of(-1L)).get(0);
        if (pid < 0) {
            throw new IllegalStateException("the storm needs the stack's pids file (--data) to find the gateway");
        }
        long deadline = startNanos + TimeUnit.SECONDS.toNanos(beforeSeconds + 180);
        for (long i = 0; ; i++) {
            long due = startNanos + i * interval;
            Api.waitUntil(due);
            if (killAt == 0 && due - startNanos >= TimeUnit.SECONDS.toNanos(beforeSeconds)) {
                out.println("killing the gateway (pid " + pid + ")");
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                killAt = System.nanoTime();
            }
            if (killAt != 0 && allResumedAt == null && due - killAt > TimeUnit.MILLISECONDS.toNanos(200)) {
                long resumed = 0;
                long latest = 0;
                for (Client c : everyone) {
                    if (c.live() && c.resumedAtNanos > killAt) {
                        resumed++;
                        latest = Math.max(latest, c.resumedAtNanos);
                    }
                }
                if (resumed == everyone.size()) {
                    allResumedAt = latest;
                    out.printf(Locale.ROOT, "every client resumed %.2f s after the kill%n", (latest - killAt) / 1e9);
                }
            }
            if (allResumedAt != null && due - allResumedAt > TimeUnit.SECONDS.toNanos(afterSeconds)) {
                break;
            }
            if (due > deadline) {
                out.println("not every client resumed within 180 s");
                break;
            }
            sendOne(pairs, i, ledger, due);
        }
        drain(ledger, everyone);
        progress.stop();
        JsonObject result = counts(ledger, everyone, conversations(pairs), startNanos)
                .put("scenario", "storm").put("users", users).put("rate", rate)
                .put("allResumedSeconds", allResumedAt == null ? null : round((allResumedAt - killAt) / 1e9))
                .put("latencyMs", percentiles(ledger.latencySnapshot()))
                .put("processes", stats.report());
        closeAll(everyone);
        return result;
    }

    /**
     * The live heap of a local JVM after a full collection (jcmd GC.run, then GC.heap_info: the generations' used
     * space), in KiB; -1 if it cannot be read. Resident memory also holds heap the JVM grew and keeps.
     */
    static long heapUsedKbAfterGc(long pid) {
        if (pid < 0) {
            return -1;
        }
        try {
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            new ProcessBuilder(jcmd, String.valueOf(pid), "GC.run").redirectErrorStream(true).start().waitFor();
            Process info = new ProcessBuilder(jcmd, String.valueOf(pid), "GC.heap_info").redirectErrorStream(true)
                    .start();
            String text = new String(info.getInputStream().readAllBytes());
            info.waitFor();
            long used = 0;
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("total \\d+K, used (\\d+)K").matcher(text);
            while (m.find()) {
                used += Long.parseLong(m.group(1));
            }
            return used == 0 ? -1 : used;
        } catch (Exception e) {
            return -1;
        }
    }

    // ---- the open loop over pairs ----

    record Pair(String conversation, Client a, Client b) {
    }

    private List<Pair> makePairs(int users) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < users / 2 * 2; i++) {
            ids.add("pair-" + run + "-" + i);
        }
        List<Client> connected = connectAll(ids, "client", new Ledger());
        List<Future<JsonObject>> made = new ArrayList<>();
        for (int i = 0; i < connected.size(); i += 2) {
            made.add(api.post(gateway, "/api/conversations", token(ids.get(i), "client"), new JsonObject()
                    .put("type", "direct").put("participants", new JsonArray().add(ids.get(i + 1)))));
        }
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < made.size(); i++) {
            String conversation = made.get(i).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS)
                    .getString("id");
            Pair pair = new Pair(conversation, connected.get(2 * i), connected.get(2 * i + 1));
            pair.a.knows(conversation);
            pair.b.knows(conversation);
            pairs.add(pair);
        }
        Thread.sleep(3_000); // the message-service learns of the conversations from Kafka
        out.printf(Locale.ROOT, "%d users connected in %d direct conversations%n", connected.size(), pairs.size());
        return pairs;
    }

    /** {@code rate} messages a second over the pairs for {@code warmup + seconds}; figures from after the warm-up. */
    private JsonObject openLoop(List<Pair> pairs, int rate, int seconds, int warmup) throws Exception {
        Ledger ledger = new Ledger();
        List<Client> everyone = members(pairs);
        everyone.forEach(c -> c.ledger = ledger);
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
            sendOne(pairs, i, ledger, due);
        }
        long sentEnd = System.nanoTime();
        JsonArray processes = stats.report(); // the window of sends, not the drain
        drain(ledger, everyone);
        progress.stop();
        JsonObject run = counts(ledger, everyone, conversations(pairs), startNanos)
                .put("rate", rate).put("seconds", seconds).put("warmupSeconds", warmup)
                .put("latencyMs", percentiles(ledger.latencySnapshot()))
                .put("toAckMs", percentiles(ledger.toAckSnapshot()))
                .put("processes", processes);
        out.printf(Locale.ROOT, "%d msg/s: p50 %.2f p99 %.2f max %.2f ms (to the ack: p50 %.2f p99 %.2f); "
                        + "%d lost, %d duplicated%n", rate,
                run.getJsonObject("latencyMs").getDouble("p50"), run.getJsonObject("latencyMs").getDouble("p99"),
                run.getJsonObject("latencyMs").getDouble("max"), run.getJsonObject("toAckMs").getDouble("p50"),
                run.getJsonObject("toAckMs").getDouble("p99"), run.getLong("lost"), run.getLong("duplicated"));
        return run.put("sendSeconds", round((sentEnd - startNanos) / 1e9));
    }

    /**
     * A fresh stack's JVMs run interpreted and C1-compiled code at first: {@code --jit-warmup} seconds (60 by default)
     * of 300 messages a second, not reported, before the first measured run.
     */
    private void warmJit(List<Pair> pairs) throws Exception {
        if (jitWarmupSeconds > 0) {
            out.printf(Locale.ROOT, "warming up the JVMs: %d s at 300 msg/s, not reported%n", jitWarmupSeconds);
            openLoop(pairs, 300, jitWarmupSeconds, 0);
        }
    }

    /** Message {@code i}: pair i mod n, sent by one side then the other on its next turn. */
    private static void sendOne(List<Pair> pairs, long i, Ledger ledger, long due) {
        Pair pair = pairs.get((int) (i % pairs.size()));
        Client sender = (i / pairs.size()) % 2 == 0 ? pair.a : pair.b;
        String id = UUID.randomUUID().toString();
        ledger.due(id, sender.userId, due, 1);
        sender.send(pair.conversation, id, "m" + i);
    }

    private static List<Client> members(List<Pair> pairs) {
        return pairs.stream().flatMap(p -> java.util.stream.Stream.of(p.a, p.b)).toList();
    }

    private static Map<String, List<Client>> conversations(List<Pair> pairs) {
        Map<String, List<Client>> members = new LinkedHashMap<>();
        pairs.forEach(p -> members.put(p.conversation, List.of(p.a, p.b)));
        return members;
    }

    /**
     * Waits up to 30 s for every send to be acked and every delivery made, the senders' own copies included (each
     * connection reads on its own thread: a sender's copy may still be on its way when the recipient's has come).
     */
    private void drain(Ledger ledger, List<Client> everyone) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline
                && (ledger.outstanding() > 0 || everyone.stream().anyMatch(c -> c.unackedCount() > 0)
                || everyone.stream().anyMatch(c -> c.behind() > 0))) {
            Thread.sleep(50);
        }
    }

    /** Sent, acked, delivered, lost and duplicated (by seq, per member and conversation), throughput. */
    private JsonObject counts(Ledger ledger, List<Client> everyone, Map<String, List<Client>> members,
                              long startNanos) {
        long missing = 0;
        for (Map.Entry<String, List<Client>> conversation : members.entrySet()) {
            long last = ledger.lastSeq(conversation.getKey());
            for (Client member : conversation.getValue()) {
                missing += Math.max(0, last - member.highest(conversation.getKey()));
            }
        }
        long unacked = everyone.stream().mapToLong(Client::unackedCount).sum();
        double seconds = (ledger.lastReceivedNanos() - startNanos) / 1e9;
        return new JsonObject().put("sent", ledger.sent.get()).put("acked", ledger.acked.get())
                .put("delivered", ledger.delivered.get())
                .put("deliveredPerSecond", round(seconds <= 0 ? 0 : ledger.delivered.get() / seconds))
                .put("lost", missing + ledger.skipped.get())
                .put("duplicated", ledger.duplicated.get() + ledger.storedTwice.get())
                .put("receivedTwice", ledger.duplicated.get()).put("storedTwice", ledger.storedTwice.get())
                .put("refused", ledger.refused.get()).put("unacked", unacked)
                .put("connections", everyone.stream().filter(Client::live).count());
    }

    // ---- clients ----

    private String token(String user, String role) {
        return keys.token(user, role, user, Duration.ofHours(4));
    }

    private List<Client> connectAll(List<String> ids, String role, Ledger ledger) throws Exception {
        return connectPaced(ids, role, ledger, 0);
    }

    /** Connects a client per id, at most 200 handshakes at a time (and {@code perSecond} a second if above 0). */
    private List<Client> connectPaced(List<String> ids, String role, Ledger ledger, int perSecond) throws Exception {
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
            Client client = new Client(ids.get(i), token(ids.get(i), role), sources.get(i % sources.size()), gateway,
                    vertx, ledger);
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

    private void closeAll(List<Client> group) {
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

    // ---- progress, HTTP, figures ----

    private interface Progress {
        void stop();
    }

    private Progress progress(String what, Ledger ledger, List<Client> connected) {
        long start = System.nanoTime();
        var task = ticker.scheduleAtFixedRate(() -> {
            stats.sample();
            Histogram h = ledger.latencySnapshot();
            out.printf(Locale.ROOT, "[%s] %3.0f s  sent %d  acked %d  delivered %d  waiting %d  p99 %.1f ms  "
                            + "lost-so-far %d  dup %d  connections %d%n", what, (System.nanoTime() - start) / 1e9,
                    ledger.sent.get(), ledger.acked.get(), ledger.delivered.get(), ledger.outstanding(),
                    h.getValueAtPercentile(99) / 1e6, ledger.skipped.get(), ledger.duplicated.get(),
                    connected.stream().filter(Client::live).count());
        }, 1, 1, TimeUnit.SECONDS);
        return () -> task.cancel(false);
    }

    static JsonObject percentiles(Histogram h) {
        return new JsonObject().put("count", h.getTotalCount())
                .put("p50", ms(h.getValueAtPercentile(50))).put("p90", ms(h.getValueAtPercentile(90)))
                .put("p99", ms(h.getValueAtPercentile(99))).put("p99.9", ms(h.getValueAtPercentile(99.9)))
                .put("max", ms(h.getMaxValue()));
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    static JsonObject machine() {
        long memKb = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memKb = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (Exception ignored) {
            // not Linux
        }
        return new JsonObject().put("cores", Runtime.getRuntime().availableProcessors())
                .put("memoryGiB", round(memKb / 1024.0 / 1024.0))
                .put("java", System.getProperty("java.version")).put("os", System.getProperty("os.name") + " "
                        + System.getProperty("os.version"));
    }

    /** The summary table printed at the end: a line per run. */
    static String table(JsonObject results) {
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT,
                "%-22s %9s %8s %8s %8s %8s %8s %6s %5s %7s%n", "run", "delivered", "p50 ms", "p90 ms", "p99 ms",
                "p99.9 ms", "max ms", "lost", "dup", "conns"));
        for (Object o : results.getJsonArray("scenarios")) {
            JsonObject s = (JsonObject) o;
            List<JsonObject> rows = new ArrayList<>();
            switch (s.getString("scenario")) {
                case "pairs" -> s.getJsonArray("runs").forEach(r -> rows.add(((JsonObject) r).copy()
                        .put("label", "pairs " + ((JsonObject) r).getInteger("rate") + "/s")));
                case "max" -> {
                    s.getJsonArray("trials").forEach(r -> rows.add(((JsonObject) r).copy()
                            .put("label", "max trial " + ((JsonObject) r).getInteger("rate") + "/s")));
                    if (s.getJsonObject("held") != null) {
                        rows.add(s.getJsonObject("held").copy().put("label", "max held "
                                + s.getJsonObject("held").getInteger("rate") + "/s"));
                    }
                }
                case "fanout" -> {
                    rows.add(s.copy().put("label", "fanout all deliveries"));
                    rows.add(s.copy().put("latencyMs", s.getJsonObject("lastDeliveryMs"))
                            .put("label", "fanout last member"));
                }
                case "storm" -> rows.add(s.copy().put("label", "storm (resumed "
                        + s.getValue("allResumedSeconds") + " s)"));
                default -> {
                }
            }
            for (JsonObject r : rows) {
                JsonObject l = r.getJsonObject("latencyMs");
                t.append(String.format(Locale.ROOT, "%-22s %9d %8.2f %8.2f %8.2f %8.2f %8.2f %6d %5d %7d%n",
                        r.getString("label"), r.getLong("delivered"), l.getDouble("p50"), l.getDouble("p90"),
                        l.getDouble("p99"), l.getDouble("p99.9"), l.getDouble("max"), r.getLong("lost"),
                        r.getLong("duplicated"), r.getLong("connections")));
            }
            if (s.getString("scenario").equals("idle")) {
                t.append(String.format(Locale.ROOT, "idle: %d of %d connections held; gateway RSS %.1f -> %.1f MiB: "
                                + "%.1f KiB per connection; live heap after a full GC %s -> %s MiB: %s KiB each%n",
                        s.getLong("held"), s.getLong("asked"),
                        s.getDouble("gatewayRssMiBBefore"), s.getDouble("gatewayRssMiBAfter"),
                        s.getDouble("kibPerConnection"), s.getValue("gatewayHeapMiBBefore"),
                        s.getValue("gatewayHeapMiBAfter"), s.getValue("heapKibPerConnection")));
            }
            if (s.getString("scenario").equals("max")) {
                t.append("max: highest rate held with p99 <= ").append(s.getDouble("p99TargetMs")).append(" ms: ")
                        .append(s.getInteger("highestRate")).append(" msg/s\n");
            }
        }
        return t.toString();
    }

    @Override
    public void close() {
        closeAll(new ArrayList<>(clients));
        ticker.shutdownNow();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
