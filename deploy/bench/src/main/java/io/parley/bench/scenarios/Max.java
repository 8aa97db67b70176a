package io.parley.bench.scenarios;

import io.parley.bench.engine.LoadRig;
import io.parley.bench.engine.Pair;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Scenario 2: rates up from {@code --start} until p99 passes the target; the highest that held, then for longer. */
@Command(
        name = "max",
        description = "the highest rate held with p99 under --p99: trials up from --start, then --hold s")
public final class Max extends HarnessScenario {

    @Option(names = "--users", defaultValue = "2000", description = "connected users (default: ${DEFAULT-VALUE})")
    int users;

    @Option(
            names = "--start",
            defaultValue = "1000",
            description = "the first trial's msg/s (default: ${DEFAULT-VALUE})")
    int start;

    @Option(names = "--step", defaultValue = "500", description = "msg/s added per trial (default: ${DEFAULT-VALUE})")
    int step;

    @Option(names = "--trial", defaultValue = "15", description = "seconds per trial (default: ${DEFAULT-VALUE})")
    int trial;

    @Option(
            names = "--hold",
            defaultValue = "60",
            description = "seconds the best rate must hold (default: ${DEFAULT-VALUE})")
    int hold;

    @Option(
            names = "--p99",
            defaultValue = "100",
            paramLabel = "MS",
            description = "the p99 bound in ms (default: ${DEFAULT-VALUE})")
    double p99;

    @Option(
            names = "--max-rate",
            defaultValue = "20000",
            description = "the highest rate tried (default: ${DEFAULT-VALUE})")
    int maxRate;

    @Override
    public String name() {
        return "max";
    }

    /** Trials up by steps until one fails, then the best for longer (a step down if it does not hold). */
    @Override
    public JsonObject run(LoadRig rig) throws Exception {
        List<Pair> pairs = rig.makePairs(users);
        rig.warmJit(pairs, start);
        JsonArray trials = new JsonArray();
        int best = 0;
        for (int rate = start; rate <= maxRate; rate += step) {
            JsonObject run = rig.openLoop(pairs, rate, trial, 3);
            trials.add(run);
            if (!held(run, p99)) {
                break;
            }
            best = rate;
        }
        JsonObject result = new JsonObject()
                .put("scenario", "max")
                .put("users", users)
                .put("p99TargetMs", p99)
                .put("trials", trials);
        while (best > 0) {
            JsonObject confirm = rig.openLoop(pairs, best, hold, 5);
            result.put("held", confirm);
            if (held(confirm, p99)) {
                break;
            }
            best -= step; // it did not hold for the whole minute: one step down
        }
        return result.put("highestRate", best);
    }

    /** Whether a run held: p99 within the bound, nothing lost, at least 95 % of its rate delivered. */
    static boolean held(JsonObject run, double p99TargetMs) {
        return run.getJsonObject("latencyMs").getDouble("p99") <= p99TargetMs
                && run.getLong("lost") == 0
                && run.getDouble("deliveredPerSecond") >= 0.95 * run.getInteger("rate");
    }
}
