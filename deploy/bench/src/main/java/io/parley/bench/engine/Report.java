package io.parley.bench.engine;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The figures and how they are written: percentiles of a histogram of nanoseconds in ms, the machine, the harness's
 * summary table and JSON file, and the one-line latency summaries of the other benchmarks.
 */
public final class Report {

    private Report() {}

    /** {@code count}, {@code p50}, {@code p90}, {@code p99}, {@code p99.9} and {@code max} of {@code h} (ns), in ms. */
    public static JsonObject percentiles(Histogram h) {
        return new JsonObject()
                .put("count", h.getTotalCount())
                .put("p50", ms(h.getValueAtPercentile(50)))
                .put("p90", ms(h.getValueAtPercentile(90)))
                .put("p99", ms(h.getValueAtPercentile(99)))
                .put("p99.9", ms(h.getValueAtPercentile(99.9)))
                .put("max", ms(h.getMaxValue()));
    }

    /** {@code nanos} in ms, rounded to two decimals. */
    public static double ms(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }

    /** {@code value} rounded to two decimals. */
    public static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    /** A histogram of nanoseconds up to {@code highestSeconds}, three significant digits. */
    public static Histogram histogram(long highestSeconds) {
        return new Histogram(java.util.concurrent.TimeUnit.SECONDS.toNanos(highestSeconds), 3);
    }

    /** Cores, memory, Java and OS of this machine. */
    public static JsonObject machine() {
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
        return new JsonObject()
                .put("cores", Runtime.getRuntime().availableProcessors())
                .put("memoryGiB", round(memKb / 1024.0 / 1024.0))
                .put("java", System.getProperty("java.version"))
                .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    }

