package io.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.bench.engine.Report;
import io.parley.bench.engine.StackProcess;
import io.parley.infra.FreePort;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The harness at a tiny scale on a local stack of the packaged services, every scenario, so that it cannot rot:
 * nothing lost, nothing duplicated, every send acked and delivered, every client back after the gateway is killed;
 * then 2,000 generated requests and frames ({@code fuzz}) without a 5xx or an undocumented close, and a
 * tiny soak on the same stack (its consumed event ids kept 5 s) judges every table and heap.
 * Timings are printed, never asserted.
 */
class HarnessIT {

    @Test
    void everyScenarioRunsAtATinyScaleWithoutLossOrDuplicates() throws Exception {
        Path repository =
                Path.of(System.getProperty("user.dir")).resolve("../..").normalize();
        Path data = Files.createTempDirectory("parley-harness-");
        Map<String, String> env = new HashMap<>();
        for (String name : List.of(
                "GATEWAY", "CONVERSATION", "MESSAGE", "NOTIFICATION", "KAFKA", "KAFKA_CONTROLLER", "POSTGRES")) {
            env.put("PARLEY_" + name + "_PORT", String.valueOf(FreePort.find()));
        }
        // the soak's compressed week: consumed event ids kept 5 s, pruned every second
        env.put("PARLEY_PROCESSED_EVENTS_RETENTION", "5s");
        env.put("PARLEY_PROCESSED_EVENTS_PRUNE_INTERVAL", "1s");
        PrintStream out = System.out;
        JsonObject results;
        JsonObject fuzz;
        JsonObject soakResults;
        try (StackProcess stack = StackProcess.start(repository, data, env, out)) {
            results = Bench.harness(
                            "all",
                            "--gateway",
                            "http://127.0.0.1:" + env.get("PARLEY_GATEWAY_PORT"),
                            "--data",
                            data.toString(),
                            "--jit-warmup",
                            "1",
                            "--users",
                            "6",
                            "--rates",
                            "20,40",
                            "--seconds",
                            "2",
                            "--warmup",
                            "1",
                            "--start",
                            "20",
                            "--step",
                            "20",
                            "--max-rate",
                            "40",
                            "--trial",
                            "2",
                            "--hold",
                            "2",
                            "--members",
                            "5",
                            "--messages",
                            "5",
                            "--interval",
                            "100",
                            "--connections",
                            "20",
                            "--connect-rate",
                            "0",
                            "--rate",
                            "10",
                            "--before",
                            "2",
                            "--after",
                            "2")
                    .run(repository, env, out);
            fuzz = Bench.harness(
                            "fuzz",
                            "--gateway",
                            "http://127.0.0.1:" + env.get("PARLEY_GATEWAY_PORT"),
                            "--data",
                            data.toString(),
                            "--inputs",
                            "2000",
                            "--users",
                            "40",
                            "--sockets",
                            "4")
                    .run(repository, env, out);
            soakResults = Bench.harness(
                            "soak",
                            "--gateway",
                            "http://127.0.0.1:" + env.get("PARLEY_GATEWAY_PORT"),
                            "--data",
                            data.toString(),
                            "--users",
                            "6",
                            "--rate",
                            "10",
                            "--minutes",
                            "0.75",
                            "--sample",
                            "3",
                            "--retention",
                            "PT5S",
                            "--prune-interval",
                            "PT1S",
                            "--settle",
                            "12")
                    .run(repository, env, out);
        }
        out.println(Report.table(results));
        out.println(Report.table(fuzz));
        out.println(Report.table(soakResults));

        Map<String, JsonObject> by = new HashMap<>();
        results.getJsonArray("scenarios").forEach(s -> by.put(((JsonObject) s).getString("scenario"), (JsonObject) s));
        assertThat(by).containsOnlyKeys("pairs", "max", "fanout", "idle", "storm");

        assertThat(by.get("pairs").getJsonArray("runs")).hasSize(2);
        by.get("pairs").getJsonArray("runs").forEach(r -> complete((JsonObject) r, 1));
        JsonObject max = by.get("max");
        assertThat(max.getJsonArray("trials")).isNotEmpty();
        max.getJsonArray("trials").forEach(r -> complete((JsonObject) r, 1));
        // Which rate holds p99 within 100 ms on a cold stack sharing two cores with the build is a measurement, not a
        // property (0 when even the first trial's p99 is over): only the result's shape and the deliveries are checked.
        assertThat(max.getInteger("highestRate")).isBetween(0, 40);
        if (max.containsKey("held")) {
            complete(max.getJsonObject("held"), 1);
        }

        JsonObject fanout = by.get("fanout");
        complete(fanout, 4);
        assertThat(fanout.getJsonObject("lastDeliveryMs").getLong("count")).isEqualTo(5);
        assertThat(fanout.getLong("sent")).isEqualTo(5); // measured; the warm-up (1 s at 100 ms) apart
        assertThat(fanout.getJsonObject("warmUp").getLong("sent")).isEqualTo(10);

        JsonObject idle = by.get("idle");
        assertThat(idle.getLong("held")).isEqualTo(20);

        JsonObject storm = by.get("storm");
        assertThat(storm.getValue("allResumedSeconds"))
                .as("every client resumed after the gateway was killed")
                .isNotNull();
        complete(storm, 1);
        assertThat(storm.getJsonArray("processes").stream().map(p -> ((JsonObject) p).getString("process")))
                .contains("gateway", "message-service", "postgresql", "kafka", "harness");

        fuzzKeptTheContract(fuzz.getJsonArray("scenarios").getJsonObject(0));
        soakJudged(soakResults);
    }

