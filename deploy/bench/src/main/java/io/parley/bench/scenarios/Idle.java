package io.parley.bench.scenarios;

import io.parley.bench.engine.Client;
import io.parley.bench.engine.Jvm;
import io.parley.bench.engine.Ledger;
import io.parley.bench.engine.LoadRig;
import io.parley.bench.engine.Report;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Scenario 4: idle authenticated connections on one gateway; its memory before and after. */
@Command(name = "idle", description = "idle authenticated connections on one gateway; its memory before and after")
public final class Idle extends HarnessScenario {

    @Option(
            names = "--connections",
            defaultValue = "20000",
            description = "connections opened (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(
            names = "--connect-rate",
            defaultValue = "500",
            paramLabel = "PER_SECOND",
            description = "handshakes a second, 0 for as fast as it goes (default: ${DEFAULT-VALUE})")
    int connectRate;

    @Override
    public String name() {
        return "idle";
    }

    /** Opens the connections, lets them settle 15 s, and reports the gateway's RSS and live heap per connection. */
    @Override
    public JsonObject run(LoadRig rig) throws Exception {
        long gatewayPid =
                rig.stats().processes().getOrDefault("gateway", List.of(-1L)).get(0);
        long heapBefore = Jvm.heapUsedKbAfterGc(gatewayPid);
        long before = rig.stats().rssKb("gateway");
        rig.stats().start();
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            ids.add("idle-" + run + "-" + i);
        }
        Ledger ledger = new Ledger();
        long started = System.nanoTime();
        List<Client> open = rig.connectPaced(ids, "client", ledger, connectRate);
        double connectSeconds = (System.nanoTime() - started) / 1e9;
        rig.out().println("connections open; settling 15 s");
        Thread.sleep(15_000);
        long held = open.stream().filter(Client::live).count();
        long after = rig.stats().rssKb("gateway");
        long heapAfter = Jvm.heapUsedKbAfterGc(gatewayPid);
        JsonObject result = new JsonObject()
                .put("scenario", "idle")
                .put("asked", connections)
                .put("gatewayHeapMiBBefore", Report.round(heapBefore / 1024.0))
                .put("gatewayHeapMiBAfter", Report.round(heapAfter / 1024.0))
                .put(
                        "heapKibPerConnection",
                        held == 0 || heapBefore < 0 || heapAfter < 0
                                ? null
                                : Report.round((heapAfter - heapBefore) / (double) held))
                .put("connected", open.size())
                .put("held", held)
                .put("connectSeconds", Report.round(connectSeconds))
                .put("gatewayRssMiBBefore", Report.round(before / 1024.0))
                .put("gatewayRssMiBAfter", Report.round(after / 1024.0))
                .put("kibPerConnection", held == 0 ? 0 : Report.round((after - before) / (double) held))
                .put("processes", rig.stats().report());
        rig.closeAll(open);
        return result;
    }
}
