package io.parley.bench.engine;

import io.parley.infra.DevKeys;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs harness scenarios one after the other, each against the running gateway of the {@link Target} or on a fresh
 * local stack started and stopped for it, and assembles the report: machine, time, the services' JVM options, the
 * command, and each scenario's figures.
 */
public final class HarnessRun {

    /** The services' JVM options on a stack the harness starts, unless PARLEY_JAVA_OPTS says otherwise. */
    public static final String BENCH_JAVA_OPTS = "-Xms256m -Xmx512m -XX:+UseParallelGC";

    private HarnessRun() {}

    /**
     * Runs {@code scenarios} against {@code target}, a fresh stack of {@code repository}'s packaged services (started
     * with {@code env}, which gains PARLEY_JAVA_OPTS if it lacks it, and the scenario's
     * {@link Scenario#stackEnvironment()}) when no gateway is given; progress on
     * {@code out}. Answers the report, {@code command} being the command line it records.
     */
    public static JsonObject run(
            Target target,
            List<? extends Scenario> scenarios,
            String command,
            Path repository,
            Map<String, String> env,
            PrintStream out)
            throws Exception {
        JsonArray done = new JsonArray();
        for (Scenario scenario : scenarios) {
            out.printf(Locale.ROOT, "== %s%n", scenario.name());
            if (target.gateway() != null) {
                Path data = target.data(repository);
                try (LoadRig rig = new LoadRig(
                        target.gateway(), keys(target, data), data, target.sources(), target.jitWarmup(), out)) {
                    done.add(scenario.run(rig));
                }
            } else {
                Path data = target.stackData(repository, scenario.name());
                out.println("starting a local stack in " + data);
                // throughput-minded JVM options unless the caller chose others (the stack's own default favours
                // memory and start-up: C1 only, a small serial heap)
                env.putIfAbsent("PARLEY_JAVA_OPTS", BENCH_JAVA_OPTS);
                Map<String, String> stackEnv = new HashMap<>(env);
                stackEnv.putAll(scenario.stackEnvironment());
                try (StackProcess stack = StackProcess.start(repository, data, stackEnv, out);
                        LoadRig rig = new LoadRig(
                                URI.create("http://127.0.0.1:" + env.getOrDefault("PARLEY_GATEWAY_PORT", "8080")),
                                keys(target, data),
                                data,
                                target.sources(),
                                target.jitWarmup(),
                                out)) {
                    done.add(scenario.run(rig));
                }
            }
        }
        return new JsonObject()
                .put("machine", Report.machine())
                .put("at", Instant.now().toString())
                .put("serviceJavaOptions", env.getOrDefault("PARLEY_JAVA_OPTS", "(the stack's default)"))
                .put("command", command)
                .put("scenarios", done);
    }

    private static DevKeys keys(Target target, Path data) throws Exception {
        return DevKeys.loadOrCreate(target.keysDir(data), target.issuer());
    }
}
