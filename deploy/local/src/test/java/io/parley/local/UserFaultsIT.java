package io.parley.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The faults users met, replayed through the gateway as an app meets them (issue 11), one test per case: what was
 * acknowledged is usable at once; text the database cannot hold is refused naming the field; an identity is decided
 * again when it changes and never from a string two people can make; a removal takes effect at once; read models
 * follow edits and deletes; one bad part of a frame spoils only itself.
 */
class UserFaultsIT extends RunningStack {

    private static StackClient user() {
        return new StackClient(stack, keys, "client");
    }

    private static StackClient user(String role) {
        return new StackClient(stack, keys, role);
    }

    private static String create(StackClient creator, String type, StackClient... others) throws Exception {
        JsonArray participants = new JsonArray();
        for (StackClient other : others) {
            participants.add(other.userId);
        }
        HttpResponse<String> created = creator.post(
                "/api/conversations", new JsonObject().put("type", type).put("participants", participants));
        assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
        return new JsonObject(created.body()).getString("id");
    }

    private static HttpResponse<String> postMessage(StackClient sender, String conversation, String content)
            throws Exception {
        return sender.post(
                "/api/conversations/" + conversation + "/messages",
                new JsonObject()
                        .put("clientMessageId", UUID.randomUUID().toString())
                        .put("content", content));
    }

    // 1. What was acknowledged is usable at once.

    @Test
    void aConversationJustCreatedTakesMessagesReadsAndHistoryAtOnce() throws Exception {
        StackClient alice = user();
        for (int i = 0; i < 20; i++) {
            StackClient bob = user();
            String type = i % 2 == 0 ? "direct" : "group";
            String conversation = create(alice, type, bob);
            HttpResponse<String> sent = postMessage(alice, conversation, "right away " + i);
            assertThat(sent.statusCode())
                    .as("send #%d right after creating a %s: %s", i, type, sent.body())
                    .isEqualTo(201);
            assertThat(bob.get("/api/conversations/" + conversation + "/messages")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(bob.post("/api/conversations/" + conversation + "/read", new JsonObject().put("seq", 1))
                            .statusCode())
                    .isEqualTo(204);
        }
        try (StackClient ws = user().connect()) {
            for (int i = 0; i < 5; i++) {
                String conversation = create(ws, "group", user());
                assertThat(ws.send(conversation, "over the socket " + i).getLong("seq"))
                        .isEqualTo(1L);
            }
        }
    }

    @Test
    void aParticipantJustAddedCanSendAtOnce() throws Exception {
        StackClient alice = user();
        String group = create(alice, "group", user());
        for (int i = 0; i < 10; i++) {
            StackClient carol = user();
            HttpResponse<String> added = alice.post(
                    "/api/conversations/" + group + "/participants", new JsonObject().put("userId", carol.userId));
            assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
            HttpResponse<String> sent = postMessage(carol, group, "just joined " + i);
            assertThat(sent.statusCode())
                    .as("send right after being added: %s", sent.body())
                    .isEqualTo(201);
        }
    }

    @Test
    void aSupportConversationIsUsableAsSoonAsItIsHandedOut() throws Exception {
        for (int i = 0; i < 5; i++) {
            StackClient client = user();
            HttpResponse<String> support = client.get("/api/conversations/support");
            assertThat(support.statusCode()).isEqualTo(200);
            String id = new JsonObject(support.body()).getString("id");
            HttpResponse<String> sent = postMessage(client, id, "help");
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
        }
    }

    // 4. A removal takes effect everywhere at once.

    @Test
    void aRemovedParticipantStopsSendingAndReceivingAtOnceAndTheirCountsForgetTheGroup() throws Exception {
        try (StackClient alice = user().connect();
                StackClient bob = user().connect();
                StackClient carol = user().connect()) {
            String group = create(alice, "group", bob, carol);
            alice.send(group, "one");
            alice.send(group, "two");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> new JsonObject(bob.get("/api/unread").body()).getLong("total") == 2L);
            bob.drain(Duration.ofMillis(300));

            HttpResponse<String> removed =
                    alice.request("DELETE", "/api/conversations/" + group + "/participants/" + bob.userId, null);
            assertThat(removed.statusCode()).isEqualTo(204);

            // at once: no send, no history, no typing, and their totals no longer hold the group
            assertThat(postMessage(bob, group, "still here?").statusCode()).isEqualTo(404);
            assertThat(bob.get("/api/conversations/" + group + "/messages").statusCode())
                    .isEqualTo(404);
            JsonObject unread = new JsonObject(bob.get("/api/unread").body());
            assertThat(unread.getLong("total")).isZero();
            assertThat(unread.getJsonObject("conversations").containsKey(group)).isFalse();
            bob.write(new JsonObject()
                    .put("type", "typing")
                    .put("ref", "t")
                    .put("conversationId", group)
                    .put("state", "start"));
            assertThat(bob.next("error").getString("code")).isEqualTo("not_found");

            alice.write(new JsonObject()
                    .put("type", "typing")
                    .put("conversationId", group)
                    .put("state", "start"));
            assertThat(carol.next("typing").getString("userId")).isEqualTo(alice.userId);
            alice.send(group, "after bob left");
            assertThat(carol.next("message.created").getJsonObject("message").getString("content"))
                    .isIn("one", "two", "after bob left");
            List<JsonObject> bobGot = bob.drain(Duration.ofSeconds(2));
            assertThat(bobGot).noneMatch(f -> "typing".equals(f.getString("type")));
            assertThat(bobGot).noneMatch(f -> "message.created".equals(f.getString("type")));
            // the badge on bob's devices follows: the group's count goes to zero
            assertThat(bobGot)
                    .anyMatch(f -> "unread".equals(f.getString("type"))
                            && group.equals(f.getString("conversationId"))
                            && f.getLong("count") == 0L
                            && f.getLong("total") == 0L);
            JsonArray list = new JsonObject(bob.get("/api/conversations").body()).getJsonArray("items");
            assertThat(list.stream().map(o -> ((JsonObject) o).getString("id"))).doesNotContain(group);
        }
    }

