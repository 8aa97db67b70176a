package io.parley.bench.engine;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/** One scenario of the harness: a load run on a {@link LoadRig}, answering its figures for the JSON report. */
public interface Scenario {

    /** The scenario's name: its subcommand and its {@code scenario} field in the report. */
    String name();

    /** Runs the scenario on {@code rig}'s gateway and answers its figures. */
    JsonObject run(LoadRig rig) throws Exception;

    /**
     * What the scenario adds to the environment of the fresh local stack started for it (none by default; a value
     * here wins over the harness's own environment); ignored with {@code --gateway}.
     */
    default Map<String, String> stackEnvironment() {
        return Map.of();
    }
}
