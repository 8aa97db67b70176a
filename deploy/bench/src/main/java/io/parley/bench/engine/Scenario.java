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
     * Settings (environment variables of README's configuration table) that a fresh stack started for this scenario
     * is given unless the caller's environment names them already; none by default. A running stack
     * ({@code --gateway}) keeps its own.
     */
    default Map<String, String> stackEnvironment() {
        return Map.of();
    }
}