    /** Every generated input sent, no 5xx, no undocumented answer or close, what was stored before unchanged. */
    private static void fuzzKeptTheContract(JsonObject run) {
        assertThat(run.getLong("inputs")).as("inputs sent").isGreaterThanOrEqualTo(2000);
        assertThat(run.getLong("fiveXx"))
                .as("5xx answers; failures: %s", run.getJsonArray("failures"))
                .isZero();
        assertThat(run.getLong("noAnswer")).as("requests without an answer").isZero();
        assertThat(run.getLong("fourXxWithoutProblem"))
                .as("4xx without a problem body")
                .isZero();
        assertThat(run.getLong("undocumentedAnswers")).as("undocumented frames").isZero();
        assertThat(run.getLong("undocumentedCloses")).as("undocumented closes").isZero();
        assertThat(run.getLong("unexpectedCloses")).as("closes but 1009").isZero();
        assertThat(run.getLong("senderCrashes")).as("senders that stopped").isZero();
        assertThat(run.getJsonArray("keptChanged")).as("what was stored before").isEmpty();
        assertThat(run.getJsonArray("keptChecked"))
                .as("reads of what was stored before")
                .hasSize(11);
    }

    /**
     * The soak at a tiny scale: nothing lost; every service's database sampled; the messages kept one row each (by
     * design), the consumed event ids pruned back within their 5 s (bounded); every service's heap read.
     */
    private static void soakJudged(JsonObject soakResults) {
        JsonObject soak = soakResults.getJsonArray("scenarios").getJsonObject(0);
        assertThat(soak.getString("scenario")).isEqualTo("soak");
        complete(soak, 1);
        Map<String, JsonObject> tables = new HashMap<>();
        soak.getJsonArray("tables").forEach(t -> tables.put(((JsonObject) t).getString("table"), (JsonObject) t));
        assertThat(tables)
                .containsKeys(
                        "conversation.processed_event",
                        "message.message",
                        "message.outbox",
                        "notification.processed_event",
                        "gateway.presence_connection");
        JsonObject messages = tables.get("message.message");
        assertThat(messages.getString("verdict")).as("messages: %s", messages).isEqualTo("grows by design");
        assertThat(messages.getDouble("rowsPerMessage"))
                .as("messages: %s", messages)
                .isBetween(0.8, 1.2);
        for (String table : List.of("conversation.processed_event", "notification.processed_event")) {
            assertThat(tables.get(table).getString("verdict"))
                    .as("%s: %s", table, tables.get(table))
                    .isEqualTo("bounded");
        }
        assertThat(soak.getJsonArray("heaps").stream().map(h -> ((JsonObject) h).getString("process")))
                .contains("gateway", "conversation-service", "message-service", "notification-service");
    }

    /** Every send acked once, every recipient got each message once, in seq order, nothing refused. */
    private static void complete(JsonObject run, int recipients) {
        assertThat(run.getLong("sent")).as("sent in %s", run).isPositive();
        assertThat(run.getLong("acked")).as("acked in %s", run).isEqualTo(run.getLong("sent"));
        assertThat(run.getLong("delivered")).as("delivered in %s", run).isEqualTo(run.getLong("sent") * recipients);
        assertThat(run.getLong("lost")).as("lost in %s", run).isZero();
        assertThat(run.getLong("duplicated")).as("duplicated in %s", run).isZero();
        assertThat(run.getLong("refused")).as("refused in %s", run).isZero();
        assertThat(run.getLong("unacked")).as("unacked in %s", run).isZero();
    }
}
