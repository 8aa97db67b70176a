package io.parley.bench.scenarios;

import io.parley.bench.engine.LoadRig;
import io.parley.bench.engine.OtlpSink;
import io.parley.bench.engine.Pair;
import io.parley.bench.engine.Report;
import io.parley.bench.engine.Scenario;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * What traces cost (issue 18's target: at 1,000 msg/s with 1 % of traces sampled, at most 5 % more CPU and 1 ms more
 * p99 than with traces off): the pairs scenario's open loop at one rate, on a fresh stack with traces off, then on a
 * fresh stack with traces on ({@code PARLEY_OTEL_ENDPOINT} naming an {@link OtlpSink} the harness runs, OTLP over
 * HTTP/protobuf, {@code PARLEY_OTEL_SAMPLE_RATIO} the sample), in one sitting; {@code --rounds} repeats the pair of
 * runs, alternating. Each traced run is compared with the untraced run before it: the stack's CPU (every process
 * but the harness, over the measured window) and the end-to-end p99.
 */
@Command(
        name = "otel-cost",
        description = "what traces cost: pairs at one rate on a stack with traces off, then on one with traces sampled "
                + "and exported to a sink the harness runs; CPU and p99 side by side")
public final class OtelCost extends HarnessCommand {

    /** Issue 18's targets for the traced run against the untraced one. */
    static final double CPU_TARGET_PERCENT = 5;

    static final double P99_TARGET_MS = 1;

    @Option(names = "--rate", defaultValue = "1000", description = "messages a second (default: ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--users", defaultValue = "2000", description = "connected users (default: ${DEFAULT-VALUE})")
    int users;

    @Option(
            names = "--seconds",
            defaultValue = "60",
            description = "measured seconds per run (default: ${DEFAULT-VALUE})")
    int seconds;

    @Option(
            names = "--warmup",
            defaultValue = "5",
            description = "unreported seconds before each run (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(
            names = "--sample",
            defaultValue = "0.01",
            description =
                    "the share of traces recorded in the traced runs, above 0 up to 1 (default: ${DEFAULT-VALUE})")
    double sample;

    @Option(
            names = "--rounds",
            defaultValue = "1",
            description = "pairs of runs, traces off then on, each on a fresh stack (default: ${DEFAULT-VALUE})")
    int rounds;

    /** The sink while the runs go on. */
    private OtlpSink sink;

