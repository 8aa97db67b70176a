package io.parley.bench.scenarios;

import io.parley.bench.engine.Api;
import io.parley.bench.engine.Client;
import io.parley.bench.engine.Ledger;
import io.parley.bench.engine.LoadRig;
import io.parley.bench.engine.Report;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Scenario 3: one sender, a group of {@code --members}; time until the last member has each message. */
@Command(name = "fanout", description = "one sender, a group of --members; time until the last member has each message")
public final class Fanout extends HarnessScenario {

    @Option(names = "--members", defaultValue = "1000", description = "the group's members (default: ${DEFAULT-VALUE})")
    int members;

    @Option(names = "--messages", defaultValue = "30", description = "messages measured (default: ${DEFAULT-VALUE})")
    int messages;

    @Option(
            names = "--interval",
            defaultValue = "500",
            paramLabel = "MS",
            description = "ms between messages (default: ${DEFAULT-VALUE})")
    int interval;

    @Override
    public String name() {
        return "fanout";
    }

    /**
     * The group made and connected, {@code --jit-warmup} seconds of messages to warm up (not reported), a wait for a quiet
     * stack, then the measured ones; counts and latencies.
     */
    @Override
    public JsonObject run(LoadRig rig) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            ids.add("fan-" + run + "-" + i);
        }
        Ledger ledger = new Ledger();
        List<Client> group = rig.connectAll(ids, "client", ledger);
        String conversation = rig.api()
                .postAndWait(
                        rig.gateway(),
                        "/api/conversations",
                        rig.token(ids.get(0), "client"),
                        new JsonObject()
                                .put("type", "group")
                                .put("title", "Fan-out " + run)
                                .put("participants", new JsonArray(ids.subList(1, ids.size()))),
                        60)
                .getString("id");
        group.forEach(member -> member.knows(conversation));
        Thread.sleep(3_000); // the message-service learns of the group from Kafka
        Client sender = group.get(0);
        // --jit-warmup seconds of the same fan-out, not in the figures, then a quiet stack before the measured
        // messages.
        // The warm-up's deliveries are checked too: its lost and duplicated count in the result's.
        int warm =
                interval <= 0 ? 0 : (int) Math.min(1_000, TimeUnit.SECONDS.toMillis(rig.jitWarmupSeconds()) / interval);
        JsonObject warmUp = null;
        if (warm > 0) {
            LoadRig.Progress warming = rig.progress("fanout warm-up", ledger, group);
            ledger.measuring(false);
            long warmStart = send(sender, conversation, ledger, warm, "warm-up ");
            rig.drain(ledger, group);
            warming.stop();
            warmUp = LoadRig.counts(ledger, group, Map.of(conversation, group), warmStart);
        }
        rig.awaitQuiet();
        Ledger measured = new Ledger();
        group.forEach(member -> member.useLedger(measured));
        LoadRig.Progress progress = rig.progress("fanout " + members, measured, group);
        rig.stats().start();
        long startNanos = send(sender, conversation, measured, messages, "fan-out ");
        rig.drain(measured, group);
        progress.stop();
        JsonObject result = LoadRig.counts(measured, group, Map.of(conversation, group), startNanos)
                .put("scenario", "fanout")
                .put("members", members)
                .put("messages", messages)
                .put("intervalMs", interval)
                .put("latencyMs", Report.percentiles(measured.latencySnapshot()))
                .put("lastDeliveryMs", Report.percentiles(measured.lastDeliverySnapshot()))
                .put("processes", rig.stats().report());
        if (warmUp != null) {
            result.put("warmUp", warmUp)
                    .put("lost", result.getLong("lost") + warmUp.getLong("lost"))
                    .put("duplicated", result.getLong("duplicated") + warmUp.getLong("duplicated"));
        }
        rig.closeAll(group);
        return result;
    }

    /**
     * Sends {@code count} messages from {@code sender}, one every {@code --interval} ms from now, each due to every
     * other member.
     *
     * @return the first message's due time (System.nanoTime)
     */
    private long send(Client sender, String conversation, Ledger ledger, int count, String text) {
        long startNanos = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = startNanos + TimeUnit.MILLISECONDS.toNanos((long) i * interval);
            Api.waitUntil(due);
            String id = UUID.randomUUID().toString();
            ledger.due(id, sender.userId(), due, members - 1);
            sender.send(conversation, id, text + i);
        }
        return startNanos;
    }
}