    // 5. Read models follow edits and deletes.

    @Test
    void theListAndTheViewFollowAnEditAndADeleteOfTheLastMessage() throws Exception {
        StackClient alice = user();
        StackClient bob = user();
        String conversation = create(alice, "direct", bob);
        postMessage(alice, conversation, "hello");
        JsonObject last =
                new JsonObject(postMessage(alice, conversation, "the secret").body());
        String path = "/api/conversations/" + conversation + "/messages/" + last.getString("id");

        assertThat(alice.request(
                                "PATCH",
                                path,
                                new JsonObject().put("content", "the edit").encode())
                        .statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(lastMessage(bob, conversation).getString("content")).isEqualTo("the edit");
            assertThat(listed(bob, conversation).getJsonObject("lastMessage").getString("content"))
                    .isEqualTo("the edit");
        });

        assertThat(alice.request("DELETE", path, null).statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonObject viewed = lastMessage(bob, conversation);
            assertThat(viewed.getString("content")).isNull();
            assertThat(viewed.getString("deletedAt")).isNotNull();
            assertThat(bob.get("/api/conversations").body())
                    .doesNotContain("the edit")
                    .doesNotContain("the secret");
        });
        assertThat(listed(bob, conversation).getLong("unreadCount")).isEqualTo(2L);
    }

    private static JsonObject lastMessage(StackClient reader, String conversation) throws Exception {
        return new JsonObject(reader.get("/api/conversations/" + conversation).body()).getJsonObject("lastMessage");
    }

    private static JsonObject listed(StackClient reader, String conversation) throws Exception {
        return new JsonObject(reader.get("/api/conversations").body())
                .getJsonArray("items").stream()
                        .map(JsonObject.class::cast)
                        .filter(c -> conversation.equals(c.getString("id")))
                        .findFirst()
                        .orElseThrow();
    }

    // 2. Text the database refuses is refused, naming the field; everything else round-trips.

    private static final String NUL = "\"a\\u0000b\"";
    private static final String LONE = "\"x\\ud800y\"";

    @Test
    void contentThatCannotBeStoredIsA400OrAnInvalidFrameAndTakesNoSeq() throws Exception {
        try (StackClient alice = user().connect()) {
            StackClient bob = user();
            String conversation = create(alice, "direct", bob);
            for (String bad : List.of(NUL, LONE)) {
                HttpResponse<String> rest = alice.request(
                        "POST",
                        "/api/conversations/" + conversation + "/messages",
                        "{\"clientMessageId\":\"" + UUID.randomUUID() + "\",\"content\":" + bad + "}");
                assertThat(rest.statusCode()).as(rest.body()).isEqualTo(400);
                assertThat(new JsonObject(rest.body()).getString("detail")).contains("content");

                alice.socket
                        .sendText(
                                "{\"type\":\"send\",\"ref\":\"r\",\"conversationId\":\"" + conversation
                                        + "\",\"clientMessageId\":\"" + UUID.randomUUID() + "\",\"content\":" + bad
                                        + "}",
                                true)
                        .get(5, TimeUnit.SECONDS);
                JsonObject error = alice.next("error");
                assertThat(error.getString("code")).isEqualTo("invalid");
                assertThat(error.getString("message")).contains("content");
            }
            String odd = "\u202Eabc\u200B😀\u0007 x|y \uFEFF";
            JsonObject stored = alice.send(conversation, odd);
            assertThat(stored.getLong("seq"))
                    .as("the refused sends took no seq")
                    .isEqualTo(1L);
            JsonObject history = new JsonObject(
                    bob.get("/api/conversations/" + conversation + "/messages").body());
            assertThat(history.getJsonArray("items").getJsonObject(0).getString("content"))
                    .isEqualTo(odd);

            HttpResponse<String> edit = alice.request(
                    "PATCH",
                    "/api/conversations/" + conversation + "/messages/" + stored.getString("id"),
                    "{\"content\":" + LONE + "}");
            assertThat(edit.statusCode()).as(edit.body()).isEqualTo(400);
        }
    }

    @Test
    void titlesParticipantsAndPathsThatCannotBeStoredAreA400() throws Exception {
        StackClient alice = user();
        StackClient bob = user();
        for (String bad : List.of(NUL, LONE)) {
            HttpResponse<String> title = alice.request(
                    "POST",
                    "/api/conversations",
                    "{\"type\":\"group\",\"title\":" + bad + ",\"participants\":[\"" + bob.userId + "\"]}");
            assertThat(title.statusCode()).as(title.body()).isEqualTo(400);
            assertThat(new JsonObject(title.body()).getString("detail")).contains("title");

            HttpResponse<String> member = alice.request(
                    "POST",
                    "/api/conversations",
                    "{\"type\":\"group\",\"participants\":[\"" + bob.userId + "\"," + bad + "]}");
            assertThat(member.statusCode()).as(member.body()).isEqualTo(400);
            assertThat(new JsonObject(member.body()).getString("detail")).contains("participants[1]");

            HttpResponse<String> push =
                    alice.request("POST", "/api/push/subscriptions", "{\"kind\":\"fcm\",\"token\":" + bad + "}");
            assertThat(push.statusCode()).as(push.body()).isEqualTo(400);
        }
        String group = create(alice, "group", bob);
        HttpResponse<String> add =
                alice.request("POST", "/api/conversations/" + group + "/participants", "{\"userId\":" + NUL + "}");
        assertThat(add.statusCode()).as(add.body()).isEqualTo(400);
        HttpResponse<String> remove =
                alice.request("DELETE", "/api/conversations/" + group + "/participants/a%00b", null);
        assertThat(remove.statusCode()).as(remove.body()).isIn(400, 404);
        String odd = "Équipe \u202Eעברית\u200B 😀";
        HttpResponse<String> titled = alice.post(
                "/api/conversations",
                new JsonObject()
                        .put("type", "group")
                        .put("title", odd)
                        .put("participants", new JsonArray().add(bob.userId)));
        assertThat(new JsonObject(titled.body()).getString("title")).isEqualTo(odd);
    }

    // 3. Identities: decided again when they change, never from a string two people can make.

    @Test
    void directConversationsOfIdsWithSeparatorsStayApart() throws Exception {
        String p = UUID.randomUUID().toString().substring(0, 8);
        StackClient xy = new StackClient(stack, keys, p + "-x|y", "client");
        StackClient z = new StackClient(stack, keys, p + "-z", "client");
        StackClient x = new StackClient(stack, keys, p + "-x", "client");
        StackClient yz = new StackClient(stack, keys, "y|" + p + "-z", "client");
        String first = create(xy, "direct", z);
        postMessage(xy, first, "between x|y and z");
        // "x" and "y|z" would have made the same joined key with a different pair
        StackClient xAlt = new StackClient(stack, keys, p + "-x|y|" + p, "client");
        String second = create(x, "direct", yz);
        String third = create(xAlt, "direct", z);
        assertThat(second).isNotEqualTo(first);
        assertThat(third).isNotEqualTo(first);
        assertThat(x.get("/api/conversations/" + first).statusCode()).isEqualTo(404);
        assertThat(create(z, "direct", xy)).isEqualTo(first);
    }

    @Test
    void aTokenWithNoKnownRoleIsRefusedOnRestAndOnTheSocket() throws Exception {
        StackClient guest = user("guest");
        HttpResponse<String> refused = guest.get("/api/conversations");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        HttpResponse<String> anonymous = StackUnderTest.get(stack.port("GATEWAY"), "/api/unread", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThatThrownBy(() -> stack.openSocket(guest.token, new java.util.concurrent.LinkedBlockingQueue<>()))
                .isInstanceOf(ExecutionException.class)
                .satisfies(e -> assertThat(((java.net.http.WebSocketHandshakeException) e.getCause())
                                .getResponse()
                                .statusCode())
                        .isEqualTo(403));
    }

    @Test
    void anAdminWhoseFreshTokenSaysClientStopsReceivingSupportConversations() throws Exception {
        String adminId = "user-" + UUID.randomUUID();
        try (StackClient admin = new StackClient(stack, keys, adminId, "admin").connect();
                StackClient client = user().connect()) {
            String support =
                    new JsonObject(client.get("/api/conversations/support").body()).getString("id");
            client.send(support, "first");
            assertThat(admin.next("message.created").getJsonObject("message").getString("content"))
                    .isEqualTo("first");
            admin.write(new JsonObject()
                    .put("type", "auth")
                    .put("ref", "a")
                    .put("token", keys.token(adminId, "client", "Demoted", Duration.ofHours(1))));
            assertThat(admin.next("authenticated").getString("ref")).isEqualTo("a");
            client.send(support, "second");
            assertThat(admin.drain(Duration.ofSeconds(2)))
                    .noneMatch(f -> f.encode().contains("second"));
        }
    }

    // 7. One bad part of a frame spoils only itself.

    @Test
    void aResumeWithOneKeyThatIsNotAUuidReplaysTheOthers() throws Exception {
        StackClient alice = user();
        try (StackClient bob = user().connect()) {
            String conversation = create(alice, "direct", bob);
            postMessage(alice, conversation, "one");
            postMessage(alice, conversation, "two");
            bob.drain(Duration.ofMillis(500));
            bob.write(new JsonObject()
                    .put("type", "resume")
                    .put("ref", "r1")
                    .put("positions", new JsonObject().put("not-a-uuid", 0).put(conversation, 0)));
            JsonObject error = bob.next("error");
            assertThat(error.getString("code")).isEqualTo("not_found");
            assertThat(bob.next("message.created").getJsonObject("message").getString("content"))
                    .isEqualTo("one");
            assertThat(bob.next("message.created").getJsonObject("message").getString("content"))
                    .isEqualTo("two");
            assertThat(bob.next("resumed").getString("ref")).isEqualTo("r1");
        }
    }
}
