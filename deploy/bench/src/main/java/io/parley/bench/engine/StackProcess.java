package io.parley.bench.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The local stack started by the harness: the launcher of deploy/local from this classpath, in a data folder of the
 * harness's choosing, stopped with SIGTERM at the end. Its output goes to {@code stack.out} in that folder.
 */
public final class StackProcess implements AutoCloseable {

    private final Process launcher;
    private final Path dataDir;

    private StackProcess(Process launcher, Path dataDir) {
        this.launcher = launcher;
        this.dataDir = dataDir;
    }

    /**
     * Starts the launcher of {@code repository}'s packaged services with {@code env} and the data folder
     * {@code dataDir}, its first lines and its complaints echoed on {@code progress}; returns once the stack is ready.
     */
    public static StackProcess start(Path repository, Path dataDir, Map<String, String> env, PrintStream progress)
            throws IOException, InterruptedException {
        Files.createDirectories(dataDir);
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-XX:+UseSerialGC",
                        "-Dparley.repository=" + repository,
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.parley.local.LocalStack")
                .redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("PARLEY_DATA_DIR", dataDir.toString());
        Process launcher = builder.start();
        CountDownLatch ready = new CountDownLatch(1);
        Path out = dataDir.resolve("stack.out");
        Thread pump = new Thread(
                () -> {
                    // one file handle for the whole run (a harness near its descriptor limit cannot open one per line),
                    // and
                    // the launcher's output is read to its end whatever happens to the file
                    java.io.Writer log = null;
                    try {
                        log = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        progress.println("  stack output not kept: " + e.getMessage());
                    }
                    try (BufferedReader reader = new BufferedReader(
                            new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = reader.readLine()) != null; ) {
                            if (log != null) {
                                try {
                                    log.write(line + "\n");
                                    log.flush();
                                } catch (IOException e) {
                                    log = null;
                                }
                            }
                            if (ready.getCount() > 0
                                    || !line.startsWith("[parley] ")
                                    || line.contains("unexpectedly")
                                    || line.contains("stopping")) {
                                if (!line.contains(".eyJ")) { // not the demo tokens
                                    progress.println("  stack> " + line);
                                }
                            }
                            if (line.contains("Ctrl-C stops the stack")) {
                                ready.countDown();
                            }
                        }
                    } catch (IOException ignored) {
                        // the launcher ended
                    }
                    ready.countDown();
                },
                "stack-output");
        pump.setDaemon(true);
        pump.start();
        // Ctrl-C or SIGTERM to the harness stops the stack it started too
        Thread stopper = new Thread(
                () -> {
                    if (launcher.isAlive()) {
                        launcher.destroy();
                        try {
                            launcher.waitFor(90, TimeUnit.SECONDS);
                        } catch (InterruptedException ignored) {
                            Thread.currentThread().interrupt();
                        }
                    }
                },
                "stack-stopper");
        Runtime.getRuntime().addShutdownHook(stopper);
        if (!ready.await(300, TimeUnit.SECONDS) || !launcher.isAlive()) {
            launcher.destroy();
            throw new IllegalStateException("the local stack did not start; its output is in " + out);
        }
        return new StackProcess(launcher, dataDir);
    }

    /** Stops the stack (SIGTERM to the launcher, SIGKILL after 90 s). */
    /** The stack's data folder (its pids file, PostgreSQL's data, the launcher's output). */
    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() throws InterruptedException {
        launcher.destroy();
        if (!launcher.waitFor(90, TimeUnit.SECONDS)) {
            launcher.destroyForcibly();
        }
    }
}
