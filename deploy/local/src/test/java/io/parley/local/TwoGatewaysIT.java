package io.parley.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.infra.DevKeys;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local stack with {@code PARLEY_GATEWAYS=2} (issue 16): two gateway processes behind the launcher's proxy on the
 * one public gateway port. Clients connect through that address and land on both; one gateway killed with SIGKILL,
 * its clients reconnect through the same address, land on a gateway that is up and resume: none of their messages is
 * lost, and the other gateway's clients never notice.
 */
class TwoGatewaysIT {

    private static final int CLIENTS = 6;
    private static final int SENT_WHILE_AWAY = 5;
    private static final Pattern GATEWAY_READY = Pattern.compile(
            "\\[parley] (gateway-[12]) ready on port (\\d+), metrics http://127\\.0\\.0\\.1:(\\d+)/q/metrics");

    static StackUnderTest stack;
    static DevKeys keys;
    static List<String> output;

    @BeforeAll
    static void startStack() throws Exception {
        stack = new StackUnderTest();
        stack.env.put("PARLEY_GATEWAYS", "2");
        output = stack.start();
        keys = DevKeys.loadOrCreate(stack.dataDir.resolve("keys"), "parley-local");
    }

    @AfterAll
    static void stopStack() throws Exception {
        stack.stop();
        stack.close();
    }

