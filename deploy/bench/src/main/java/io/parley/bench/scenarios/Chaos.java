package io.parley.bench.scenarios;

import io.parley.bench.engine.Api;
import io.parley.bench.engine.Client;
import io.parley.bench.engine.Ledger;
import io.parley.bench.engine.LoadRig;
import io.parley.bench.engine.Pair;
import io.parley.bench.engine.Report;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Faults under load (issue 17): users in pairs send at {@code --rate} while every process of the stack named in
 * {@code --targets} is killed with SIGKILL in turn, {@code --rounds} times each, and started again by the local
 * stack's launcher. For each fault it measures when the process was back (ready again, from the launcher's
 * {@code restarts} file) and when the system was healed: every client connected and every message due before the
 * process was back acked and delivered to every recipient. At the end: sent, acked, delivered, lost and duplicated
 * over the whole run, as in the other scenarios.
 */
@Command(
        name = "chaos",
        description = "pairs sending while each process of the stack is killed (SIGKILL) in turn and comes back; "
                + "nothing acked may be lost or shown twice")
public final class Chaos extends HarnessScenario {

    /** What the local stack's launcher names its processes (its pids and restarts files). */
    static final List<String> EVERY_PROCESS = List.of(
            "conversation-service", "message-service", "notification-service", "gateway", "kafka", "postgresql");

    @Option(names = "--users", defaultValue = "2000", description = "connected users (default: ${DEFAULT-VALUE})")
    int users;

    @Option(names = "--rate", defaultValue = "300", description = "messages a second (default: ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--rounds", defaultValue = "10", description = "faults of each process (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(
            names = "--targets",
            split = ",",
            defaultValue = "conversation-service,message-service,notification-service,gateway,kafka,postgresql",
            description = "the processes killed in turn (default: ${DEFAULT-VALUE})")
    List<String> targets;

    @Option(
            names = "--pause",
            defaultValue = "3",
            description = "seconds of sends between a healed fault and the next (default: ${DEFAULT-VALUE})")
    int pause;

    @Option(
            names = "--heal-timeout",
            defaultValue = "120",
            description = "seconds a fault may take to heal before the run gives up (default: ${DEFAULT-VALUE})")
    int healTimeout;

    @Override
    public String name() {
        return "chaos";
    }

    /**
     * Sends throughout; kills each target in turn; answers the counts and, per target, the times from the kill to the
     * process being back and from being back to healed (seconds).
     */
    @Override
    public JsonObject run(LoadRig rig) throws Exception {
        Path data = rig.dataDir();
        if (data == null) {
            throw new IllegalStateException("the chaos scenario needs the stack's data folder (--data)");
        }
        for (String target : targets) {
            if (!EVERY_PROCESS.contains(target)) {
                throw new IllegalArgumentException("--targets: " + target + " is not one of " + EVERY_PROCESS);
            }
        }
        List<Pair> pairs = rig.makePairs(users);
        List<Client> everyone = Pair.members(pairs);
        // faults are measured on a warm stack: a cold one falls behind at the rate before any fault
        rig.warmJit(pairs, rate);
        rig.awaitQuiet();
        everyone.forEach(Client::reconnectOnDrop);
        Ledger ledger = new Ledger();
        everyone.forEach(c -> c.useLedger(ledger));
        rig.stats().start();
        LoadRig.Progress progress = rig.progress("chaos " + rate + "/s", ledger, everyone);
        AtomicBoolean sending = new AtomicBoolean(true);
        long startNanos = System.nanoTime();
        Thread sender = new Thread(
                () -> {
                    long interval = TimeUnit.SECONDS.toNanos(1) / rate;
                    for (long i = 0; sending.get(); i++) {
                        long due = startNanos + i * interval;
                        Api.waitUntil(due);
                        Pair.sendOne(pairs, i, ledger, due);
                    }
                },
                "chaos-sender");
        sender.setDaemon(true);
        sender.start();

        Map<String, List<double[]>> faults = new LinkedHashMap<>();
        targets.forEach(t -> faults.put(t, new ArrayList<>()));
        String failure = null;
        try {
            Thread.sleep(TimeUnit.SECONDS.toMillis(pause));
            faults:
            for (int round = 1; round <= rounds; round++) {
                for (String target : targets) {
                    double[] fault = fault(rig, data, target, ledger, everyone);
                    if (fault == null) {
                        failure = target + " was not healed within " + healTimeout + " s (round " + round + ")";
                        rig.out().println(failure);
                        break faults;
                    }
                    faults.get(target).add(fault);
                    rig.out()
                            .printf(
                                    Locale.ROOT,
                                    "%s killed (round %d): back after %.2f s, healed %.2f s after that%n",
                                    target,
                                    round,
                                    fault[0],
                                    fault[1]);
                    Thread.sleep(TimeUnit.SECONDS.toMillis(pause));
                }
            }
        } finally {
            sending.set(false);
            sender.join();
        }
        rig.drain(ledger, everyone);
        progress.stop();
        JsonArray perTarget = new JsonArray();
        faults.forEach((target, list) -> perTarget.add(new JsonObject()
                .put("process", target)
                .put("faults", list.size())
                .put("backSeconds", summary(list, 0))
                .put("healSeconds", summary(list, 1))));
        JsonObject result = LoadRig.counts(ledger, everyone, Pair.conversations(pairs), startNanos)
                .put("scenario", "chaos")
                .put("users", users)
                .put("rate", rate)
                .put("rounds", rounds)
                .put("failure", failure)
                .put("faults", perTarget)
                .put("latencyMs", Report.percentiles(ledger.latencySnapshot()))
                .put("processes", rig.stats().report());
        rig.closeAll(everyone);
        return result;
    }

