package io.parley.bench.scenarios;

import io.parley.bench.engine.LoadRig;
import io.parley.bench.engine.Pair;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Scenario 1: users in pairs, each pair a direct conversation; each rate on an open loop for a while. */
@Command(name = "pairs", description = "users in pairs, each pair a direct conversation; each rate on an open loop")
public final class Pairs extends HarnessScenario {

    @Option(
            names = "--rates",
            split = ",",
            paramLabel = "MSG/S",
            defaultValue = "100,500,1000,2000",
            description = "messages a second, one run each (default: ${DEFAULT-VALUE})")
    List<Integer> rates;

    @Option(names = "--users", defaultValue = "2000", description = "connected users (default: ${DEFAULT-VALUE})")
    int users;

    @Option(
            names = "--seconds",
            defaultValue = "30",
            description = "measured seconds per rate (default: ${DEFAULT-VALUE})")
    int seconds;

    @Option(
            names = "--warmup",
            defaultValue = "5",
            description = "unreported seconds before each rate (default: ${DEFAULT-VALUE})")
    int warmup;

    @Override
    public String name() {
        return "pairs";
    }

    /** Warms the JVMs up, then one open-loop run per rate: {@code {scenario, users, runs: [...]}}. */
    @Override
    public JsonObject run(LoadRig rig) throws Exception {
        List<Pair> pairs = rig.makePairs(users);
        rig.warmJit(pairs, rates.stream().mapToInt(Integer::intValue).min().orElse(50));
        JsonArray runs = new JsonArray();
        for (int rate : rates) {
            runs.add(rig.openLoop(pairs, rate, seconds, warmup));
        }
        return new JsonObject().put("scenario", "pairs").put("users", users).put("runs", runs);
    }
}
