package io.parley.bench.scenarios;

import io.parley.infra.DevKeys;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The running local stack's signing key, with which the benchmarks make their users' tokens. */
public final class DevKeyOptions {

    @Option(
            names = "--data",
            paramLabel = "DIR",
            defaultValue = "${env:PARLEY_DATA_DIR:-.local-data}",
            description =
                    "the stack's data folder, whose keys sign the tokens (default: PARLEY_DATA_DIR or .local-data)")
    Path data;

    @Option(
            names = "--issuer",
            defaultValue = "${env:MP_JWT_VERIFY_ISSUER:-parley-local}",
            description = "the tokens' issuer (default: MP_JWT_VERIFY_ISSUER or parley-local)")
    String issuer;

    /** The key in {@code <data>/keys} (made there if it is missing). */
    public DevKeys keys() throws Exception {
        return DevKeys.loadOrCreate(data.resolve("keys"), issuer);
    }
}