    /**
     * Kills {@code target} (its main process: PostgreSQL's postmaster) and waits until it is back and healed; answers
     * {seconds from the kill to back, seconds from back to healed}, or null when it did not heal in time.
     */
    private double[] fault(LoadRig rig, Path data, String target, Ledger ledger, List<Client> everyone)
            throws Exception {
        List<Long> pids = rig.stats().processes().get(target);
        if (pids == null || pids.isEmpty()) {
            throw new IllegalStateException("no process " + target + " in the stack of " + data);
        }
        long pid = pids.get(0);
        long killEpochMs = System.currentTimeMillis();
        long killNanos = System.nanoTime();
        rig.out().println("killing " + target + " (pid " + pid + ")");
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        long deadline = killNanos + TimeUnit.SECONDS.toNanos(healTimeout);
        long backEpochMs;
        while ((backEpochMs = readyAgainSince(data, target, killEpochMs)) < 0) {
            if (System.nanoTime() > deadline) {
                return null;
            }
            Thread.sleep(50);
        }
        long backNanos = killNanos + TimeUnit.MILLISECONDS.toNanos(backEpochMs - killEpochMs);
        while (!(everyone.stream().allMatch(Client::live) && ledger.oldestOutstandingDueNanos() > backNanos)) {
            if (System.nanoTime() > deadline) {
                return null;
            }
            Thread.sleep(20);
        }
        long healedNanos = System.nanoTime();
        return new double[] {(backNanos - killNanos) / 1e9, Math.max(0, healedNanos - backNanos) / 1e9};
    }

    /**
     * The time (epoch ms) at which the launcher found {@code target} ready again at or after {@code sinceEpochMs}
     * (its {@code restarts} file: one {@code <name> <epoch ms>} line each time), -1 when not yet.
     */
    static long readyAgainSince(Path data, String target, long sinceEpochMs) throws IOException {
        Path file = data.resolve("restarts");
        if (!Files.exists(file)) {
            return -1;
        }
        for (String line : Files.readAllLines(file)) {
            String[] parts = line.trim().split(" ");
            if (parts.length == 2 && parts[0].equals(target)) {
                long at = Long.parseLong(parts[1]);
                if (at >= sinceEpochMs) {
                    return at;
                }
            }
        }
        return -1;
    }

    private static JsonObject summary(List<double[]> faults, int index) {
        double[] values = faults.stream().mapToDouble(f -> f[index]).sorted().toArray();
        if (values.length == 0) {
            return new JsonObject();
        }
        return new JsonObject()
                .put("median", Report.round(values[values.length / 2]))
                .put("max", Report.round(values[values.length - 1]));
    }
}
