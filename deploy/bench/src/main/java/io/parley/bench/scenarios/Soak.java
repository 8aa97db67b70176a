package io.parley.bench.scenarios;

import io.parley.bench.engine.Api;
import io.parley.bench.engine.Client;
import io.parley.bench.engine.Growth;
import io.parley.bench.engine.Jvm;
import io.parley.bench.engine.Ledger;
import io.parley.bench.engine.LoadRig;
import io.parley.bench.engine.Pair;
import io.parley.bench.engine.Report;
import io.parley.bench.engine.StackDatabases;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Bounded everything (issue 17): users in pairs send at {@code --rate} for {@code --minutes} on the open loop, while
 * every {@code --sample} seconds the scenario reads each table of each service's database (exact rows, bytes on disk)
 * and each JVM's heap after a full collection. Time is compressed: the stack it starts keeps consumed event ids for
 * {@code --retention} (a week in production) and prunes them every {@code --prune-interval}, and remembers inbox moves
 * for {@code --moves-kept}, so that a run of {@code --minutes} holds many retention windows, each standing for a week.
 * After the settle time (the longest retention plus its pruning), each table and heap is judged by {@link Growth}:
 * bounded, growing by design (what history keeps: the messages), or growing unexpectedly; what grows by design is
 * extrapolated to a week at {@code --rate}. Nothing may be lost or shown twice, as in the other scenarios.
 */
@Command(
        name = "soak",
        description = "pairs sending at a steady rate with short retentions while every table and JVM heap is "
                + "sampled: bounded, growing by design (extrapolated to a week), or growing unexpectedly")
public final class Soak extends HarnessScenario {

    /** Tables that keep a row per message by design: the conversation history itself ({@code database.table}). */
    static final Set<String> HISTORY = Set.of("message.message");

    /** A week in seconds: what a retention window stands for. */
    static final long WEEK_SECONDS = 7L * 24 * 3600;

    /** How often the conversation-service forgets inbox moves older than their window (its fixed schedule). */
    static final Duration INBOX_PRUNE_EVERY = Duration.ofMinutes(1);

    @Option(names = "--users", defaultValue = "200", description = "connected users (default: ${DEFAULT-VALUE})")
    int users;

    @Option(names = "--rate", defaultValue = "100", description = "messages a second (default: ${DEFAULT-VALUE})")
    int rate;

    @Option(
            names = "--minutes",
            defaultValue = "20",
            description = "minutes of sends, decimals allowed (default: ${DEFAULT-VALUE})")
    double minutes;

    @Option(
            names = "--sample",
            defaultValue = "30",
            paramLabel = "SECONDS",
            description = "seconds between two samples of the tables and heaps (default: ${DEFAULT-VALUE})")
    int sample;

    @Option(
            names = "--retention",
            defaultValue = "PT2M",
            paramLabel = "DURATION",
            description = "PARLEY_PROCESSED_EVENTS_RETENTION of the stack started, a week compressed "
                    + "(ISO-8601; default: ${DEFAULT-VALUE})")
    Duration retention;

    @Option(
            names = "--prune-interval",
            defaultValue = "PT30S",
            paramLabel = "DURATION",
            description = "PARLEY_PROCESSED_EVENTS_PRUNE_INTERVAL of the stack started (default: ${DEFAULT-VALUE})")
    Duration pruneInterval;

    @Option(
            names = "--moves-kept",
            defaultValue = "PT2M",
            paramLabel = "DURATION",
            description = "PARLEY_INBOX_MOVES_KEPT of the stack started (default: ${DEFAULT-VALUE})")
    Duration movesKept;

    @Option(
            names = "--settle",
            paramLabel = "SECONDS",
            description = "seconds before growth is judged (default: the longest retention plus its pruning, plus "
                    + "one sample)")
    Double settle;

    @Override
    public String name() {
        return "soak";
    }

