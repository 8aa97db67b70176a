package io.parley.bench.scenarios;

import io.parley.bench.engine.HarnessRun;
import io.parley.bench.engine.Report;
import io.parley.bench.engine.Scenario;
import io.parley.bench.engine.Target;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A subcommand of the harness (deploy/bench/harness.sh): one scenario, or {@code all} of them, against the
 * {@link Target}; prints progress, a table at the end, and writes the JSON report.
 */
public abstract class HarnessCommand implements Callable<Integer> {

    @Mixin
    Target target = new Target();

    @Spec
    CommandSpec spec;

    /** The scenarios this command runs, in order, with the options given. */
    public abstract List<? extends Scenario> scenarios();

    /** The command line as given, as the report records it: {@code deploy/bench/harness.sh <scenario> ...}. */
    String command() {
        return "deploy/bench/harness.sh "
                + String.join(" ", spec.root().commandLine().getParseResult().originalArgs());
    }

    /**
     * Runs the scenarios against the target, on fresh stacks of {@code repository} started with {@code env} when no
     * gateway is given; progress on {@code out}. Answers the report.
     */
    public JsonObject run(Path repository, Map<String, String> env, PrintStream out) throws Exception {
        return HarnessRun.run(target, scenarios(), command(), repository, env, out);
    }

    /** Runs, writes the report's JSON and prints its table; the repository is the parley.repository property. */
    @Override
    public Integer call() throws Exception {
        Path repository = Path.of(System.getProperty("parley.repository", "."))
                .toAbsolutePath()
                .normalize();
        Path json = target.json(repository, Instant.now().toString());
        JsonObject results = run(repository, new HashMap<>(System.getenv()), System.out);
        Report.write(results, json, System.out);
        return 0;
    }
}
