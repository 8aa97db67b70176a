package io.parley.bench.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.bench.Bench;
import io.parley.bench.engine.Scenario;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The command line as picocli parses it: subcommands, options, their defaults, and what is refused. */
class BenchCommandLineTest {

    private static final List<String> EVERY_SUBCOMMAND = List.of(
            "pairs",
            "max",
            "fanout",
            "idle",
            "storm",
            "chaos",
            "fuzz",
            "soak",
            "all",
            "send-path",
            "inbox",
            "desk",
            "alerts",
            "files-throughput",
            "files-thumbnail",
            "otel-cost");

    @Test
    void helpListsEverySubcommand() {
        StringWriter text = new StringWriter();
        CommandLine line = Bench.commandLine();
        line.setOut(new PrintWriter(text));
        assertThat(line.execute("--help")).isZero();
        assertThat(line.getSubcommands().keySet()).containsExactlyElementsOf(EVERY_SUBCOMMAND);
        EVERY_SUBCOMMAND.forEach(name -> assertThat(text.toString()).contains("  " + name + " "));
    }

    @Test
    void noSubcommandIsAUsageError() {
        CommandLine line = Bench.commandLine();
        line.setErr(new PrintWriter(new StringWriter()));
        assertThat(line.execute()).isEqualTo(2);
    }

    @Test
    void pairsHasTheHarnessDefaults() {
        Pairs pairs = (Pairs) Bench.harness("pairs");
        assertThat(pairs.rates).containsExactly(100, 500, 1000, 2000);
        assertThat(pairs.users).isEqualTo(2000);
        assertThat(pairs.seconds).isEqualTo(30);
        assertThat(pairs.warmup).isEqualTo(5);
        assertThat(pairs.target.gateway()).isNull();
        assertThat(pairs.target.sources()).isEqualTo(4);
        assertThat(pairs.target.jitWarmup()).isEqualTo(60);
        assertThat(pairs.target.issuer()).isEqualTo("parley-local");
        assertThat(List.<Scenario>copyOf(pairs.scenarios())).containsExactly(pairs);
    }

    @Test
    void givenRatesReplaceTheDefaultOnes() {
        Pairs pairs = (Pairs) Bench.harness("pairs", "--rates", "20,40", "--users", "6");
        assertThat(pairs.rates).containsExactly(20, 40);
        assertThat(pairs.users).isEqualTo(6);
        assertThat(pairs.command()).isEqualTo("deploy/bench/harness.sh pairs --rates 20,40 --users 6");
    }

    @Test
    void theTargetsFoldersDefaultUnderTheRepository() {
        HarnessCommand max = Bench.harness("max", "--gateway", "http://127.0.0.1:9000", "--keys", "/k");
        Path repository = Path.of("/repo");
        assertThat(max.target.gateway()).isEqualTo(URI.create("http://127.0.0.1:9000"));
        assertThat(max.target.data(repository)).isEqualTo(Path.of("/repo/.local-data"));
        assertThat(max.target.keysDir(Path.of("/data"))).isEqualTo(Path.of("/k"));
        assertThat(max.target.json(repository, "2026-01-01T10:00:00Z"))
                .isEqualTo(Path.of("/repo/deploy/bench/target/harness-2026-01-01T10-00-00Z.json"));
        assertThat(Bench.harness("idle", "--data", "/d").target.keysDir(Path.of("/d")))
                .isEqualTo(Path.of("/d/keys"));
    }

    @Test
    void allGivesEachScenarioTheOptionsItKnows() {
        HarnessCommand all = Bench.harness(
                "all",
                "--gateway",
                "http://127.0.0.1:8080",
                "--data",
                "/d",
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
                "--p99",
                "50",
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
                "3");
        assertThat(all.target.jitWarmup()).isEqualTo(1);
        List<? extends Scenario> scenarios = all.scenarios();
        assertThat(scenarios).extracting(Scenario::name).containsExactly("pairs", "max", "fanout", "idle", "storm");
        Pairs pairs = (Pairs) scenarios.get(0);
        assertThat(pairs.rates).containsExactly(20, 40);
        assertThat(pairs.users).isEqualTo(6);
        Max max = (Max) scenarios.get(1);
        assertThat(List.of(max.users, max.start, max.step, max.maxRate, max.trial, max.hold))
                .containsExactly(6, 20, 20, 40, 2, 2);
        assertThat(max.p99).isEqualTo(50.0);
        Fanout fanout = (Fanout) scenarios.get(2);
        assertThat(List.of(fanout.members, fanout.messages, fanout.interval)).containsExactly(5, 5, 100);
        Idle idle = (Idle) scenarios.get(3);
        assertThat(List.of(idle.connections, idle.connectRate)).containsExactly(20, 0);
        Storm storm = (Storm) scenarios.get(4);
        assertThat(List.of(storm.users, storm.rate, storm.before, storm.after)).containsExactly(6, 10, 2, 3);
    }

