package io.parley.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The web client against the real stack: the SDK's integration test (Node, real WebSockets) and the app's
 * end-to-end scenarios in headless Chromium (web/e2e), each given the gateway's address and demo users' tokens.
 */
class WebClientIT extends RunningStack {

    private static final Path WEB =
            Path.of(System.getProperty("user.dir")).resolve("../../web").normalize();

    /** Fresh users of each role, as {@code PARLEY_TEST_TOKENS} gives them to the Node tests. */
    private static String tokens() {
        JsonObject tokens = new JsonObject();
        for (String name : List.of("client", "client2", "expert", "admin", "admin2")) {
            String role = name.replaceAll("\\d", "");
            String userId = name + "-" + UUID.randomUUID().toString().substring(0, 8);
            tokens.put(
                    name,
                    keys.token(
                            userId,
                            role,
                            Character.toUpperCase(name.charAt(0)) + name.substring(1) + " "
                                    + userId.substring(userId.length() - 4),
                            Duration.ofHours(2)));
        }
        return tokens.encode();
    }

    private static void npm(String what, List<String> args) throws Exception {
        Path log = stack.dataDir.resolve("logs/" + what + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(args)
                .directory(WEB.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("PARLEY_TEST_GATEWAY", "http://127.0.0.1:" + stack.port("GATEWAY"));
        env.put("PARLEY_TEST_TOKENS", tokens());
        env.put(
                "PARLEY_SCREENSHOTS",
                WEB.resolve("../docs/screenshots").normalize().toString());
        Process process = builder.start();
        boolean ended = process.waitFor(10, TimeUnit.MINUTES);
        String output = Files.readString(log);
        System.out.println(output);
        if (!ended) {
            process.destroyForcibly();
        }
        assertThat(ended).as("%s ended within 10 minutes", what).isTrue();
        assertThat(process.exitValue())
                .as("%s passed; its output:%n%s", what, output)
                .isZero();
    }

    @Test
    void theSdkChatsAgainstTheStackAndLosesNothingWhenASocketDies() throws Exception {
        npm("sdk-integration", List.of("npm", "test", "-w", "@parley/client", "--", "test/integration.test.ts"));
    }

    @Test
    void theAppWorksInABrowserForClientsExpertsAndAdmins() throws Exception {
        assertThat(new File("/usr/bin/chromium"))
                .as("Debian's chromium (.ci/run installs it)")
                .exists();
        npm("e2e", List.of("npm", "run", "e2e"));
    }
}
