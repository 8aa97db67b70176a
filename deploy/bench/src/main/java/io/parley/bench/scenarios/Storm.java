package io.parley.bench.scenarios;

import io.parley.bench.engine.Api;
import io.parley.bench.engine.Client;
import io.parley.bench.engine.Ledger;
import io.parley.bench.engine.LoadRig;
import io.parley.bench.engine.Pair;
import io.parley.bench.engine.Report;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Scenario 5: users in pairs sending at {@code --rate}; a gateway is stopped ({@code --signal KILL}: SIGKILL, or
 * {@code TERM}: SIGTERM, a rolling update's stop, after which it hands its clients over) and the launcher starts it
 * again; every client whose connection dropped reconnects (through the same address: with {@code PARLEY_GATEWAYS=2}
 * the launcher's proxy hands it to the other gateway) and resumes; nothing may be lost or duplicated. Reports the time
 * from the signal until every dropped client has resumed and the stopped process is gone, and each dropped client's
 * own gap (its connection's drop to its {@code resumed} frame).
 */
@Command(
        name = "storm",
        description = "pairs sending while the gateway is killed and started again; every client resumes")
public final class Storm extends HarnessScenario {

    @Option(names = "--users", defaultValue = "2000", description = "connected users (default: ${DEFAULT-VALUE})")
    int users;

    @Option(names = "--rate", defaultValue = "200", description = "messages a second (default: ${DEFAULT-VALUE})")
    int rate;

    @Option(
            names = "--before",
            defaultValue = "5",
            description = "seconds of sends before the kill (default: ${DEFAULT-VALUE})")
    int before;

    @Option(
            names = "--after",
            defaultValue = "5",
            description = "seconds of sends after every client resumed (default: ${DEFAULT-VALUE})")
    int after;

    @Option(
            names = "--signal",
            defaultValue = "KILL",
            description = "how the gateway is stopped: KILL (SIGKILL) or TERM (SIGTERM) (default: ${DEFAULT-VALUE})")
    Signal signal;

    /** How the storm stops the gateway. */
    enum Signal {
        /** SIGKILL: the process vanishes, its sockets reset. */
        KILL,
        /** SIGTERM: the gateway's graceful stop (readiness down, clients closed with 1012 over its drain time). */
        TERM
    }

    @Override
    public String name() {
        return "storm";
    }

    /** Sends, kills the gateway, waits for every client to resume, sends on; counts, latencies, time to resume. */
    @Override
    public JsonObject run(LoadRig rig) throws Exception {
        List<Pair> pairs = rig.makePairs(users);
        List<Client> everyone = Pair.members(pairs);
        // the storm is measured on a warm stack: a cold one falls behind at this rate before the signal, and its
        // backlog, not the hand-over, would decide when clients have everything again
        rig.warmJit(pairs, rate);
        rig.awaitQuiet();
        everyone.forEach(Client::reconnectOnDrop);
        Ledger ledger = new Ledger();
        everyone.forEach(c -> c.useLedger(ledger));
        rig.stats().start();
        LoadRig.Progress progress = rig.progress("storm " + rate + "/s", ledger, everyone);
        long startNanos = System.nanoTime();
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long killAt = 0;
        Long allResumedAt = null;
        // one gateway ("gateway"), or the first of two behind the launcher's proxy ("gateway-1", PARLEY_GATEWAYS=2)
        java.util.Map<String, List<Long>> processes = rig.stats().processes();
        long pid = processes
                .getOrDefault("gateway", processes.getOrDefault("gateway-1", List.of(-1L)))
                .get(0);
        if (pid < 0) {
            throw new IllegalStateException("the storm needs the stack's pids file (--data) to find the gateway");
        }
        Optional<ProcessHandle> gateway = ProcessHandle.of(pid);
        long deadline = startNanos + TimeUnit.SECONDS.toNanos(before + 180);
        for (long i = 0; ; i++) {
            long due = startNanos + i * interval;
            Api.waitUntil(due);
            if (killAt == 0 && due - startNanos >= TimeUnit.SECONDS.toNanos(before)) {
                rig.out().println("stopping the gateway (pid " + pid + ") with SIG" + signal);
                killAt = System.nanoTime();
                gateway.ifPresent(signal == Signal.KILL ? ProcessHandle::destroyForcibly : ProcessHandle::destroy);
            }
            if (killAt != 0
                    && allResumedAt == null
                    && due - killAt > TimeUnit.MILLISECONDS.toNanos(200)
                    && gateway.map(g -> !g.isAlive()).orElse(true)) {
                long dropped = 0;
                long resumed = 0;
                long live = 0;
                long latest = 0;
                for (Client c : everyone) {
                    if (c.live()) {
                        live++;
                    }
                    if (c.droppedAtNanos() > killAt) {
                        dropped++;
                        if (c.live() && c.resumedAtNanos() > c.droppedAtNanos()) {
                            resumed++;
                            latest = Math.max(latest, c.resumedAtNanos());
                        }
                    }
                }
                if (dropped > 0 && resumed == dropped && live == everyone.size()) {
                    allResumedAt = latest;
                    rig.out()
                            .printf(
                                    Locale.ROOT,
                                    "every client resumed %.2f s after the signal (%d had dropped)%n",
                                    (latest - killAt) / 1e9,
                                    dropped);
                }
            }
            if (allResumedAt != null && due - allResumedAt > TimeUnit.SECONDS.toNanos(after)) {
                break;
            }
            if (due > deadline) {
                rig.out().println("not every client resumed within 180 s");
                break;
            }
            Pair.sendOne(pairs, i, ledger, due);
        }
        rig.drain(ledger, everyone);
        progress.stop();
        Histogram gaps = Report.histogram(300);
        Histogram toUpgrade = Report.histogram(300);
        Histogram toWelcome = Report.histogram(300);
        Histogram toResumed = Report.histogram(300);
        long droppedClients = 0;
        long failedConnects = 0;
        for (Client c : everyone) {
            failedConnects += c.failedConnects();
            if (c.droppedAtNanos() > killAt && c.resumedAtNanos() > c.droppedAtNanos()) {
                droppedClients++;
                record(gaps, c.resumedAtNanos() - c.droppedAtNanos());
                record(toUpgrade, c.upgradedAtNanos() - c.droppedAtNanos());
                record(toWelcome, c.welcomedAtNanos() - c.upgradedAtNanos());
                record(toResumed, c.resumedAtNanos() - c.welcomedAtNanos());
            }
        }
        JsonObject result = LoadRig.counts(ledger, everyone, Pair.conversations(pairs), startNanos)
                .put("scenario", "storm")
                .put("users", users)
                .put("rate", rate)
                .put("signal", signal.name())
                .put("droppedClients", droppedClients)
                .put("reconnectGapMs", Report.percentiles(gaps))
                // the gap's parts: the drop to the accepted upgrade, to the welcome frame, to the resumed frame
                .put("dropToUpgradeMs", Report.percentiles(toUpgrade))
                .put("upgradeToWelcomeMs", Report.percentiles(toWelcome))
                .put("welcomeToResumedMs", Report.percentiles(toResumed))
                .put("failedConnects", failedConnects)
                .put("allResumedSeconds", allResumedAt == null ? null : Report.round((allResumedAt - killAt) / 1e9))
                .put("latencyMs", Report.percentiles(ledger.latencySnapshot()))
                .put("processes", rig.stats().report());
        rig.closeAll(everyone);
        return result;
    }

    private static void record(Histogram histogram, long nanos) {
        histogram.recordValue(Math.max(0, Math.min(nanos, histogram.getHighestTrackableValue())));
    }
}