    @Test
    void stormStopsTheGatewayWithSigkillUnlessToldSigterm() {
        assertThat(((Storm) Bench.harness("storm")).signal).isEqualTo(Storm.Signal.KILL);
        assertThat(((Storm) Bench.harness("storm", "--signal", "TERM")).signal).isEqualTo(Storm.Signal.TERM);
    }

    @Test
    void fuzzHasTheIssuesDefaultsAndTakesASeed() {
        Fuzz fuzz = (Fuzz) Bench.harness("fuzz");
        assertThat(fuzz.inputs).isEqualTo(100_000);
        assertThat(fuzz.seed).isNull();
        assertThat(fuzz.frames).isEqualTo(0.3);
        assertThat(List.of(fuzz.workers, fuzz.sockets, fuzz.users)).containsExactly(4, 8, 200);
        assertThat(List.<Scenario>copyOf(fuzz.scenarios())).containsExactly(fuzz);
        Fuzz small = (Fuzz) Bench.harness("fuzz", "--inputs", "2000", "--seed", "-42", "--sockets", "2");
        assertThat(List.of(small.inputs, small.sockets)).containsExactly(2000, 2);
        assertThat(small.seed).isEqualTo(-42L);
        assertThat(small.command()).isEqualTo("deploy/bench/harness.sh fuzz --inputs 2000 --seed -42 --sockets 2");
    }

    @Test
    void fuzzRaisesTheRestAllowanceOfTheStackItStartsUnlessToldOtherwise() {
        java.util.Map<String, String> env = new java.util.HashMap<>();
        env.put("PARLEY_GATEWAY_API_BURST", "7");
        Fuzz fuzz = (Fuzz) Bench.harness("fuzz");
        fuzz.stackEnvironment(env);
        assertThat(env)
                .containsEntry("PARLEY_GATEWAY_API_RATE", Fuzz.STACK_API_RATE)
                .containsEntry("PARLEY_GATEWAY_API_BURST", "7");
    }

    @Test
    void allRefusesAnOptionNoScenarioHas() {
        HarnessCommand all = Bench.harness("all", "--users", "6", "--userz", "7");
        assertThatThrownBy(all::scenarios)
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("--userz");
    }

    @Test
    void aScenarioRefusesAnotherScenariosOption() {
        assertThatThrownBy(() -> Bench.harness("pairs", "--members", "5")).isInstanceOf(ParameterException.class);
    }

