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
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Scenario 5: users in pairs sending at {@code --rate}; the gateway is killed (SIGKILL) and the launcher starts it
 * again; every client reconnects and resumes; nothing may be lost or duplicated.
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

    @Override
    public String name() {
        return "storm";
    }

    /** Sends, kills the gateway, waits for every client to resume, sends on; counts, latencies, time to resume. */
    @Override
    public JsonObject run(LoadRig rig) throws Exception {
        List<Pair> pairs = rig.makePairs(users);
        List<Client> everyone = Pair.members(pairs);
        everyone.forEach(Client::reconnectOnDrop);
        Ledger ledger = new Ledger();
        everyone.forEach(c -> c.useLedger(ledger));
        rig.stats().start();
        LoadRig.Progress progress = rig.progress("storm " + rate + "/s", ledger, everyone);
        long startNanos = System.nanoTime();
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long killAt = 0;
        Long allResumedAt = null;
        long pid = rig.stats().processes().getOrDefault("gateway", List.of(-1L)).get(0);
        if (pid < 0) {
            throw new IllegalStateException("the storm needs the stack's pids file (--data) to find the gateway");
        }
        long deadline = startNanos + TimeUnit.SECONDS.toNanos(before + 180);
        for (long i = 0; ; i++) {
            long due = startNanos + i * interval;
            Api.waitUntil(due);
            if (killAt == 0 && due - startNanos >= TimeUnit.SECONDS.toNanos(before)) {
                rig.out().println("killing the gateway (pid " + pid + ")");
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                killAt = System.nanoTime();
            }
            if (killAt != 0 && allResumedAt == null && due - killAt > TimeUnit.MILLISECONDS.toNanos(200)) {
                long resumed = 0;
                long latest = 0;
                for (Client c : everyone) {
                    if (c.live() && c.resumedAtNanos() > killAt) {
                        resumed++;
                        latest = Math.max(latest, c.resumedAtNanos());
                    }
                }
                if (resumed == everyone.size()) {
                    allResumedAt = latest;
                    rig.out()
                            .printf(
                                    Locale.ROOT,
                                    "every client resumed %.2f s after the kill%n",
                                    (latest - killAt) / 1e9);
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
        JsonObject result = LoadRig.counts(ledger, everyone, Pair.conversations(pairs), startNanos)
                .put("scenario", "storm")
                .put("users", users)
                .put("rate", rate)
                .put("allResumedSeconds", allResumedAt == null ? null : Report.round((allResumedAt - killAt) / 1e9))
                .put("latencyMs", Report.percentiles(ledger.latencySnapshot()))
                .put("processes", rig.stats().report());
        rig.closeAll(everyone);
        return result;
    }
}
