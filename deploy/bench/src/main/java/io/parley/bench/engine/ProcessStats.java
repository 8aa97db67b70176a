package io.parley.bench.engine;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time and resident memory of each process of the stack (from the launcher's pids file and PostgreSQL's
 * postmaster.pid in its data folder), and of this harness, read from /proc. PostgreSQL counts its postmaster, the
 * backends alive now and those it has already reaped; a process restarted meanwhile is followed by its name.
 */
public final class ProcessStats {

    /** USER_HZ: the unit of CPU times in /proc; 100 on every Linux this runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final Path dataDir;
    private final Map<String, Long> startTicks = new LinkedHashMap<>();
    private final Map<String, List<Long>> startPids = new LinkedHashMap<>();
    private final Map<String, Long> peakRssKb = new LinkedHashMap<>();
    private long startNanos;

    /** Reads the pids of the stack whose data folder is {@code dataDir} (null: only this process). */
    public ProcessStats(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** Marks the start of a measurement. */
    public synchronized void start() {
        startNanos = System.nanoTime();
        startTicks.clear();
        startPids.clear();
        peakRssKb.clear();
        processes().forEach((name, pids) -> {
            startTicks.put(name, ticks(pids));
            startPids.put(name, pids);
        });
    }

    /** Samples memory; call every second or so. */
    public synchronized void sample() {
        processes().forEach((name, pids) -> peakRssKb.merge(name, rssKb(pids), Math::max));
    }

    /** CPU and memory since {@link #start()}: one row per process. */
    public synchronized JsonArray report() {
        sample();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        JsonArray rows = new JsonArray();
        processes().forEach((name, pids) -> {
            // a service started again meanwhile (the storm) counts from its new start; its predecessor's last
            // moments are not counted
            boolean restarted = !name.equals("postgresql")
                    && startPids.containsKey(name)
                    && !startPids.get(name).equals(pids);
            long used = ticks(pids) - (restarted ? 0 : startTicks.getOrDefault(name, 0L));
            rows.add(new JsonObject()
                    .put("process", name)
                    .put("restarted", restarted)
                    .put("cpuSeconds", round(used / TICKS_PER_SECOND))
                    .put("cpuPercentOfOneCore", round(100 * used / TICKS_PER_SECOND / Math.max(seconds, 0.001)))
                    .put("rssMiB", round(rssKb(pids) / 1024.0))
                    .put("peakRssMiB", round(peakRssKb.getOrDefault(name, 0L) / 1024.0)));
        });
        return rows;
    }

    /**
     * The stack's CPU use (every process but this harness) over the next {@code window}, in cores (1.0 = one core
     * busy throughout); blocks for the window.
     */
    public double stackCoresOver(java.time.Duration window) throws InterruptedException {
        long before = stackTicks();
        long start = System.nanoTime();
        Thread.sleep(window.toMillis());
        long used = stackTicks() - before;
        return used / TICKS_PER_SECOND / Math.max((System.nanoTime() - start) / 1e9, 0.001);
    }

    private long stackTicks() {
        long total = 0;
        for (Map.Entry<String, List<Long>> process : processes().entrySet()) {
            if (!process.getKey().equals("harness")) {
                total += ticks(process.getValue());
            }
        }
        return total;
    }

    /** The resident memory of the process named {@code process} in KiB, -1 if there is none. */
    public long rssKb(String process) {
        List<Long> pids = processes().get(process);
        return pids == null ? -1 : rssKb(pids);
    }

    /** Name to pids: each service and Kafka, PostgreSQL (postmaster and its backends), this harness. */
    public Map<String, List<Long>> processes() {
        Map<String, List<Long>> all = new LinkedHashMap<>();
        if (dataDir != null) {
            try {
                for (String line : Files.readAllLines(dataDir.resolve("pids"))) {
                    String[] parts = line.trim().split(" ", 2);
                    if (parts.length == 2) {
                        all.put(parts[1], List.of(Long.parseLong(parts[0])));
                    }
                }
            } catch (IOException | NumberFormatException noStack) {
                // a stack this harness cannot see into
            }
            try {
                long postmaster = Long.parseLong(
                        Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid"))
                                .get(0)
                                .trim());
                List<Long> pids = new ArrayList<>();
                pids.add(postmaster);
                ProcessHandle.of(postmaster).ifPresent(p -> p.children().forEach(c -> pids.add(c.pid())));
                all.put("postgresql", pids);
            } catch (IOException | RuntimeException noPostgres) {
                // not local
            }
        }
        all.put("harness", List.of(ProcessHandle.current().pid()));
        return all;
    }

    /** utime + stime of each pid, and cutime + cstime of the first (children it reaped). */
    private static long ticks(List<Long> pids) {
        long total = 0;
        for (int i = 0; i < pids.size(); i++) {
            String[] fields = stat(pids.get(i));
            if (fields == null) {
                continue;
            }
            total += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
            if (i == 0) {
                total += Long.parseLong(fields[15]) + Long.parseLong(fields[16]);
            }
        }
        return total;
    }

    /** /proc/pid/stat split into its fields, the command name (which may hold spaces) as one. */
    private static String[] stat(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String afterName = stat.substring(stat.lastIndexOf(')') + 2);
            String[] rest = afterName.trim().split(" ");
            String[] fields = new String[rest.length + 2];
            fields[0] = String.valueOf(pid);
            fields[1] = "name";
            System.arraycopy(rest, 0, fields, 2, rest.length);
            return fields;
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }

    /**
     * Resident memory. For several processes (PostgreSQL) their private memory adds up, while the shared buffers
     * and mapped files they all touch are counted once (the largest share any of them shows).
     */
    private static long rssKb(List<Long> pids) {
        long total = 0;
        long shared = 0;
        for (long pid : pids) {
            try {
                long anon = 0;
                long rest = 0;
                for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                    if (line.startsWith("RssAnon:")) {
                        anon = Long.parseLong(line.replaceAll("\\D", ""));
                    } else if (line.startsWith("RssFile:") || line.startsWith("RssShmem:")) {
                        rest += Long.parseLong(line.replaceAll("\\D", ""));
                    }
                }
                total += anon;
                shared = Math.max(shared, rest);
            } catch (IOException | RuntimeException gone) {
                // ended meanwhile
            }
        }
        return total + shared;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