    /** Traces off, then on, {@code --rounds} times. */
    @Override
    public List<? extends Scenario> scenarios() {
        List<Scenario> runs = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            runs.add(new Run(false));
            runs.add(new Run(true));
        }
        return runs;
    }

    /**
     * Starts the sink, runs the pairs of runs on fresh stacks, and adds to each traced run its comparison with the
     * untraced one before it ({@code versusOff}). Refuses {@code --gateway}: a running stack's tracing cannot be
     * switched.
     */
    @Override
    public JsonObject run(Path repository, Map<String, String> env, PrintStream out) throws Exception {
        CommandLine line = spec == null ? new CommandLine(this) : spec.commandLine();
        if (target.gateway() != null) {
            throw new ParameterException(line, "otel-cost starts its own stacks (traces off, then on): no --gateway");
        }
        if (!(sample > 0 && sample <= 1) || rounds < 1 || rate < 1) {
            throw new ParameterException(line, "--sample must be above 0 and at most 1, --rounds and --rate positive");
        }
        try (OtlpSink started = OtlpSink.start()) {
            sink = started;
            out.println("OTLP sink for the traced runs at " + sink.endpoint());
            JsonObject results = super.run(repository, env, out);
            compare(results.getJsonArray("scenarios"), out);
            return results;
        } finally {
            sink = null;
        }
    }

    /** Puts {@code versusOff} in each traced run's figures, from the untraced run just before it, and prints it. */
    static void compare(JsonArray runs, PrintStream out) {
        JsonObject off = null;
        for (Object o : runs) {
            JsonObject run = (JsonObject) o;
            if (!run.getBoolean("traced")) {
                off = run;
                continue;
            }
            if (off == null) {
                continue;
            }
            JsonObject versus = versus(off, run);
            run.put("versusOff", versus);
            out.print(Report.otelCostLine(run));
        }
    }

    /** The traced run {@code on} against the untraced {@code off}: more CPU in %, more p99 in ms, targets met. */
    static JsonObject versus(JsonObject off, JsonObject on) {
        double cpuOff = off.getJsonObject("run").getDouble("stackCpuPercentOfOneCore");
        double cpuOn = on.getJsonObject("run").getDouble("stackCpuPercentOfOneCore");
        double p99Off = off.getJsonObject("run").getJsonObject("latencyMs").getDouble("p99");
        double p99On = on.getJsonObject("run").getJsonObject("latencyMs").getDouble("p99");
        double cpuMore = cpuOff > 0 ? 100 * (cpuOn - cpuOff) / cpuOff : 0;
        double p99More = p99On - p99Off;
        return new JsonObject()
                .put("cpuPercentMore", Report.round(cpuMore))
                .put("p99MsMore", Report.round(p99More))
                .put("cpuTargetPercent", CPU_TARGET_PERCENT)
                .put("p99TargetMs", P99_TARGET_MS)
                .put("met", cpuMore <= CPU_TARGET_PERCENT && p99More <= P99_TARGET_MS);
    }

    /** The stack's CPU over a run's window: the share of one core of every process but the harness, summed. */
    static double stackCpu(JsonArray processes) {
        double sum = 0;
        for (Object o : processes) {
            JsonObject p = (JsonObject) o;
            if (!"harness".equals(p.getString("process"))) {
                sum += p.getDouble("cpuPercentOfOneCore");
            }
        }
        return Report.round(sum);
    }

    /** One run: traces off, or on and sampled at {@code --sample}. */
    final class Run implements Scenario {

        private final boolean traced;

        Run(boolean traced) {
            this.traced = traced;
        }

        /** {@code otel-cost-off} or {@code otel-cost-on}: the header of its progress and its stack's folder. */
        @Override
        public String name() {
            return traced ? "otel-cost-on" : "otel-cost-off";
        }

        /**
         * Off: no endpoint (an empty one is none, even if the harness's own environment names one). On: the sink,
         * the sample, and OTLP over HTTP/protobuf, which the sink speaks.
         */
        @Override
        public Map<String, String> stackEnvironment() {
            if (!traced) {
                return Map.of("PARLEY_OTEL_ENDPOINT", "");
            }
            return Map.of(
                    "PARLEY_OTEL_ENDPOINT",
                    sink == null ? "" : sink.endpoint(),
                    "PARLEY_OTEL_SAMPLE_RATIO",
                    Double.toString(sample),
                    "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
                    "http/protobuf");
        }

        /**
         * Warms the JVMs up, then the open loop at {@code --rate}: {@code {scenario: otel-cost, traced, sampleRatio,
         * users, run: {...pairs' figures, stackCpuPercentOfOneCore}, exported: {requests, bytes, spans,
         * unreadable}}}, exported being what reached the sink from the end of the warm-up to the end of the run.
         */
        @Override
        public JsonObject run(LoadRig rig) throws Exception {
            List<Pair> pairs = rig.makePairs(users);
            rig.warmJit(pairs, rate);
            OtlpSink.Received before = sink.received();
            JsonObject run = rig.openLoop(pairs, rate, seconds, warmup);
            OtlpSink.Received got = sink.received().minus(before);
            run.put("stackCpuPercentOfOneCore", stackCpu(run.getJsonArray("processes")));
            if (traced && got.spans() == 0) {
                rig.out().println("no span reached the sink: were the services built with quarkus-opentelemetry?");
            }
            if (!traced && got.requests() > 0) {
                rig.out().println("the untraced stack exported spans: its figures are not those of traces off");
            }
            return new JsonObject()
                    .put("scenario", "otel-cost")
                    .put("traced", traced)
                    .put("sampleRatio", traced ? sample : 0.0)
                    .put("users", users)
                    .put("run", run)
                    .put(
                            "exported",
                            new JsonObject()
                                    .put("requests", got.requests())
                                    .put("bytes", got.bytes())
                                    .put("spans", got.spans())
                                    .put("unreadable", got.unreadable()));
        }
    }
}
