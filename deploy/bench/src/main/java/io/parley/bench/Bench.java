package io.parley.bench;

import io.parley.bench.scenarios.Alerts;
import io.parley.bench.scenarios.All;
import io.parley.bench.scenarios.Chaos;
import io.parley.bench.scenarios.Desk;
import io.parley.bench.scenarios.Fanout;
import io.parley.bench.scenarios.FilesThroughput;
import io.parley.bench.scenarios.FilesThumbnail;
import io.parley.bench.scenarios.Fuzz;
import io.parley.bench.scenarios.HarnessCommand;
import io.parley.bench.scenarios.Idle;
import io.parley.bench.scenarios.Inbox;
import io.parley.bench.scenarios.Max;
import io.parley.bench.scenarios.OtelCost;
import io.parley.bench.scenarios.Pairs;
import io.parley.bench.scenarios.SendPath;
import io.parley.bench.scenarios.Soak;
import io.parley.bench.scenarios.Storm;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The benchmarks' one command line (docs/benchmarks.md): the harness's scenarios, which load the whole system through
 * the gateway as apps do ({@code pairs}, {@code max}, {@code fanout}, {@code idle}, {@code storm}, {@code chaos}, {@code fuzz}, {@code soak}, {@code all}), and
 * the narrower benchmarks against a running stack ({@code send-path}, {@code inbox}, {@code desk}, {@code alerts},
 * {@code files-throughput}, {@code files-thumbnail}). The scripts in deploy/bench call it.
 */
@Command(
        name = "bench",
        description = "Parley's benchmarks. Harness scenarios (deploy/bench/harness.sh) start a local stack unless "
                + "--gateway is given; the others need a running one (deploy/local/run).",
        subcommands = {
            Pairs.class,
            Max.class,
            Fanout.class,
            Idle.class,
            Storm.class,
            Chaos.class,
            Fuzz.class,
            Soak.class,
            All.class,
            SendPath.class,
            Inbox.class,
            Desk.class,
            Alerts.class,
            FilesThroughput.class,
            FilesThumbnail.class,
            OtelCost.class
        })
public final class Bench implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            scope = ScopeType.INHERIT,
            description = "prints this help (after a benchmark's name: its options) and exits")
    boolean help;

    /** The command line with every subcommand. */
    public static CommandLine commandLine() {
        return new CommandLine(new Bench());
    }

    /**
     * Parses {@code args}, a harness scenario and its options ({@code all --users 6 ...}), and answers the harness
     * command ready to run; a picocli ParameterException if they do not parse.
     */
    public static HarnessCommand harness(String... args) {
        ParseResult parsed = commandLine().parseArgs(args);
        if (!parsed.hasSubcommand() || !(parsed.subcommand().commandSpec().userObject() instanceof HarnessCommand h)) {
            throw new IllegalArgumentException("not a harness scenario: " + String.join(" ", args));
        }
        return h;
    }

    /** Without a subcommand: a usage error that lists them. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a benchmark");
    }

    /** Runs the subcommand {@code args} name and exits with its status (2 for a usage error). */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
