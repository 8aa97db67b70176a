package io.parley.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The pids of the processes the stack started, kept in its data folder. A launcher killed with SIGKILL cannot stop
 * its children; the next start stops those it finds still running, so no two stacks share one data folder.
 */
final class StaleProcesses {

    private final Path file;

    StaleProcesses(Path file) {
        this.file = file;
    }

    void record(List<ChildProcess> processes) throws IOException {
        Files.writeString(
                file,
                processes.stream().map(p -> p.pid() + " " + p.name()).collect(Collectors.joining("\n", "", "\n")));
    }

    /** Stops a PostgreSQL still running on {@code dataDir} from an earlier run whose launcher was killed. */
    static void stopOrphanPostgres(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) {
            return;
        }
        try {
            ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
                    .filter(ProcessHandle::isAlive)
                    .filter(h ->
                            h.info().command().map(c -> c.endsWith("postgres")).orElse(false))
                    .ifPresent(h -> {
                        LocalStack.say("stopping PostgreSQL (pid " + h.pid() + ") left from an earlier run");
                        stop(h);
                    });
        } catch (NumberFormatException e) {
            // not a pid file we understand: PostgreSQL itself will complain if it matters
        }
    }

    void killLeftovers() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (java.nio.file.NoSuchFileException e) {
            return;
        }
        for (String line : lines) {
            String[] parts = line.trim().split(" ", 2);
            if (parts.length != 2) {
                continue;
            }
            Optional<ProcessHandle> handle;
            try {
                handle = ProcessHandle.of(Long.parseLong(parts[0]));
            } catch (NumberFormatException e) {
                continue;
            }
            handle.filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().command().map(c -> c.endsWith("java")).orElse(false))
                    .ifPresent(h -> {
                        LocalStack.say("stopping " + parts[1] + " (pid " + h.pid() + ") left from an earlier run");
                        stop(h);
                    });
        }
        // an earlier launcher that was still stopping may have removed it meanwhile
        Files.deleteIfExists(file);
    }

    private static void stop(ProcessHandle h) {
        h.destroy();
        h.onExit()
                .completeOnTimeout(h, Duration.ofSeconds(15).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .join();
        if (h.isAlive()) {
            h.destroyForcibly();
        }
    }
}
