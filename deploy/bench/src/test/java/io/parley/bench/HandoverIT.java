package io.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.bench.engine.Report;
import io.parley.bench.engine.StackProcess;
import io.parley.infra.FreePort;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two gateways behind the local stack's one address ({@code PARLEY_GATEWAYS=2}, issue 16), under load: one is sent
 * SIGTERM, as a rolling update does (its clients are closed with 1012 over its drain time and reconnect through the
 * same address to the other gateway), then SIGKILL. Each time only that gateway's clients drop, every one of them
 * resumes, and every message sent meanwhile is acked once and delivered once. Times are printed, never asserted.
 */
class HandoverIT {

    private static final int USERS = 40;

    @Test
    void aGatewayStoppedUnderLoadHandsItsClientsToTheOtherLosingNothing() throws Exception {
        Path repository =
                Path.of(System.getProperty("user.dir")).resolve("../..").normalize();
        Path data = Files.createTempDirectory("parley-handover-");
        Map<String, String> env = new HashMap<>();
        for (String name : List.of(
                "GATEWAY", "CONVERSATION", "MESSAGE", "NOTIFICATION", "KAFKA", "KAFKA_CONTROLLER", "POSTGRES")) {
            env.put("PARLEY_" + name + "_PORT", String.valueOf(FreePort.find()));
        }
        env.put("PARLEY_GATEWAYS", "2");
        PrintStream out = System.out;
        JsonObject term;
        JsonObject kill;
        try (StackProcess stack = StackProcess.start(repository, data, env, out)) {
            term = storm(repository, data, env, out, "TERM");
            // the launcher starts the stopped gateway again; the next storm needs clients on both
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!(Files.exists(data.resolve("restarts"))
                    && Files.readAllLines(data.resolve("restarts")).stream()
                            .anyMatch(l -> l.startsWith("gateway-1 ")))) {
                assertThat(System.nanoTime())
                        .as("gateway-1 ready again within 90 s")
                        .isLessThan(deadline);
                Thread.sleep(200);
            }
            kill = storm(repository, data, env, out, "KILL");
        }
        out.println(Report.table(term));
        out.println(Report.table(kill));
        handedOver(term.getJsonArray("scenarios").getJsonObject(0));
        handedOver(kill.getJsonArray("scenarios").getJsonObject(0));
    }

    private static JsonObject storm(Path repository, Path data, Map<String, String> env, PrintStream out, String signal)
            throws Exception {
        return Bench.harness(
                        "storm",
                        "--gateway",
                        "http://127.0.0.1:" + env.get("PARLEY_GATEWAY_PORT"),
                        "--data",
                        data.toString(),
                        "--jit-warmup",
                        "0",
                        "--users",
                        String.valueOf(USERS),
                        "--rate",
                        "20",
                        "--before",
                        "3",
                        "--after",
                        "3",
                        "--signal",
                        signal)
                .run(repository, env, out);
    }

    /** Some clients (those of the stopped gateway), not all, dropped; all of them resumed; nothing lost or twice. */
    private static void handedOver(JsonObject run) {
        assertThat(run.getValue("allResumedSeconds"))
                .as("every dropped client resumed: %s", run)
                .isNotNull();
        assertThat(run.getLong("droppedClients"))
                .as("clients of the stopped gateway only: %s", run)
                .isPositive()
                .isLessThan(USERS);
        assertThat(run.getLong("sent")).as("sent in %s", run).isPositive();
        assertThat(run.getLong("acked")).as("acked in %s", run).isEqualTo(run.getLong("sent"));
        assertThat(run.getLong("delivered")).as("delivered in %s", run).isEqualTo(run.getLong("sent"));
        assertThat(run.getLong("lost")).as("lost in %s", run).isZero();
        assertThat(run.getLong("duplicated")).as("duplicated in %s", run).isZero();
        assertThat(run.getLong("unacked")).as("unacked in %s", run).isZero();
    }
}