    /** The compressed retentions, as the stack's environment (README's configuration table). */
    @Override
    public Map<String, String> stackEnvironment() {
        return Map.of(
                "PARLEY_PROCESSED_EVENTS_RETENTION", retention.toMillis() + "ms",
                "PARLEY_PROCESSED_EVENTS_PRUNE_INTERVAL", pruneInterval.toMillis() + "ms",
                "PARLEY_INBOX_MOVES_KEPT", movesKept.toMillis() + "ms");
    }

    /**
     * Seconds after the first sample before growth is judged: the longest retention has filled and its pruning has
     * run, plus one sample.
     */
    double settleSeconds() {
        if (settle != null) {
            return settle;
        }
        Duration events = retention.plus(pruneInterval);
        Duration moves = movesKept.plus(INBOX_PRUNE_EVERY);
        return Math.max(events.toMillis(), moves.toMillis()) / 1000.0 + sample;
    }

    /**
     * Sends for {@code --minutes}, sampling throughout; answers the counts, the samples, and per table and JVM the
     * verdict with its figures ({@code tables}, {@code heaps}).
     */
    @Override
    public JsonObject run(LoadRig rig) throws Exception {
        Path data = rig.dataDir();
        if (data == null) {
            throw new IllegalStateException("the soak scenario needs the stack's data folder (--data)");
        }
        StackDatabases databases = StackDatabases.of(data);
        List<Pair> pairs = rig.makePairs(users);
        List<Client> everyone = Pair.members(pairs);
        everyone.forEach(Client::reconnectOnDrop);
        Ledger ledger = new Ledger();
        everyone.forEach(c -> c.useLedger(ledger));
        rig.stats().start();
        LoadRig.Progress progress = rig.progress("soak " + rate + "/s", ledger, everyone);
        AtomicBoolean sending = new AtomicBoolean(true);
        long startNanos = System.nanoTime();
        long total = Math.round(rate * minutes * 60);
        Thread sender = new Thread(
                () -> {
                    long interval = TimeUnit.SECONDS.toNanos(1) / rate;
                    for (long i = 0; i < total && sending.get(); i++) {
                        long due = startNanos + i * interval;
                        Api.waitUntil(due);
                        Pair.sendOne(pairs, i, ledger, due);
                    }
                },
                "soak-sender");
        sender.setDaemon(true);
        sender.start();

        Map<String, List<long[]>> tableSamples = new LinkedHashMap<>(); // database.table -> [rows, bytes]
        Map<String, List<long[]>> heapSamples = new LinkedHashMap<>(); // process -> [used, old]
        List<double[]> times = new ArrayList<>(); // [seconds, messages]
        JsonArray samples = new JsonArray();
        try {
            long next = startNanos;
            while (sender.isAlive()) {
                Api.waitUntil(next);
                next += TimeUnit.SECONDS.toNanos(sample);
                samples.add(sampleOnce(rig, databases, ledger, startNanos, times, tableSamples, heapSamples));
            }
            samples.add(sampleOnce(rig, databases, ledger, startNanos, times, tableSamples, heapSamples));
        } finally {
            sending.set(false);
            sender.join();
        }
        JsonArray processes = rig.stats().report();
        // a machine shared with other work may leave a backlog of deliveries: wait as long as it keeps shrinking
        long before;
        do {
            before = ledger.outstanding();
            rig.drain(ledger, everyone);
        } while (ledger.outstanding() > 0 && ledger.outstanding() < before);
        progress.stop();

        double settleAfter = settleSeconds();
        JsonArray tables = new JsonArray();
        tableSamples.forEach((table, values) -> tables.add(tableVerdict(table, values, times, settleAfter)));
        JsonArray heaps = new JsonArray();
        heapSamples.forEach((process, values) -> heaps.add(heapVerdict(process, values, times, settleAfter)));
        double runSeconds = times.get(times.size() - 1)[0];
        JsonObject result = LoadRig.counts(ledger, everyone, Pair.conversations(pairs), startNanos)
                .put("scenario", "soak")
                .put("users", users)
                .put("rate", rate)
                .put("minutes", minutes)
                .put("sampleSeconds", sample)
                .put("stackEnvironment", new JsonObject(new LinkedHashMap<>(stackEnvironment())))
                .put("settleSeconds", settleAfter)
                .put("retentionWindows", Report.round(runSeconds / (retention.toMillis() / 1000.0)))
                .put("weekMessages", (long) rate * WEEK_SECONDS)
                .put("latencyMs", Report.percentiles(ledger.latencySnapshot()))
                .put("tables", tables)
                .put("heaps", heaps)
                .put("unexpected", unexpected(tables, heaps))
                .put("gatewayMaps", "not exposed as metrics: counted within the gateway's heap")
                .put("processes", processes)
                .put("samples", samples);
        rig.closeAll(everyone);
        return result;
    }

