package io.parley.bench.engine;

import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * What the harness loads and where its report goes: a running gateway ({@code --gateway}) or a fresh local stack per
 * scenario, and the options every harness scenario shares. Picocli fills it from the command line.
 */
public final class Target {

    @Option(
            names = "--gateway",
            paramLabel = "URL",
            description = "a running stack's gateway; without it each scenario runs on a fresh local stack")
    URI gateway;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "the running stack's data folder: its keys, its pids (default: .local-data)")
    Path data;

    @Option(names = "--keys", paramLabel = "DIR", description = "a folder holding the jwt-private.pem the stack trusts")
    Path keys;

    @Option(
            names = "--issuer",
            defaultValue = "parley-local",
            description = "the tokens' issuer (default: ${DEFAULT-VALUE})")
    String issuer;

    @Option(
            names = "--sources",
            defaultValue = "4",
            description = "connections spread over 127.0.0.1..N as source addresses (default: ${DEFAULT-VALUE})")
    int sources;

    @Option(
            names = "--json",
            paramLabel = "FILE",
            description = "the results file (default: deploy/bench/target/harness-<time>.json)")
    Path json;

    @Option(
            names = "--stack-data",
            paramLabel = "DIR",
            description = "the fresh stack's data folder (default: deploy/bench/target/stack-<scenario>-<time>)")
    Path stackData;

    @Option(
            names = "--jit-warmup",
            paramLabel = "SECONDS",
            defaultValue = "60",
            description =
                    "seconds at 300 msg/s, not reported, before the first measured run (default: ${DEFAULT-VALUE})")
    int jitWarmup;

    /** The running gateway to target, or null for a fresh local stack per scenario. */
    public URI gateway() {
        return gateway;
    }

    /** How many loopback source addresses the connections are spread over. */
    public int sources() {
        return sources;
    }

    /** Seconds of unreported load that warm the JVMs up before the first measured run. */
    public int jitWarmup() {
        return jitWarmup;
    }

    /** The tokens' issuer. */
    public String issuer() {
        return issuer;
    }

    /** The folder of the signing key: {@code --keys}, else {@code <data>/keys}. */
    public Path keysDir(Path dataDir) {
        return keys != null ? keys : dataDir.resolve("keys");
    }

    /** The running stack's data folder: {@code --data}, else the repository's {@code .local-data}. */
    public Path data(Path repository) {
        return data != null ? data : repository.resolve(".local-data");
    }

    /** The fresh stack's data folder for {@code scenario}: {@code --stack-data}, else a new one under target. */
    public Path stackData(Path repository, String scenario) {
        return stackData != null
                ? stackData
                : repository.resolve("deploy/bench/target/stack-" + scenario + "-" + System.currentTimeMillis());
    }

    /** The results file: {@code --json}, else {@code deploy/bench/target/harness-<at>.json}. */
    public Path json(Path repository, String at) {
        return json != null
                ? json
                : repository.resolve("deploy/bench/target/harness-" + at.replace(':', '-') + ".json");
    }
}
