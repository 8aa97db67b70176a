package io.parley.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.events.Topics;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;

/**
 * The whole system through its one public entry: REST through the gateway, real WebSocket clients, real services,
 * Kafka and PostgreSQL, as the local stack runs them; Kafka as on Kubernetes, its client listener {@code SASL_SSL} with
 * {@code SCRAM-SHA-512} ({@code PARLEY_KAFKA_SECURITY=sasl_ssl}), so that every flow here (the outbox relays, the
 * services' consumers, the gateways' delivery consumers) also shows that each Kafka client of each service takes the
 * security settings.
 */
class GatewayEndToEndIT extends RunningStack {

    /**
     * The stack's broker takes only clients that come over TLS and sign in with the stack's SCRAM credentials: a plain
     * client gets no answer, a wrong password an authentication error, the stack's settings the system's topics.
     */
    @Test
    void theBrokerTakesOnlyClientsThatSignInOverTls() throws Exception {
        Map<String, String> env = stack.kafkaClientEnvironment();
        assertThat(env)
                .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
                .containsEntry("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM")
                .containsKeys("KAFKA_SASL_JAAS_CONFIG", "KAFKA_SSL_TRUSTSTORE_LOCATION");
        Map<String, Object> settings = new HashMap<>();
        env.forEach((name, value) -> settings.put(
                name.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.'), value));
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 6_000);

        try (Admin plain = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.get("bootstrap.servers"),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 6_000))) {
            assertThatThrownBy(() -> plain.listTopics().names().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
        }
        Map<String, Object> wrongPassword = new HashMap<>(settings);
        wrongPassword.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"parley\" password=\"wrong\";");
        try (Admin intruder = Admin.create(wrongPassword)) {
            assertThatThrownBy(() -> intruder.listTopics().names().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
        try (Admin client = Admin.create(settings)) {
            assertThat(client.listTopics().names().get(30, TimeUnit.SECONDS))
                    .containsAll(Topics.ALL.stream().map(Topics.Spec::name).toList());
        }
    }

    /**
     * The gateway serves the whole public API as one OpenAPI document, the services' public paths with typed bodies
     * and every status, every reference resolving; and it is the document docs/openapi/parley.json keeps (refresh it
     * with docs/openapi/refresh.sh after a change of the API).
     */
    @Test
    void theWholePublicApiIsOneOpenApiDocumentAsDocumented() throws Exception {
        HttpResponse<String> served = StackUnderTest.get(stack.port("GATEWAY"), "/q/openapi?format=json", null);
        assertThat(served.statusCode()).isEqualTo(200);
        JsonObject document = new JsonObject(served.body());
        JsonObject paths = document.getJsonObject("paths");
        assertThat(paths.fieldNames())
                .contains(
                        "/",
                        "/api/conversations",
                        "/api/conversations/{conversationId}/messages",
                        "/api/conversations/{conversationId}/attachments",
                        "/api/attachments/{id}",
                        "/api/push/subscriptions",
                        "/api/unread")
                .allMatch(path -> path.equals("/") || path.startsWith("/api/"));
        JsonObject send = paths.getJsonObject("/api/conversations/{conversationId}/messages")
                .getJsonObject("post");
        assertThat(send.getJsonObject("responses").fieldNames())
                .contains("200", "201", "400", "401", "404", "409", "413");
        assertThat(send.getJsonObject("requestBody").encode()).contains("#/components/schemas/SendMessageRequest");
        List<String> refs = new ArrayList<>();
        collectRefs(document, refs);
        assertThat(refs).isNotEmpty().allSatisfy(ref -> {
            String[] parts = ref.split("/");
            assertThat(document.getJsonObject("components")
                            .getJsonObject(parts[2])
                            .containsKey(parts[3]))
                    .as(ref)
                    .isTrue();
        });
        java.nio.file.Path copy = java.nio.file.Path.of(System.getProperty("user.dir"))
                .resolve("../../docs/openapi/parley.json")
                .normalize();
        assertThat(document)
                .as("docs/openapi/parley.json is the served document; run docs/openapi/refresh.sh")
                .isEqualTo(new JsonObject(java.nio.file.Files.readString(copy)));
    }

    private static void collectRefs(Object node, List<String> refs) {
        if (node instanceof JsonObject object) {
            object.forEach(field -> {
                if (field.getKey().equals("$ref")) {
                    refs.add((String) field.getValue());
                } else {
                    collectRefs(field.getValue(), refs);
                }
            });
        } else if (node instanceof io.vertx.core.json.JsonArray array) {
            array.forEach(item -> collectRefs(item, refs));
        }
    }

    /** A user of this test's stack, with a WebSocket connection once connected. */
    private static final class Client extends StackClient {
        Client() {
            this("client");
        }

        Client(String role) {
            super(RunningStack.stack, RunningStack.keys, role);
        }

        @Override
        Client connect() throws Exception {
            super.connect();
            return this;
        }
    }

    @Test
    void twoGatewayInstancesDeliverAcrossEachOther() throws Exception {
        // A second gateway process beside the stack's, on its own port, with the same configuration otherwise.
        int port = io.parley.infra.FreePort.find();
        int management = io.parley.infra.FreePort.find();
        java.nio.file.Path log = stack.dataDir.resolve("logs/gateway-2.log");
        ProcessBuilder builder = new ProcessBuilder(
                        java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java")
                                .toString(),
                        "-Xmx256m",
                        "-jar",
                        java.nio.file.Path.of(System.getProperty("user.dir"))
                                .resolve("../../gateway/target/quarkus-app/quarkus-run.jar")
                                .normalize()
                                .toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(management));
        env.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        env.putAll(stack.kafkaClientEnvironment());
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://127.0.0.1:" + stack.port("POSTGRES") + "/gateway");
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:" + stack.port("POSTGRES") + "/gateway");
        env.put(
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION",
                stack.dataDir.resolve("keys/jwt-public.pem").toString());
        env.put("MP_JWT_VERIFY_ISSUER", "parley-local");
        env.put("PARLEY_CONVERSATION_URL", "http://127.0.0.1:" + stack.port("CONVERSATION"));
        env.put("PARLEY_MESSAGE_URL", "http://127.0.0.1:" + stack.port("MESSAGE"));
        env.put("PARLEY_NOTIFICATION_URL", "http://127.0.0.1:" + stack.port("NOTIFICATION"));
        Process second = builder.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!ready(management)) {
                assertThat(second.isAlive())
                        .as("second gateway running (log %s)", log)
                        .isTrue();
                assertThat(System.nanoTime()).as("second gateway ready").isLessThan(deadline);
                Thread.sleep(200);
            }
            try (Client alice = new Client().connect();
                    Client bob = new Client()) {
                bob.socket = StackUnderTest.HTTP
                        .newWebSocketBuilder()
                        .header("Authorization", "Bearer " + bob.token)
                        .buildAsync(java.net.URI.create("ws://127.0.0.1:" + port + "/ws"), listener(bob.frames))
                        .get(10, TimeUnit.SECONDS);
                assertThat(bob.next().getString("type")).isEqualTo("welcome");
                String conversation = directConversation(alice, bob);

                JsonObject viaOne = alice.send(conversation, "through gateway 1");
                assertThat(bob.next("message.created").getJsonObject("message").getString("id"))
                        .isEqualTo(viaOne.getString("id"));
                JsonObject viaTwo = bob.send(conversation, "through gateway 2");
                assertThat(alice.next("message.created")
                                .getJsonObject("message")
                                .getString("id"))
                        .isEqualTo(viaOne.getString("id"));
                assertThat(alice.next("message.created")
                                .getJsonObject("message")
                                .getString("id"))
                        .isEqualTo(viaTwo.getString("id"));
            }
        } finally {
            second.destroy();
            second.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void typingReachesTheOtherParticipantAndAStartWithoutStopExpires() throws Exception {
        try (Client alice = new Client().connect();
                Client bob = new Client().connect();
                Client mallory = new Client().connect()) {
            String conversation = directConversation(alice, bob);
            alice.socket
                    .sendText(
                            new JsonObject()
                                    .put("type", "typing")
                                    .put("conversationId", conversation)
                                    .put("state", "start")
                                    .encode(),
                            true)
                    .get(5, TimeUnit.SECONDS);
            JsonObject started = bob.next("typing");
            assertThat(started.getString("userId")).isEqualTo(alice.userId);
            assertThat(started.getString("state")).isEqualTo("start");
            long at = System.nanoTime();
            JsonObject stopped = bob.next("typing");
            assertThat(stopped.getString("state")).isEqualTo("stop");
            assertThat(Duration.ofNanos(System.nanoTime() - at))
                    .as("expired, not stopped at once")
                    .isGreaterThan(Duration.ofSeconds(3));

            mallory.socket
                    .sendText(
                            new JsonObject()
                                    .put("type", "typing")
                                    .put("ref", "t1")
                                    .put("conversationId", conversation)
                                    .put("state", "start")
                                    .encode(),
                            true)
                    .get(5, TimeUnit.SECONDS);
            assertThat(mallory.next("error").getString("code")).isEqualTo("not_found");
            assertThat(mallory.backlog).noneMatch(f -> "typing".equals(f.getString("type")));
        }
    }

    @Test
    void theOtherParticipantsLearnWhenAUserComesAndGoes() throws Exception {
        try (Client bob = new Client().connect();
                Client mallory = new Client().connect()) {
            Client alice = new Client();
            String conversation = directConversation(alice, bob);
            assertThat(conversation).isNotNull();
            alice.connect();
            JsonObject online = bob.next("presence");
            assertThat(online.getString("userId")).isEqualTo(alice.userId);
            assertThat(online.getBoolean("online")).isTrue();
            alice.close();
            JsonObject offline = bob.next("presence");
            assertThat(offline.getString("userId")).isEqualTo(alice.userId);
            assertThat(offline.getBoolean("online")).isFalse();
            assertThat(offline.getString("lastSeenAt")).isNotBlank();
            List<JsonObject> malloryGot = new ArrayList<>(mallory.backlog);
            mallory.frames.forEach(f -> malloryGot.add(new JsonObject(f)));
            assertThat(malloryGot)
                    .noneMatch(
                            f -> "presence".equals(f.getString("type")) && alice.userId.equals(f.getString("userId")));
        }
    }

    /** Whether the service whose management interface is on {@code port} is ready. */
    private static boolean ready(int port) {
        try {
            return StackUnderTest.get(port, "/q/health/ready", null).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static WebSocket.Listener listener(LinkedBlockingQueue<String> frames) {
        return new WebSocket.Listener() {
            @Override
            public java.util.concurrent.CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                frames.add(data.toString());
                ws.request(1);
                return null;
            }
        };
    }

    private static String directConversation(Client from, Client to) throws Exception {
        HttpResponse<String> created = StackUnderTest.post(
                stack.port("GATEWAY"),
                "/api/conversations",
                from.token,
                new JsonObject()
                        .put("type", "direct")
                        .put("participants", List.of(to.userId))
                        .encode());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = new JsonObject(created.body()).getString("id");
        // Usable at once: the creation was acknowledged only once the message-service knew of it.
        assertThat(StackUnderTest.get(stack.port("GATEWAY"), "/api/conversations/" + id + "/messages", from.token)
                        .statusCode())
                .isEqualTo(200);
        return id;
    }

    @Test
    void twoUsersChatBothWaysAndAThirdLearnsNothing() throws Exception {
        try (Client alice = new Client().connect();
                Client bob = new Client().connect();
                Client mallory = new Client().connect()) {
            String conversation = directConversation(alice, bob);

            JsonObject sent = alice.send(conversation, "Hello Bob");
            assertThat(sent.getLong("seq")).isEqualTo(1);
            JsonObject received = bob.next("message.created").getJsonObject("message");
            assertThat(received.getString("id")).isEqualTo(sent.getString("id"));
            assertThat(received.getString("content")).isEqualTo("Hello Bob");

            JsonObject reply = bob.send(conversation, "Hi Alice");
            // The sender's own connection receives her message too, then the reply.
            assertThat(alice.next("message.created").getJsonObject("message").getString("id"))
                    .isEqualTo(sent.getString("id"));
            assertThat(alice.next("message.created").getJsonObject("message").getString("id"))
                    .isEqualTo(reply.getString("id"));

            HttpResponse<String> peek =
                    StackUnderTest.get(stack.port("GATEWAY"), "/api/conversations/" + conversation, mallory.token);
            assertThat(peek.statusCode()).isEqualTo(404);
            assertThat(peek.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            JsonObject refused = sendExpectingError(mallory, conversation);
            assertThat(refused.getString("code")).isEqualTo("not_found");
            Thread.sleep(500);
            List<JsonObject> malloryGot = new ArrayList<>(mallory.backlog);
            mallory.frames.forEach(f -> malloryGot.add(new JsonObject(f)));
            assertThat(malloryGot).noneMatch(f -> f.getString("type").startsWith("message."));
        }
    }

    @Test
    void aUserWithTwoConnectionsSeesTheirOwnMessageOnBoth() throws Exception {
        try (Client phone = new Client().connect();
                Client peer = new Client().connect()) {
            String conversation = directConversation(phone, peer);
            // The same user on a second device: another connection with the phone's token.
            Client laptop = new Client();
            WebSocket second = stack.openSocket(phone.token, laptop.frames);
            assertThat(laptop.next().getString("type")).isEqualTo("welcome");

            JsonObject sent = phone.send(conversation, "from my phone");
            assertThat(phone.next("message.created").getJsonObject("message").getString("id"))
                    .isEqualTo(sent.getString("id"));
            assertThat(laptop.next("message.created").getJsonObject("message").getString("id"))
                    .isEqualTo(sent.getString("id"));
            assertThat(peer.next("message.created").getJsonObject("message").getString("id"))
                    .isEqualTo(sent.getString("id"));
            second.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void readingOnOneDeviceClearsTheCountsOnTheOtherAndTellsTheSender() throws Exception {
        try (Client peer = new Client().connect();
                Client phone = new Client().connect()) {
            String conversation = directConversation(peer, phone);
            Client laptop = new Client();
            WebSocket second = stack.openSocket(phone.token, laptop.frames);
            assertThat(laptop.next().getString("type")).isEqualTo("welcome");

            peer.send(conversation, "are you there?");
            JsonObject last = peer.send(conversation, "hello?");
            for (Client device : List.of(phone, laptop)) {
                JsonObject unread = nextUnread(device, conversation, 2);
                assertThat(unread.getLong("total")).isEqualTo(2);
            }
            phone.socket
                    .sendText(
                            new JsonObject()
                                    .put("type", "read")
                                    .put("conversationId", conversation)
                                    .put("seq", last.getLong("seq"))
                                    .encode(),
                            true)
                    .get(5, TimeUnit.SECONDS);
            for (Client device : List.of(phone, laptop)) {
                JsonObject cleared = nextUnread(device, conversation, 0);
                assertThat(cleared.getLong("total")).isZero();
            }
            JsonObject seen = peer.next("read");
            assertThat(seen.getString("conversationId")).isEqualTo(conversation);
            assertThat(seen.getString("userId")).isEqualTo(phone.userId);
            assertThat(seen.getLong("seq")).isEqualTo(last.getLong("seq"));

            JsonObject listed = new JsonObject(
                    StackUnderTest.get(stack.port("GATEWAY"), "/api/conversations/" + conversation, phone.token)
                            .body());
            assertThat(listed.getLong("unreadCount")).isZero();
            assertThat(listed.getLong("readSeq")).isEqualTo(2);
            assertThat(listed.getJsonObject("lastMessage").getString("content")).isEqualTo("hello?");
            JsonObject unread = new JsonObject(StackUnderTest.get(stack.port("GATEWAY"), "/api/unread", phone.token)
                    .body());
            assertThat(unread.getLong("total")).isZero();
            // A bad read is answered with an error frame, and the connection stays open.
            phone.socket
                    .sendText(
                            new JsonObject()
                                    .put("type", "read")
                                    .put("ref", "r1")
                                    .put("conversationId", conversation)
                                    .put("seq", -3)
                                    .encode(),
                            true)
                    .get(5, TimeUnit.SECONDS);
            JsonObject error = phone.next("error");
            assertThat(error.getString("ref")).isEqualTo("r1");
            assertThat(error.getString("code")).isEqualTo("invalid");
            phone.socket
                    .sendText(
                            new JsonObject()
                                    .put("type", "read")
                                    .put("ref", "r2")
                                    .put("conversationId", UUID.randomUUID().toString())
                                    .put("seq", 1)
                                    .encode(),
                            true)
                    .get(5, TimeUnit.SECONDS);
            assertThat(phone.next("error").getString("code")).isEqualTo("not_found");
            second.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void underConcurrentSendsAndReadsCountsStayPositiveAndEndAsHistorySays() throws Exception {
        try (Client alice = new Client().connect();
                Client bob = new Client().connect()) {
            String conversation = directConversation(alice, bob);
            int messages = 40;
            Thread reader = new Thread(() -> {
                try {
                    for (int seq = 1; seq <= 30; seq += 3) {
                        bob.socket
                                .sendText(
                                        new JsonObject()
                                                .put("type", "read")
                                                .put("conversationId", conversation)
                                                .put("seq", seq)
                                                .encode(),
                                        true)
                                .get(5, TimeUnit.SECONDS);
                        Thread.sleep(5);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            reader.start();
            java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(4);
            List<java.util.concurrent.Future<HttpResponse<String>>> sends = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                String body = new JsonObject()
                        .put("clientMessageId", UUID.randomUUID().toString())
                        .put("content", "message " + i)
                        .encode();
                sends.add(senders.submit(() -> StackUnderTest.post(
                        stack.port("GATEWAY"), "/api/conversations/" + conversation + "/messages", alice.token, body)));
            }
            for (var send : sends) {
                assertThat(send.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
            }
            senders.shutdown();
            reader.join(30_000);
            // Once every message is stored, bob reads up to 37 (his reads so far went up to 28 at most).
            bob.socket
                    .sendText(
                            new JsonObject()
                                    .put("type", "read")
                                    .put("conversationId", conversation)
                                    .put("seq", 37)
                                    .encode(),
                            true)
                    .get(5, TimeUnit.SECONDS);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            JsonObject view;
            while (true) {
                view = new JsonObject(
                        StackUnderTest.get(stack.port("GATEWAY"), "/api/conversations/" + conversation, bob.token)
                                .body());
                if (view.getLong("lastSeq") == messages && view.getLong("readSeq") == 37) {
                    break;
                }
                assertThat(System.nanoTime()).as("the list caught up: %s", view).isLessThan(deadline);
                Thread.sleep(50);
            }
            JsonObject history = new JsonObject(StackUnderTest.get(
                            stack.port("GATEWAY"),
                            "/api/conversations/" + conversation + "/messages?afterSeq=0&limit=200",
                            bob.token)
                    .body());
            long stored = history.getJsonArray("items").size();
            assertThat(stored).isEqualTo(messages);
            assertThat(view.getLong("unreadCount")).isEqualTo(stored - view.getLong("readSeq"));
            JsonObject unread = new JsonObject(StackUnderTest.get(stack.port("GATEWAY"), "/api/unread", bob.token)
                    .body());
            assertThat(unread.getJsonObject("conversations").getLong(conversation, 0L))
                    .isEqualTo(view.getLong("unreadCount"));
            // Every count bob's connection was told was a real one, never below zero.
            Thread.sleep(300);
            List<JsonObject> told = new ArrayList<>(bob.backlog);
            bob.frames.forEach(f -> told.add(new JsonObject(f)));
            List<JsonObject> counts = told.stream()
                    .filter(f -> "unread".equals(f.getString("type")))
                    .toList();
            assertThat(counts).isNotEmpty();
            assertThat(counts).allSatisfy(f -> {
                assertThat(f.getLong("count")).isBetween(0L, (long) messages);
                assertThat(f.getLong("total")).isGreaterThanOrEqualTo(f.getLong("count"));
            });
            assertThat(counts.get(counts.size() - 1).getLong("count")).isEqualTo(view.getLong("unreadCount"));
        }
    }

    @Test
    void adminsOnTheSupportDeskSeeEachOtherTypingAndWhoAnswered() throws Exception {
        try (Client client = new Client().connect();
                Client first = new Client("admin").connect();
                Client second = new Client("admin").connect()) {
            String support = new JsonObject(
                            StackUnderTest.get(stack.port("GATEWAY"), "/api/conversations/support", client.token)
                                    .body())
                    .getString("id");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (StackUnderTest.get(
                                    stack.port("GATEWAY"), "/api/conversations/" + support + "/messages", client.token)
                            .statusCode()
                    != 200) {
                assertThat(System.nanoTime())
                        .as("support conversation known to the message-service")
                        .isLessThan(deadline);
                Thread.sleep(50);
            }
            JsonObject question = client.send(support, "I need help");
            for (Client admin : List.of(first, second)) {
                assertThat(admin.next("message.created")
                                .getJsonObject("message")
                                .getString("id"))
                        .isEqualTo(question.getString("id"));
            }
            first.socket
                    .sendText(
                            new JsonObject()
                                    .put("type", "typing")
                                    .put("conversationId", support)
                                    .put("state", "start")
                                    .encode(),
                            true)
                    .get(5, TimeUnit.SECONDS);
            for (Client other : List.of(second, client)) {
                JsonObject typing = other.next("typing");
                assertThat(typing.getString("userId")).isEqualTo(first.userId);
                assertThat(typing.getString("conversationId")).isEqualTo(support);
            }
            first.send(support, "Here to help");
            assertThat(second.next("message.created").getJsonObject("message").getString("senderId"))
                    .isEqualTo(first.userId);
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            JsonObject seen;
            while (true) {
                seen = new JsonObject(
                        StackUnderTest.get(stack.port("GATEWAY"), "/api/conversations/" + support, second.token)
                                .body());
                if (first.userId.equals(seen.getString("answeredBy"))) {
                    break;
                }
                assertThat(System.nanoTime())
                        .as("answered in the list: %s", seen)
                        .isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(seen.getBoolean("awaitingReply")).isFalse();
            String unanswered = StackUnderTest.get(
                            stack.port("GATEWAY"), "/api/conversations?filter=unanswered&limit=100", second.token)
                    .body();
            assertThat(unanswered).doesNotContain(support);
            assertThat(nextUnread(client, support, 1).getLong("total")).isEqualTo(1);
        }
    }

    /** The next unread frame of {@code conversation} with {@code count}, skipping earlier counts of it. */
    private static JsonObject nextUnread(Client client, String conversation, long count) throws Exception {
        while (true) {
            JsonObject frame = client.next("unread");
            if (conversation.equals(frame.getString("conversationId")) && frame.getLong("count") == count) {
                return frame;
            }
        }
    }

    @Test
    void aClientAwayDuringFiftyMessagesResumesWithExactlyThoseInOrderThenLiveOnes() throws Exception {
        try (Client alice = new Client().connect();
                Client bob = new Client().connect()) {
            String conversation = directConversation(alice, bob);
            alice.send(conversation, "before");
            long lastSeen = bob.next("message.created").getJsonObject("message").getLong("seq");
            bob.close();

            List<Long> sentWhileAway = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                sentWhileAway.add(alice.send(conversation, "while away " + i).getLong("seq"));
            }
            // Alice's own copies have come back: the gateway has delivered all 50 before Bob reconnects.
            alice.next("message.created");
            for (int i = 0; i < 50; i++) {
                assertThat(alice.next("message.created")
                                .getJsonObject("message")
                                .getLong("seq"))
                        .isEqualTo(sentWhileAway.get(i));
            }

            Client bobAgain = new Client();
            bobAgain.socket = stack.openSocket(bob.token, bobAgain.frames);
            assertThat(bobAgain.next().getString("type")).isEqualTo("welcome");
            bobAgain.socket
                    .sendText(
                            new JsonObject()
                                    .put("type", "resume")
                                    .put("positions", new JsonObject().put(conversation, lastSeen))
                                    .encode(),
                            true)
                    .get(5, TimeUnit.SECONDS);
            // A live message sent during the replay must come after it, once.
            JsonObject live = alice.send(conversation, "live");

            List<Long> replayed = new ArrayList<>();
            JsonObject frame;
            while (!"resumed".equals((frame = bobAgain.next()).getString("type"))) {
                if ("message.created".equals(frame.getString("type"))) {
                    replayed.add(frame.getJsonObject("message").getLong("seq"));
                }
            }
            List<Long> afterResumed = new ArrayList<>();
            if (!replayed.contains(live.getLong("seq"))) {
                afterResumed.add(bobAgain.next("message.created")
                        .getJsonObject("message")
                        .getLong("seq"));
            }
            List<Long> all = new ArrayList<>(replayed);
            all.addAll(afterResumed);
            List<Long> expected = new ArrayList<>(sentWhileAway);
            expected.add(live.getLong("seq"));
            assertThat(all).containsExactlyElementsOf(expected);
            assertThat(replayed).startsWith(sentWhileAway.toArray(Long[]::new));

            JsonObject later = alice.send(conversation, "later");
            assertThat(bobAgain.next("message.created").getJsonObject("message").getLong("seq"))
                    .isEqualTo(later.getLong("seq"));
            bobAgain.close();
        }
    }

    @Test
    void aClientThatReconnectsWithResumeFirstGetsNoLiveMessageAheadOfItsReplay() throws Exception {
        try (Client alice = new Client().connect();
                Client bob = new Client().connect()) {
            String conversation = directConversation(alice, bob);
            alice.send(conversation, "before");
            long lastSeen = bob.next("message.created").getJsonObject("message").getLong("seq");
            bob.close();
            List<Long> whileAway = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                whileAway.add(alice.send(conversation, "while away " + i).getLong("seq"));
            }

            Client bobAgain = new Client();
            bobAgain.socket = stack.openSocket(bob.token, bobAgain.frames, "/ws?resume=1");
            assertThat(bobAgain.next().getString("type")).isEqualTo("welcome");
            // A message sent after the welcome and before the resume: without the hold it would arrive first,
            // ahead of the five it follows, and a client that drops what is not above its highest seq would lose them.
            long live = alice.send(conversation, "live before the resume").getLong("seq");
            Thread.sleep(500);
            bobAgain.socket
                    .sendText(
                            new JsonObject()
                                    .put("type", "resume")
                                    .put("positions", new JsonObject().put(conversation, lastSeen))
                                    .encode(),
                            true)
                    .get(5, TimeUnit.SECONDS);
            List<Long> received = new ArrayList<>();
            JsonObject frame;
            while (!"resumed".equals((frame = bobAgain.next()).getString("type"))) {
                if ("message.created".equals(frame.getString("type"))) {
                    received.add(frame.getJsonObject("message").getLong("seq"));
                }
            }
            if (!received.contains(live)) {
                received.add(bobAgain.next("message.created")
                        .getJsonObject("message")
                        .getLong("seq"));
            }
            List<Long> expected = new ArrayList<>(whileAway);
            expected.add(live);
            assertThat(received).containsExactlyElementsOf(expected);
            bobAgain.close();
        }
    }

    private static JsonObject sendExpectingError(Client client, String conversation) throws Exception {
        String ref = UUID.randomUUID().toString();
        client.socket
                .sendText(
                        new JsonObject()
                                .put("type", "send")
                                .put("ref", ref)
                                .put("conversationId", conversation)
                                .put("clientMessageId", UUID.randomUUID().toString())
                                .put("content", "let me in")
                                .encode(),
                        true)
                .get(5, TimeUnit.SECONDS);
        JsonObject error = client.next("error");
        assertThat(error.getString("ref")).isEqualTo(ref);
        return error;
    }
}