    /** One sample of every table and JVM heap; also printed as one line of progress. */
    private JsonObject sampleOnce(
            LoadRig rig,
            StackDatabases databases,
            Ledger ledger,
            long startNanos,
            List<double[]> times,
            Map<String, List<long[]>> tableSamples,
            Map<String, List<long[]>> heapSamples)
            throws Exception {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        // per message stored (acked): on a busy machine the stores may lag the sends
        long messages = ledger.ackedCount();
        int index = times.size();
        times.add(new double[] {seconds, messages});
        JsonObject tableJson = new JsonObject();
        for (String database : databases.databases()) {
            databases.tables(database).forEach((table, size) -> {
                String name = database + "." + table;
                List<long[]> series = tableSamples.computeIfAbsent(name, n -> new ArrayList<>());
                padTo(series, index);
                series.add(new long[] {size.rows(), size.bytes()});
                tableJson.put(name, new JsonArray().add(size.rows()).add(size.bytes()));
            });
        }
        JsonObject heapJson = new JsonObject();
        // every JVM collected and read at once (each jcmd is a JVM start of its own: slow on a busy machine)
        Map<String, java.util.concurrent.CompletableFuture<Jvm.Heap>> reading = new LinkedHashMap<>();
        rig.stats().processes().forEach((process, pids) -> {
            if (!process.equals("postgresql") && !process.equals("harness") && !pids.isEmpty()) {
                reading.put(
                        process,
                        java.util.concurrent.CompletableFuture.supplyAsync(
                                () -> Jvm.heapAfterFullGc(pids.get(0)), Soak::onItsOwnThread));
            }
        });
        for (Map.Entry<String, java.util.concurrent.CompletableFuture<Jvm.Heap>> read : reading.entrySet()) {
            Jvm.Heap heap = read.getValue().join();
            if (heap != null) {
                List<long[]> series = heapSamples.computeIfAbsent(read.getKey(), n -> new ArrayList<>());
                padTo(series, index);
                series.add(new long[] {heap.usedKb(), heap.oldKb()});
                heapJson.put(read.getKey(), new JsonArray().add(heap.usedKb()).add(heap.oldKb()));
            }
        }
        long rows = tableSamples.values().stream()
                .mapToLong(s -> s.get(s.size() - 1)[0])
                .sum();
        rig.out()
                .printf(
                        Locale.ROOT,
                        "sample at %.0f s: %d messages sent, %d stored; %d rows in %d tables; old gen after GC (MiB): "
                                + "%s%n",
                        seconds,
                        ledger.sentCount(),
                        messages,
                        rows,
                        tableSamples.size(),
                        heapJson.fieldNames().stream()
                                .map(p -> p + " " + heapJson.getJsonArray(p).getLong(1) / 1024)
                                .reduce((a, b) -> a + ", " + b)
                                .orElse("-"));
        return new JsonObject()
                .put("seconds", Report.round(seconds))
                .put("sent", ledger.sentCount())
                .put("messages", messages)
                .put("tables", tableJson)
                .put("heapsKiB", heapJson);
    }

