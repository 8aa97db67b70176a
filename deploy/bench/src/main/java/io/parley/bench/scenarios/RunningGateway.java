package io.parley.bench.scenarios;

import java.net.URI;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A running local stack's gateway, and its signing key. */
public final class RunningGateway {

    @Option(
            names = "--gateway",
            paramLabel = "URL",
            defaultValue = "${env:BENCH_GATEWAY_URL:-http://127.0.0.1:8080}",
            description = "the gateway (default: BENCH_GATEWAY_URL or http://127.0.0.1:8080)")
    URI gateway;

    @Mixin
    DevKeyOptions keys = new DevKeyOptions();

    /** The gateway's base URL. */
    public URI gateway() {
        return gateway;
    }
}
