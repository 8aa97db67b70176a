package io.parley.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.infra.EmbeddedS3;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded S3 server (S3Proxy in a child JVM) stops with {@link EmbeddedS3#stop()}, and dies with the JVM that
 * started it even when that JVM is killed outright, so no test run or local stack leaves one behind.
 */
class EmbeddedS3LifecycleTest {

    @TempDir
    Path temp;

    @Test
    void stopEndsTheServerAndARestartKeepsTheObjects() throws IOException {
        EmbeddedS3 server = EmbeddedS3.start(temp.resolve("s3")).bucket("kept-bucket");
        URI endpoint = server.endpoint();
        assertThat(server.isRunning()).isTrue();
        assertThat(answers(endpoint)).isTrue();

        server.stop();
        server.stop();
        assertThat(server.isRunning()).isFalse();
        assertThat(answers(endpoint)).isFalse();

        EmbeddedS3 again = EmbeddedS3.start(temp.resolve("s3"));
        try {
            assertThat(Files.isDirectory(again.dataDir().resolve("kept-bucket")))
                    .isTrue();
            again.bucket("kept-bucket"); // exists already: fine
        } finally {
            again.stop();
        }
    }

    @Test
    void theServerDiesWhenItsLauncherIsKilled() throws Exception {
        Process launcher = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Launcher.class.getName(),
                        temp.resolve("s3").toString())
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8));
            String endpoint = null;
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("READY ")) {
                    endpoint = line.substring("READY ".length());
                    break;
                }
            }
            assertThat(endpoint).as("the launcher's embedded S3 server started").isNotNull();
            List<ProcessHandle> servers = launcher.descendants().toList();
            assertThat(servers).isNotEmpty();
            assertThat(answers(URI.create(endpoint))).isTrue();

            launcher.destroyForcibly(); // SIGKILL: no shutdown hook runs
            launcher.waitFor();

            await().atMost(Duration.ofSeconds(30)).until(() -> servers.stream().noneMatch(ProcessHandle::isAlive));
            assertThat(answers(URI.create(endpoint))).isFalse();
        } finally {
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
        }
    }

    private static boolean answers(URI endpoint) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 2_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A JVM that starts an embedded S3 server, says {@code READY <endpoint>} and waits to be killed. */
    public static final class Launcher {
        public static void main(String[] args) throws Exception {
            EmbeddedS3 server = EmbeddedS3.start(Path.of(args[0]));
            System.out.println("READY " + server.endpoint());
            System.out.flush();
            Thread.sleep(Duration.ofMinutes(5).toMillis());
        }
    }
}