    /** Runs {@code task} on a daemon thread of its own (the common pool may have a single thread on 2 cores). */
    private static void onItsOwnThread(Runnable task) {
        Thread thread = new Thread(task, "soak-jcmd");
        thread.setDaemon(true);
        thread.start();
    }

    /** A series that began later than the run (a table made meanwhile, a JVM not readable at first) starts empty. */
    private static void padTo(List<long[]> series, int index) {
        while (series.size() < index) {
            series.add(null);
        }
    }

    private static List<Growth.Sample> series(List<long[]> values, List<double[]> times, int field) {
        List<Growth.Sample> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) != null) {
                out.add(new Growth.Sample(times.get(i)[0], (long) times.get(i)[1], values.get(i)[field]));
            }
        }
        return out;
    }

    /**
     * A table's verdict: bounded when neither its rows nor its bytes climb after the settle time by more than 0.05
     * rows or 10 bytes per message stored meanwhile (plus 10 rows or 256 KiB of slack: a pruned table saw-tooths,
     * PostgreSQL's files grow by pages), whatever the table held before; otherwise growing by design for
     * {@link #HISTORY}, with rows and bytes per message and a week at {@code --rate}, else growing unexpectedly.
     */
    JsonObject tableVerdict(String table, List<long[]> values, List<double[]> times, double settle) {
        Growth.Verdict rows = Growth.judge(series(values, times, 0), settle, 0, 10, 0.05);
        Growth.Verdict bytes = Growth.judge(series(values, times, 1), settle, 0, 256 * 1024, 10);
        String verdict;
        if (!rows.growing() && !bytes.growing()) {
            verdict = "bounded";
        } else if (HISTORY.contains(table)) {
            verdict = "grows by design";
        } else {
            verdict = "grows unexpectedly";
        }
        long week = (long) rate * WEEK_SECONDS;
        return new JsonObject()
                .put("table", table)
                .put("verdict", verdict)
                .put("rows", rows.json())
                .put("bytes", bytes.json())
                .put("rowsPerMessage", Report.round(rows.perMessage()))
                .put("bytesPerMessage", Report.round(bytes.perMessage()))
                .put("weekRows", verdict.equals("bounded") ? rows.secondPeak() : Math.round(rows.perMessage() * week))
                .put(
                        "weekBytes",
                        verdict.equals("bounded") ? bytes.secondPeak() : Math.round(bytes.perMessage() * week));
    }

    /**
     * A JVM's verdict on its old generation after a full GC: bounded unless it climbs by more than 20 % and 16 MiB
     * from the first half of the counted samples to the second.
     */
    JsonObject heapVerdict(String process, List<long[]> values, List<double[]> times, double settle) {
        Growth.Verdict old = Growth.judge(series(values, times, 1), settle, 0.2, 16 * 1024);
        Growth.Verdict used = Growth.judge(series(values, times, 0), settle, 0.2, 16 * 1024);
        List<long[]> present = values.stream().filter(v -> v != null).toList();
        return new JsonObject()
                .put("process", process)
                .put("verdict", old.growing() ? "grows unexpectedly" : "bounded")
                .put("oldKiBAtStart", present.get(0)[1])
                .put("oldKiB", old.json())
                .put("usedKiB", used.json());
    }

    private static JsonArray unexpected(JsonArray tables, JsonArray heaps) {
        JsonArray out = new JsonArray();
        tables.forEach(t -> {
            if (((JsonObject) t).getString("verdict").equals("grows unexpectedly")) {
                out.add(((JsonObject) t).getString("table"));
            }
        });
        heaps.forEach(h -> {
            if (((JsonObject) h).getString("verdict").equals("grows unexpectedly")) {
                out.add(((JsonObject) h).getString("process") + " heap");
            }
        });
        return out;
    }
}
