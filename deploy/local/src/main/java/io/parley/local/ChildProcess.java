package io.parley.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A process of the stack (a service or the Kafka broker) whose output goes to its log file. */
final class ChildProcess {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final Process process;
    private final Path log;
    private final List<String> command;
    private final Map<String, String> env;
    private final Path workDir;
    private final long startedNanos = System.nanoTime();

    private ChildProcess(
            String name, Process process, Path log, List<String> command, Map<String, String> env, Path workDir) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.command = command;
        this.env = env;
        this.workDir = workDir;
    }

    /** The same command with the same environment, its output appended to the same log. */
    ChildProcess restart() {
        return start(name, command, env, log, workDir);
    }

    static ChildProcess start(String name, List<String> command, Map<String, String> env, Path log, Path workDir) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // Standard input stays a pipe from this launcher: children that watch it end when the launcher is gone.
        builder.environment().putAll(env);
        try {
            return new ChildProcess(name, builder.start(), log, List.copyOf(command), Map.copyOf(env), workDir);
        } catch (IOException e) {
            throw new StackException("could not start " + name + ": " + e.getMessage(), e);
        }
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    long pid() {
        return process.pid();
    }

    /** How long ago this process was started. */
    Duration uptime() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Process process() {
        return process;
    }

    /** Waits until {@code GET url} answers 200, failing early if the process ends. */
    void awaitHttpOk(String url, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(2))
                .build();
        while (true) {
            if (!process.isAlive()) {
                throw failure("exited with code " + process.exitValue() + " while starting");
            }
            try {
                if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while waiting for " + name);
            }
            if (System.nanoTime() > deadline) {
                throw failure("was not ready after " + timeout.toSeconds() + " s");
            }
            sleep(150);
        }
    }

    /** Waits until the process prints {@code marker} in its log. */
    void awaitLogLine(String marker, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (Files.exists(log)
                        && Files.readString(log, StandardCharsets.UTF_8).contains(marker)) {
                    return;
                }
            } catch (IOException e) {
                // read again
            }
            if (!process.isAlive()) {
                throw failure("exited with code " + process.exitValue() + " while starting");
            }
            if (System.nanoTime() > deadline) {
                throw failure("was not ready after " + timeout.toSeconds() + " s");
            }
            sleep(100);
        }
    }

    StackException failure(String what) {
        return new StackException(name + " " + what + ". Its log is " + log + "; its last lines:\n" + tail(log, 15));
    }

    /** SIGTERM, then SIGKILL if it has not ended within {@code grace}. */
    void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted");
        }
    }
}
