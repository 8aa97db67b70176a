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
 * The chaos scenario at a small scale (issue 17): pairs keep sending while each process of the stack (the three
 * services, the gateway, the Kafka broker, PostgreSQL) is killed with SIGKILL once and started again by the launcher.
 * Every acked message is delivered, none twice, every client is back, every fault healed. Times are printed, never
 * asserted.
 */
class ChaosIT {

    @Test
    void everyProcessKilledUnderLoadLosesNothingAndShowsNothingTwice() throws Exception {
        Path repository =
                Path.of(System.getProperty("user.dir")).resolve("../..").normalize();
        Path data = Files.createTempDirectory("parley-chaos-");
        Map<String, String> env = new HashMap<>();
        for (String name : List.of(
                "GATEWAY", "CONVERSATION", "MESSAGE", "NOTIFICATION", "KAFKA", "KAFKA_CONTROLLER", "POSTGRES")) {
            env.put("PARLEY_" + name + "_PORT", String.valueOf(FreePort.find()));
        }
        PrintStream out = System.out;
        JsonObject results;
        try (StackProcess stack = StackProcess.start(repository, data, env, out)) {
            results = Bench.harness(
                            "chaos",
                            "--gateway",
                            "http://127.0.0.1:" + env.get("PARLEY_GATEWAY_PORT"),
                            "--data",
                            data.toString(),
                            "--jit-warmup",
                            "0",
                            "--users",
                            "8",
                            "--rate",
                            "10",
                            "--rounds",
                            "1",
                            "--pause",
                            "1")
                    .run(repository, env, out);
        }
        out.println(Report.table(results));
        JsonObject chaos = results.getJsonArray("scenarios").getJsonObject(0);
        assertThat(chaos.getString("failure")).as("every fault healed").isNull();
        assertThat(chaos.getJsonArray("faults").stream()
                        .map(f -> ((JsonObject) f).getString("process") + " " + ((JsonObject) f).getInteger("faults")))
                .containsExactly(
                        "conversation-service 1",
                        "message-service 1",
                        "notification-service 1",
                        "gateway 1",
                        "kafka 1",
                        "postgresql 1");
        assertThat(chaos.getLong("sent")).isPositive();
        assertThat(chaos.getLong("acked")).as("every send acked").isEqualTo(chaos.getLong("sent"));
        assertThat(chaos.getLong("delivered")).as("every send delivered").isEqualTo(chaos.getLong("sent"));
        assertThat(chaos.getLong("lost")).as("lost").isZero();
        assertThat(chaos.getLong("duplicated")).as("duplicated").isZero();
        assertThat(chaos.getLong("unacked")).as("unacked").isZero();
        assertThat(chaos.getLong("connections")).as("every client back").isEqualTo(8);
    }
}