    @Test
    void clientsLandOnBothGatewaysAndThoseOfAKilledOneResumeThroughTheSameAddressLosingNothing() throws Exception {
        int publicPort = stack.port("GATEWAY");
        assertThat(output)
                .anyMatch(l -> l.startsWith(LocalStack.READY_PREFIX)
                        && l.contains("2 gateways")
                        && l.contains("http://localhost:" + publicPort));
        Map<String, Integer> metricsPorts = new HashMap<>();
        Map<String, Integer> httpPorts = new HashMap<>();
        for (String line : output) {
            Matcher m = GATEWAY_READY.matcher(line);
            if (m.find()) {
                httpPorts.put(m.group(1), Integer.parseInt(m.group(2)));
                metricsPorts.put(m.group(1), Integer.parseInt(m.group(3)));
            }
        }
        assertThat(httpPorts).containsOnlyKeys("gateway-1", "gateway-2");
        assertThat(httpPorts.values()).doesNotContain(publicPort);
        // gateway-1 keeps the gateway's given management port
        assertThat(metricsPorts.get("gateway-1")).isEqualTo(stack.managementPort("GATEWAY"));

        // One sender (REST only) and a receiver per conversation, each receiver's WebSocket through the public port.
        StackClient sender = new StackClient(stack, keys, "client");
        List<StackClient> receivers = new ArrayList<>();
        List<String> conversations = new ArrayList<>();
        Map<StackClient, Long> lastSeen = new HashMap<>();
        // Connected one after the other (each WebSocket is a new TCP connection), so the proxy alternates them.
        for (int i = 0; i < CLIENTS; i++) {
            receivers.add(new StackClient(stack, keys, "client").connect());
        }
        for (int i = 0; i < CLIENTS; i++) {
            StackClient receiver = receivers.get(i);
            HttpResponse<String> created = sender.post(
                    "/api/conversations",
                    new JsonObject().put("type", "direct").put("participants", List.of(receiver.userId)));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String conversation = new JsonObject(created.body()).getString("id");
            conversations.add(conversation);
            JsonObject sent = send(HttpClient.newHttpClient(), sender, conversation, UUID.randomUUID(), "before");
            JsonObject got = receiver.next("message.created").getJsonObject("message");
            assertThat(got.getLong("seq")).isEqualTo(sent.getLong("seq"));
            lastSeen.put(receiver, got.getLong("seq"));
        }

        // Round-robin: both gateways hold some of the receivers, and together all of them.
        int onFirst = connections(metricsPorts.get("gateway-1"));
        int onSecond = connections(metricsPorts.get("gateway-2"));
        assertThat(onFirst).as("connections on gateway-1").isPositive();
        assertThat(onSecond).as("connections on gateway-2").isPositive();
        assertThat(onFirst + onSecond).isEqualTo(CLIENTS);

        // SIGKILL to gateway-2, found in the launcher's pids file.
        long pid = Files.readAllLines(stack.dataDir.resolve("pids")).stream()
                .map(String::trim)
                .filter(l -> l.endsWith(" gateway-2"))
                .map(l -> Long.parseLong(l.split(" ")[0]))
                .findFirst()
                .orElseThrow(() -> new AssertionError("gateway-2 not in the pids file"));
        ProcessHandle gateway2 = ProcessHandle.of(pid).orElseThrow();
        gateway2.destroyForcibly();
        assertThat(gateway2.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();

        // Exactly its clients lose their connection.
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        receivers.stream().filter(r -> r.socket.isInputClosed()).count() == onSecond);
        List<StackClient> cut =
                receivers.stream().filter(r -> r.socket.isInputClosed()).toList();

        // Messages go on being sent through the same address (a fresh client: no pooled connection to the dead one).
        HttpClient afterKill = HttpClient.newHttpClient();
        Map<String, List<Long>> sentWhileAway = new HashMap<>();
        for (String conversation : conversations) {
            List<Long> seqs = new ArrayList<>();
            for (int i = 0; i < SENT_WHILE_AWAY; i++) {
                seqs.add(send(afterKill, sender, conversation, UUID.randomUUID(), "while away " + i)
                        .getLong("seq"));
            }
            sentWhileAway.put(conversation, seqs);
        }

        for (int i = 0; i < CLIENTS; i++) {
            StackClient receiver = receivers.get(i);
            String conversation = conversations.get(i);
            List<Long> received = new ArrayList<>();
            if (cut.contains(receiver)) {
                // It reconnects to the same address, as @parley/client does, and resumes from what it had.
                receiver.frames.clear();
                receiver.backlog.clear();
                receiver.socket = stack.openSocket(receiver.token, receiver.frames, "/ws?resume=1");
                assertThat(receiver.next().getString("type")).isEqualTo("welcome");
                receiver.write(new JsonObject()
                        .put("type", "resume")
                        .put("positions", new JsonObject().put(conversation, lastSeen.get(receiver))));
                JsonObject frame;
                while (!"resumed".equals((frame = receiver.next()).getString("type"))) {
                    if ("message.created".equals(frame.getString("type"))) {
                        received.add(frame.getJsonObject("message").getLong("seq"));
                    }
                }
            } else {
                // The survivor's clients got them live.
                for (int n = 0; n < SENT_WHILE_AWAY; n++) {
                    received.add(receiver.next("message.created")
                            .getJsonObject("message")
                            .getLong("seq"));
                }
            }
            assertThat(received)
                    .as("receiver %d (%s)", i, cut.contains(receiver) ? "cut off, resumed" : "live")
                    .containsExactlyElementsOf(sentWhileAway.get(conversation));
        }

        // Every receiver is connected again, on the gateways that are up (gateway-2 may be back by now: the launcher
        // starts a killed service again, with a new instance id).
        int nowOnFirst = connections(metricsPorts.get("gateway-1"));
        int nowOnSecond = isUp(metricsPorts.get("gateway-2")) ? connections(metricsPorts.get("gateway-2")) : 0;
        assertThat(nowOnFirst + nowOnSecond).isEqualTo(CLIENTS);

        // And live delivery goes on for everyone.
        for (int i = 0; i < CLIENTS; i++) {
            JsonObject later = send(afterKill, sender, conversations.get(i), UUID.randomUUID(), "later");
            assertThat(receivers
                            .get(i)
                            .next("message.created")
                            .getJsonObject("message")
                            .getLong("seq"))
                    .isEqualTo(later.getLong("seq"));
        }
        for (StackClient receiver : receivers) {
            receiver.close();
        }
    }

    /**
     * Sends over REST through the public port; a send whose connection broke is sent again with the same
     * clientMessageId, which stores it once (docs/api.md).
     */
    private static JsonObject send(
            HttpClient http, StackClient sender, String conversation, UUID clientMessageId, String content)
            throws Exception {
        String body = new JsonObject()
                .put("clientMessageId", clientMessageId.toString())
                .put("content", content)
                .encode();
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack.port("GATEWAY")
                                        + "/api/conversations/" + conversation + "/messages"))
                                .header("Authorization", "Bearer " + sender.token)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
                return new JsonObject(response.body());
            } catch (IOException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /** The gateway's {@code parley_ws_connections} gauge, from its management port. */
    private static int connections(int managementPort) throws Exception {
        HttpResponse<String> metrics = StackUnderTest.get(managementPort, "/q/metrics", null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        Matcher m = Pattern.compile("(?m)^parley_ws_connections(?:\\{[^}]*})? ([0-9.eE+-]+)$")
                .matcher(metrics.body());
        assertThat(m.find()).as("parley_ws_connections in the metrics").isTrue();
        return (int) Double.parseDouble(m.group(1));
    }

    private static boolean isUp(int managementPort) {
        try {
            return StackUnderTest.get(managementPort, "/q/health/ready", null).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }
}
