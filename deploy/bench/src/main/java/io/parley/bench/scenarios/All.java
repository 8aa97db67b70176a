package io.parley.bench.scenarios;

import io.parley.bench.engine.Scenario;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Unmatched;

/**
 * Every harness scenario, one after the other (each on a fresh stack unless {@code --gateway} is given). It takes
 * every scenario's options; each scenario takes those it knows ({@code --users} goes to pairs, max and storm).
 */
@Command(
        name = "all",
        description =
                "every harness scenario in turn: pairs, max, fanout, idle, storm; " + "takes each scenario's options")
public final class All extends HarnessCommand {

    @Unmatched
    List<String> scenarioOptions = new ArrayList<>();

    /** Pairs, max, fanout, idle and storm, each with the options of the command line it knows. */
    @Override
    public List<? extends Scenario> scenarios() {
        List<HarnessScenario> all = List.of(new Pairs(), new Max(), new Fanout(), new Idle(), new Storm());
        Set<String> unknown = null;
        for (HarnessScenario scenario : all) {
            CommandLine line = new CommandLine(scenario).setUnmatchedArgumentsAllowed(true);
            line.parseArgs(scenarioOptions.toArray(String[]::new));
            Set<String> left = new HashSet<>();
            line.getUnmatchedArguments().stream()
                    .filter(a -> a.startsWith("--"))
                    .forEach(left::add);
            if (unknown == null) {
                unknown = left;
            } else {
                unknown.retainAll(left);
            }
        }
        if (unknown != null && !unknown.isEmpty()) {
            throw new ParameterException(
                    spec == null ? new CommandLine(this) : spec.commandLine(),
                    "no scenario has the option(s) " + String.join(", ", new java.util.TreeSet<>(unknown)));
        }
        return all;
    }
}