    @Test
    void theNonHarnessCommandsAreNotHarnessScenarios() {
        assertThatThrownBy(() -> Bench.harness("desk", "10", "20")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sendPathTakesAModeALoadAndSeconds() {
        SendPath max = parse(SendPath.class, "send-path", "max", "64", "20");
        assertThat(max.mode).isEqualTo(SendPath.Mode.max);
        assertThat(max.load).isEqualTo(64);
        assertThat(max.seconds).isEqualTo(20);
        assertThat(max.connections).isEqualTo(Integer.parseInt(env("BENCH_CONNECTIONS", "64")));
        assertThat(max.conversationCount).isEqualTo(Integer.parseInt(env("BENCH_CONVERSATIONS", "200")));
        assertThat(max.messages).isEqualTo(URI.create(env("BENCH_MESSAGE_URL", "http://127.0.0.1:8082")));
        assertThat(max.devKeys.data).isEqualTo(Path.of(env("PARLEY_DATA_DIR", ".local-data")));
        assertThat(parse(SendPath.class, "send-path", "rate", "1000", "30", "--connections", "8").connections)
                .isEqualTo(8);
        assertThatThrownBy(() -> Bench.commandLine().parseArgs("send-path", "fast", "1", "2"))
                .isInstanceOf(ParameterException.class);
        assertThatThrownBy(() -> Bench.commandLine().parseArgs("send-path", "max", "64"))
                .isInstanceOf(ParameterException.class);
    }

    @Test
    void inboxAndDeskTakeTheirCounts() {
        Inbox inbox = parse(Inbox.class, "inbox", "200", "1000", "30");
        assertThat(List.of(inbox.rate, inbox.users, inbox.seconds)).containsExactly(200, 1000, 30);
        assertThat(inbox.settleSeconds).isEqualTo(Integer.parseInt(env("BENCH_SETTLE_SECONDS", "3")));
        assertThat(inbox.stack.gateway()).isEqualTo(URI.create(env("BENCH_GATEWAY_URL", "http://127.0.0.1:8080")));
        Desk desk = parse(Desk.class, "desk", "10000", "2000", "--gateway", "http://h:1");
        assertThat(List.of(desk.conversations, desk.requests)).containsExactly(10000, 2000);
        assertThat(desk.stack.gateway()).isEqualTo(URI.create("http://h:1"));
    }

    @Test
    void alertsTakeACountAndAnOptionalRate() {
        Alerts burst = parse(Alerts.class, "alerts", "5000");
        assertThat(burst.alerts).isEqualTo(5000);
        assertThat(burst.rate).isNull();
        Alerts paced = parse(Alerts.class, "alerts", "10000", "500", "--grace", "3s");
        assertThat(paced.rate).isEqualTo(500);
        assertThat(paced.grace).isEqualTo(Duration.ofSeconds(3));
        String kafka = System.getenv("BENCH_KAFKA") != null
                ? System.getenv("BENCH_KAFKA")
                : "127.0.0.1:" + env("PARLEY_KAFKA_PORT", "19092");
        assertThat(burst.kafka).isEqualTo(kafka);
        assertThat(new Alerts.ShortDuration().convert("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(new Alerts.ShortDuration().convert("1m")).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void filesCommandsTakeASizeOrACount() {
        assertThat(parse(FilesThroughput.class, "files-throughput", "100").mib).isEqualTo(100);
        assertThat(parse(FilesThumbnail.class, "files-thumbnail", "200").count).isEqualTo(200);
    }

    @Test
    void maxHoldsOnlyWithinTheBoundWithoutLossAtTheRate() {
        JsonObject run = new JsonObject()
                .put("latencyMs", new JsonObject().put("p99", 80.0))
                .put("lost", 0L)
                .put("deliveredPerSecond", 960.0)
                .put("rate", 1000);
        assertThat(Max.held(run, 100)).isTrue();
        assertThat(Max.held(run, 50)).isFalse();
        assertThat(Max.held(run.copy().put("lost", 1L), 100)).isFalse();
        assertThat(Max.held(run.copy().put("deliveredPerSecond", 940.0), 100)).isFalse();
    }

    @Test
    void soakRunsAWeekOfTrafficInCompressedTime() {
        Soak soak = (Soak) Bench.harness("soak");
        assertThat(List.of(soak.users, soak.rate, soak.sample)).containsExactly(200, 100, 30);
        assertThat(soak.minutes).isEqualTo(20.0);
        // the stack it starts keeps event ids 2 minutes (a week in production), pruned every 30 s
        assertThat(soak.stackEnvironment())
                .containsEntry("PARLEY_PROCESSED_EVENTS_RETENTION", "120000ms")
                .containsEntry("PARLEY_PROCESSED_EVENTS_PRUNE_INTERVAL", "30000ms")
                .containsEntry("PARLEY_INBOX_MOVES_KEPT", "120000ms");
        // judged once the longest window (inbox moves: 2 min, pruned every minute) has passed, plus a sample
        assertThat(soak.settleSeconds()).isEqualTo(210.0);

        Soak tiny = (Soak) Bench.harness(
                "soak", "--rate", "10", "--minutes", "0.5", "--retention", "PT5S", "--prune-interval", "PT1S");
        assertThat(tiny.minutes).isEqualTo(0.5);
        assertThat(tiny.stackEnvironment()).containsEntry("PARLEY_PROCESSED_EVENTS_RETENTION", "5000ms");
        assertThatThrownBy(() -> Bench.harness("soak", "--retention", "two minutes"))
                .isInstanceOf(ParameterException.class);
    }

    @Test
    void soakJudgesEachTable() {
        Soak soak = (Soak) Bench.harness("soak", "--sample", "10", "--retention", "PT10S", "--moves-kept", "PT1S");
        List<double[]> times = new java.util.ArrayList<>();
        List<long[]> history = new java.util.ArrayList<>();
        List<long[]> pruned = new java.util.ArrayList<>();
        List<long[]> leak = new java.util.ArrayList<>();
        for (int i = 0; i <= 20; i++) {
            long messages = 100L * 10 * i; // 100 msg/s, a sample every 10 s
            times.add(new double[] {10.0 * i, messages});
            history.add(new long[] {messages, 300 * messages});
            pruned.add(new long[] {1000 + (i % 3) * 300, 200_000});
            leak.add(new long[] {messages / 2, 100 * messages});
        }
        double settle = soak.settleSeconds();
        JsonObject messages = soak.tableVerdict("message.message", history, times, settle);
        assertThat(messages.getString("verdict")).isEqualTo("grows by design");
        assertThat(messages.getDouble("rowsPerMessage")).isEqualTo(1.0);
        assertThat(messages.getDouble("bytesPerMessage")).isEqualTo(300.0);
        assertThat(messages.getLong("weekRows")).isEqualTo(60_480_000L);
        assertThat(soak.tableVerdict("notification.processed_event", pruned, times, settle)
                        .getString("verdict"))
                .isEqualTo("bounded");
        JsonObject outbox = soak.tableVerdict("message.outbox", leak, times, settle);
        assertThat(outbox.getString("verdict")).isEqualTo("grows unexpectedly");
        assertThat(outbox.getDouble("rowsPerMessage")).isEqualTo(0.5);
    }

    private static <T> T parse(Class<T> type, String... args) {
        CommandLine.ParseResult parsed = Bench.commandLine().parseArgs(args);
        return type.cast(parsed.subcommand().commandSpec().userObject());
    }

    private static String env(String name, String fallback) {
        return System.getenv().getOrDefault(name, fallback);
    }

    @Test
    void otelCostRunsTracesOffThenOnAtTheIssuesTarget() {
        OtelCost cost = (OtelCost) Bench.harness("otel-cost");
        assertThat(cost.rate).isEqualTo(1000);
        assertThat(cost.users).isEqualTo(2000);
        assertThat(cost.seconds).isEqualTo(60);
        assertThat(cost.sample).isEqualTo(0.01);
        assertThat(cost.rounds).isEqualTo(1);
        assertThat(cost.scenarios()).extracting(Scenario::name).containsExactly("otel-cost-off", "otel-cost-on");
        assertThat(cost.scenarios().get(0).stackEnvironment())
                .as("off even when the harness's own environment names a collector")
                .containsEntry("PARLEY_OTEL_ENDPOINT", "");

        OtelCost twice = (OtelCost) Bench.harness("otel-cost", "--rounds", "2", "--sample", "0.5", "--rate", "50");
        assertThat(twice.scenarios())
                .extracting(Scenario::name)
                .containsExactly("otel-cost-off", "otel-cost-on", "otel-cost-off", "otel-cost-on");
        assertThat(twice.scenarios().get(1).stackEnvironment())
                .containsEntry("PARLEY_OTEL_SAMPLE_RATIO", "0.5")
                .containsEntry("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf");
    }

    @Test
    void otelCostRefusesARunningGatewayAndASampleOutOfRange() {
        OtelCost running = (OtelCost) Bench.harness("otel-cost", "--gateway", "http://127.0.0.1:8080");
        assertThatThrownBy(() -> running.run(Path.of("."), new java.util.HashMap<>(), System.out))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("--gateway");
        OtelCost none = (OtelCost) Bench.harness("otel-cost", "--sample", "0");
        assertThatThrownBy(() -> none.run(Path.of("."), new java.util.HashMap<>(), System.out))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("--sample");
    }

    @Test
    void otelCostComparesEachTracedRunWithTheUntracedOneBefore() {
        io.vertx.core.json.JsonArray runs = new io.vertx.core.json.JsonArray()
                .add(otelRun(false, 200.0, 10.0))
                .add(otelRun(true, 208.0, 10.5));
        java.io.PrintStream out = new java.io.PrintStream(new java.io.ByteArrayOutputStream());
        OtelCost.compare(runs, out);
        JsonObject versus = runs.getJsonObject(1).getJsonObject("versusOff");
        assertThat(versus.getDouble("cpuPercentMore")).isEqualTo(4.0);
        assertThat(versus.getDouble("p99MsMore")).isEqualTo(0.5);
        assertThat(versus.getBoolean("met")).isTrue();
        assertThat(runs.getJsonObject(0).containsKey("versusOff")).isFalse();
        assertThat(io.parley.bench.engine.Report.otelCostLine(runs.getJsonObject(1)))
                .contains("+4.00 %")
                .contains("+0.50 ms")
                .contains("met")
                .contains("120 spans in 3 export requests");
        assertThat(OtelCost.versus(otelRun(false, 200.0, 10.0), otelRun(true, 220.0, 10.0))
                        .getBoolean("met"))
                .as("10 % more CPU")
                .isFalse();
    }

    private static JsonObject otelRun(boolean traced, double cpu, double p99) {
        return new JsonObject()
                .put("scenario", "otel-cost")
                .put("traced", traced)
                .put("sampleRatio", traced ? 0.01 : 0.0)
                .put(
                        "run",
                        new JsonObject()
                                .put("stackCpuPercentOfOneCore", cpu)
                                .put("latencyMs", new JsonObject().put("p99", p99)))
                .put(
                        "exported",
                        new JsonObject()
                                .put("requests", traced ? 3L : 0L)
                                .put("bytes", traced ? 4096L : 0L)
                                .put("spans", traced ? 120L : 0L)
                                .put("unreadable", 0L));
    }
}