    /** The harness's summary table printed at the end, from its {@code results}: a line per run. */
    public static String table(JsonObject results) {
        StringBuilder t = new StringBuilder(String.format(
                Locale.ROOT,
                "%-22s %9s %8s %8s %8s %8s %8s %6s %5s %7s%n",
                "run",
                "delivered",
                "p50 ms",
                "p90 ms",
                "p99 ms",
                "p99.9 ms",
                "max ms",
                "lost",
                "dup",
                "conns"));
        for (Object o : results.getJsonArray("scenarios")) {
            JsonObject s = (JsonObject) o;
            List<JsonObject> rows = new ArrayList<>();
            switch (s.getString("scenario")) {
                case "pairs" ->
                    s.getJsonArray("runs")
                            .forEach(r -> rows.add(((JsonObject) r)
                                    .copy()
                                    .put("label", "pairs " + ((JsonObject) r).getInteger("rate") + "/s")));
                case "max" -> {
                    s.getJsonArray("trials")
                            .forEach(r -> rows.add(((JsonObject) r)
                                    .copy()
                                    .put("label", "max trial " + ((JsonObject) r).getInteger("rate") + "/s")));
                    if (s.getJsonObject("held") != null) {
                        rows.add(s.getJsonObject("held")
                                .copy()
                                .put(
                                        "label",
                                        "max held " + s.getJsonObject("held").getInteger("rate") + "/s"));
                    }
                }
                case "fanout" -> {
                    rows.add(s.copy().put("label", "fanout all deliveries"));
                    rows.add(s.copy()
                            .put("latencyMs", s.getJsonObject("lastDeliveryMs"))
                            .put("label", "fanout last member"));
                }
                case "storm" -> {
                    rows.add(s.copy()
                            .put(
                                    "label",
                                    "storm SIG" + s.getString("signal", "KILL") + " (resumed "
                                            + s.getValue("allResumedSeconds") + " s)"));
                    if (s.containsKey("reconnectGapMs")) {
                        rows.add(s.copy()
                                .put("latencyMs", s.getJsonObject("reconnectGapMs"))
                                .put("label", "storm gap (" + s.getLong("droppedClients") + " dropped)"));
                    }
                    if (s.containsKey("dropToUpgradeMs")) {
                        rows.add(s.copy()
                                .put("latencyMs", s.getJsonObject("dropToUpgradeMs"))
                                .put("label", "  drop to upgrade (" + s.getLong("failedConnects") + " refused)"));
                        rows.add(s.copy()
                                .put("latencyMs", s.getJsonObject("upgradeToWelcomeMs"))
                                .put("label", "  upgrade to welcome"));
                        rows.add(s.copy()
                                .put("latencyMs", s.getJsonObject("welcomeToResumedMs"))
                                .put("label", "  welcome to resumed"));
                    }
                }
                case "chaos" -> rows.add(s.copy().put("label", "chaos " + s.getInteger("rate") + "/s"));
                case "soak" -> rows.add(s.copy().put("label", "soak " + s.getInteger("rate") + "/s"));
                case "otel-cost" ->
                    rows.add(s.getJsonObject("run")
                            .copy()
                            .put(
                                    "label",
                                    (s.getBoolean("traced") ? "otel " + s.getValue("sampleRatio") : "otel off") + " "
                                            + s.getJsonObject("run").getInteger("rate") + "/s"));
                default -> {}
            }
            for (JsonObject r : rows) {
                JsonObject l = r.getJsonObject("latencyMs");
                t.append(String.format(
                        Locale.ROOT,
                        "%-22s %9d %8.2f %8.2f %8.2f %8.2f %8.2f %6d %5d %7d%n",
                        r.getString("label"),
                        r.getLong("delivered"),
                        l.getDouble("p50"),
                        l.getDouble("p90"),
                        l.getDouble("p99"),
                        l.getDouble("p99.9"),
                        l.getDouble("max"),
                        r.getLong("lost"),
                        r.getLong("duplicated"),
                        r.getLong("connections")));
            }
            if (s.getString("scenario").equals("idle")) {
                t.append(String.format(
                        Locale.ROOT,
                        "idle: %d of %d connections held; gateway RSS %.1f -> %.1f MiB: "
                                + "%.1f KiB per connection; live heap after a full GC %s -> %s MiB: %s KiB each%n",
                        s.getLong("held"),
                        s.getLong("asked"),
                        s.getDouble("gatewayRssMiBBefore"),
                        s.getDouble("gatewayRssMiBAfter"),
                        s.getDouble("kibPerConnection"),
                        s.getValue("gatewayHeapMiBBefore"),
                        s.getValue("gatewayHeapMiBAfter"),
                        s.getValue("heapKibPerConnection")));
            }
            if (s.getString("scenario").equals("chaos")) {
                for (Object f : s.getJsonArray("faults")) {
                    JsonObject fault = (JsonObject) f;
                    t.append(String.format(
                            Locale.ROOT,
                            "chaos: %-20s %3d faults; back after (median/max) %s/%s s; healed %s/%s s after that%n",
                            fault.getString("process"),
                            fault.getInteger("faults"),
                            fault.getJsonObject("backSeconds").getValue("median"),
                            fault.getJsonObject("backSeconds").getValue("max"),
                            fault.getJsonObject("healSeconds").getValue("median"),
                            fault.getJsonObject("healSeconds").getValue("max")));
                }
                if (s.getString("failure") != null) {
                    t.append("chaos: ").append(s.getString("failure")).append('\n');
                }
            }
            if (s.getString("scenario").equals("fuzz")) {
                t.append(String.format(
                        Locale.ROOT,
                        "fuzz: %d inputs (%d requests, %d frames, seed %d) in %d s: %d x 5xx, %d requests without an "
                                + "answer, %d 4xx without a problem body; %d undocumented frames; closes %s "
                                + "(%d unexpected, %d undocumented); stored before: %s%n",
                        s.getLong("inputs"),
                        s.getLong("requests"),
                        s.getLong("frames"),
                        s.getLong("seed"),
                        s.getLong("seconds"),
                        s.getLong("fiveXx"),
                        s.getLong("noAnswer"),
                        s.getLong("fourXxWithoutProblem"),
                        s.getLong("undocumentedAnswers"),
                        s.getJsonObject("closes").encode(),
                        s.getLong("unexpectedCloses"),
                        s.getLong("undocumentedCloses"),
                        s.getJsonArray("keptChanged").isEmpty()
                                ? "unchanged (" + s.getJsonArray("keptChecked").size() + " reads)"
                                : s.getJsonArray("keptChanged").size() + " reads changed"));
                t.append("fuzz: statuses ")
                        .append(s.getJsonObject("statuses").encode())
                        .append('\n');
            }
            if (s.getString("scenario").equals("soak")) {
                t.append(soakTable(s));
            }
            if (s.getString("scenario").equals("otel-cost") && s.getJsonObject("versusOff") != null) {
                t.append(otelCostLine(s));
            }
            if (s.getString("scenario").equals("max")) {
                t.append("max: highest rate held with p99 <= ")
                        .append(s.getDouble("p99TargetMs"))
                        .append(" ms: ")
                        .append(s.getInteger("highestRate"))
                        .append(" msg/s\n");
            }
        }
        return t.toString();
    }

