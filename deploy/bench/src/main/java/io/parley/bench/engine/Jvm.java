package io.parley.bench.engine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The heap of the stack's JVMs, read with the JDK's own tools after a full collection. */
public final class Jvm {

    private static final Pattern USED = Pattern.compile("total \\d+K, used (\\d+)K");

    private Jvm() {}

    /**
     * The live heap of a local JVM after a full collection (jcmd GC.run, then GC.heap_info: the generations' used
     * space), in KiB; -1 if it cannot be read. Resident memory also holds heap the JVM grew and keeps.
     */
    public static long heapUsedKbAfterGc(long pid) {
        if (pid < 0) {
            return -1;
        }
        try {
            String jcmd =
                    Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            new ProcessBuilder(jcmd, String.valueOf(pid), "GC.run")
                    .redirectErrorStream(true)
                    .start()
                    .waitFor();
            Process info = new ProcessBuilder(jcmd, String.valueOf(pid), "GC.heap_info")
                    .redirectErrorStream(true)
                    .start();
            String text = new String(info.getInputStream().readAllBytes());
            info.waitFor();
            long used = usedKb(text);
            return used == 0 ? -1 : used;
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * A JVM's heap after a full collection: everything in use, and the old generation's share of it (KiB).
     *
     * @param usedKb the generations' used space together
     * @param oldKb  the old (tenured) generation's used space; the whole heap for a collector without one (G1)
     */
    public record Heap(long usedKb, long oldKb) {}

    /**
     * The heap of a local JVM after a full collection ({@code jcmd GC.run}, then {@code GC.heap_info}); null if it
     * cannot be read (the process is gone, or is not a JVM this user may attach to).
     */
    public static Heap heapAfterFullGc(long pid) {
        try {
            String jcmd =
                    Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            Process gc = new ProcessBuilder(jcmd, String.valueOf(pid), "GC.run")
                    .redirectErrorStream(true)
                    .start();
            gc.getInputStream().readAllBytes();
            gc.waitFor(60, TimeUnit.SECONDS);
            Process info = new ProcessBuilder(jcmd, String.valueOf(pid), "GC.heap_info")
                    .redirectErrorStream(true)
                    .start();
            String text = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            info.waitFor(60, TimeUnit.SECONDS);
            long used = usedKb(text);
            return used == 0 ? null : new Heap(used, oldKb(text));
        } catch (Exception e) {
            return null;
        }
    }

    private static final Pattern OLD =
            Pattern.compile("(?:ParOldGen|tenured generation|PSOldGen)\\s+total \\d+K, used (\\d+)K");

    /**
     * The old generation's used KiB in a {@code GC.heap_info} answer (Parallel's {@code ParOldGen}, Serial's
     * {@code tenured generation}); for a collector that reports no old generation (G1, ZGC), the whole heap's.
     */
    static long oldKb(String heapInfo) {
        Matcher m = OLD.matcher(heapInfo);
        return m.find() ? Long.parseLong(m.group(1)) : usedKb(heapInfo);
    }

    /** The sum of the {@code used NK} figures of a {@code GC.heap_info} answer, in KiB. */
    static long usedKb(String heapInfo) {
        long used = 0;
        Matcher m = USED.matcher(heapInfo);
        while (m.find()) {
            used += Long.parseLong(m.group(1));
        }
        return used;
    }

    /**
     * The old generation in KiB after a full GC ({@code jcmd GC.run}, then {@code jstat -gc}) of each running JVM of
     * the gateway and the message-service (found by their quarkus-run.jar): {@code "gateway N KiB; ..."}.
     */
    public static String oldGenerations() throws Exception {
        StringBuilder out = new StringBuilder();
        for (String service : List.of("gateway", "message-service")) {
            Process find = new ProcessBuilder("pgrep", "-f", service + "/target/quarkus-app/quarkus-run.jar").start();
            String pids = new String(find.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            for (String pid : pids.split("\\s+")) {
                if (pid.isBlank()) {
                    continue;
                }
                new ProcessBuilder("jcmd", pid, "GC.run").start().waitFor(30, TimeUnit.SECONDS);
                Process stat = new ProcessBuilder("jstat", "-gc", pid).start();
                String[] lines = new String(stat.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                        .trim()
                        .split("\n");
                String[] names = lines[0].trim().split("\\s+");
                String[] values = lines[lines.length - 1].trim().split("\\s+");
                for (int i = 0; i < names.length; i++) {
                    if (names[i].equals("OU")) {
                        out.append(String.format(Locale.ROOT, "%s %.0f KiB; ", service, Double.parseDouble(values[i])));
                    }
                }
            }
        }
        return out.toString();
    }
}