    /**
     * The soak scenario's verdicts: a line per table (rows and MiB at the end, per message, a week at the run's rate)
     * and per JVM (old generation after a full GC, first counted sample to last).
     */
    static String soakTable(JsonObject s) {
        StringBuilder t = new StringBuilder(String.format(
                Locale.ROOT,
                "soak: %s retention windows after %.0f s of settling; a week at %d msg/s = %,d messages%n",
                s.getValue("retentionWindows"),
                s.getDouble("settleSeconds"),
                s.getInteger("rate"),
                s.getLong("weekMessages")));
        t.append(String.format(
                Locale.ROOT,
                "  %-36s %-19s %10s %9s %8s %9s %14s %11s%n",
                "table",
                "verdict",
                "rows end",
                "MiB end",
                "rows/msg",
                "bytes/msg",
                "rows a week",
                "GiB a week"));
        for (Object o : s.getJsonArray("tables")) {
            JsonObject table = (JsonObject) o;
            t.append(String.format(
                    Locale.ROOT,
                    "  %-36s %-19s %10d %9.2f %8.2f %9.1f %,14d %11.2f%n",
                    table.getString("table"),
                    table.getString("verdict"),
                    table.getJsonObject("rows").getLong("last"),
                    table.getJsonObject("bytes").getLong("last") / 1048576.0,
                    table.getDouble("rowsPerMessage"),
                    table.getDouble("bytesPerMessage"),
                    table.getLong("weekRows"),
                    table.getLong("weekBytes") / 1073741824.0));
        }
        for (Object o : s.getJsonArray("heaps")) {
            JsonObject heap = (JsonObject) o;
            JsonObject old = heap.getJsonObject("oldKiB");
            t.append(String.format(
                    Locale.ROOT,
                    "  heap %-31s %-19s old gen after full GC: %.1f MiB at start, %.1f -> %.1f MiB once settled "
                            + "(peaks %.1f, %.1f)%n",
                    heap.getString("process"),
                    heap.getString("verdict"),
                    heap.getLong("oldKiBAtStart") / 1024.0,
                    old.getLong("first") / 1024.0,
                    old.getLong("last") / 1024.0,
                    old.getLong("firstHalfPeak") / 1024.0,
                    old.getLong("secondHalfPeak") / 1024.0));
        }
        if (!s.getJsonArray("unexpected").isEmpty()) {
            t.append("  growing unexpectedly: ")
                    .append(s.getJsonArray("unexpected").encode())
                    .append('\n');
        }
        return t.toString();
    }

    /**
     * The otel-cost scenario's comparison of a traced run with the untraced one before it (its {@code versusOff}),
     * and the spans that reached the sink: one line.
     */
    public static String otelCostLine(JsonObject on) {
        JsonObject v = on.getJsonObject("versusOff");
        JsonObject exported = on.getJsonObject("exported");
        return String.format(
                Locale.ROOT,
                "otel-cost: traces sampled at %s vs off: stack CPU %+.2f %% (target <= %.0f %%), p99 %+.2f ms "
                        + "(target <= %.0f ms): %s; %d spans in %d export requests (%d bytes) reached the sink%n",
                on.getValue("sampleRatio"),
                v.getDouble("cpuPercentMore"),
                v.getDouble("cpuTargetPercent"),
                v.getDouble("p99MsMore"),
                v.getDouble("p99TargetMs"),
                v.getBoolean("met") ? "met" : "NOT met",
                exported.getLong("spans"),
                exported.getLong("requests"),
                exported.getLong("bytes"));
    }

    /**
     * Writes the harness's {@code results} to {@code json} (its folder made if need be) and prints the summary table
     * and the file's name on {@code out}.
     */
    public static void write(JsonObject results, Path json, PrintStream out) throws IOException {
        Files.createDirectories(json.toAbsolutePath().getParent());
        Files.writeString(json, results.encodePrettily());
        out.println();
        out.println(table(results));
        out.println("results as JSON: " + json);
    }

    /** {@code "<what>, ms: p50 .. p90 .. p99 .. p99.9 .. max .."}: the inbox's and the desk's line. */
    public static String latencyLine(String what, Histogram h) {
        return String.format(
                Locale.ROOT,
                "%s, ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f",
                what,
                h.getValueAtPercentile(50) / 1e6,
                h.getValueAtPercentile(90) / 1e6,
                h.getValueAtPercentile(99) / 1e6,
                h.getValueAtPercentile(99.9) / 1e6,
                h.getMaxValue() / 1e6);
    }

    /** {@code "latency ms: p50 ..  p90 ..  p99 ..  p99.9 ..  max ..  (n=..)"}: the send path's line. */
    public static String latencyWithCount(Histogram h) {
        return String.format(
                Locale.ROOT,
                "latency ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  (n=%d)",
                h.getValueAtPercentile(50) / 1e6,
                h.getValueAtPercentile(90) / 1e6,
                h.getValueAtPercentile(99) / 1e6,
                h.getValueAtPercentile(99.9) / 1e6,
                h.getMaxValue() / 1e6,
                h.getTotalCount());
    }
}
