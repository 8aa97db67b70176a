package io.parley.conversation;

import static io.parley.conversation.InboxTest.create;
import static io.parley.conversation.InboxTest.unread;
import static io.parley.conversation.InboxTest.view;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.events.MessageData;
import io.parley.events.MessageEvent;
import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The last message the list, the conversation and the support desk show follows message.updated and message.deleted
 * as it follows message.created: as the message is now, without moving the conversation or changing any count.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class InboxEditsAndDeletesTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Test
    void anEditedLastMessageShowsItsNewTextInTheListAndTheView() {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        List<String> members = List.of(alice, bob);
        UUID group = create(alice, "group", List.of(bob));
        UUID other = create(alice, "group", List.of(bob));
        try (Messages messages = new Messages(kafka)) {
            messages.created(group, "group", members, 1, alice, "client");
            MessageData last = messages.created(group, "group", members, 2, alice, "client");
            // another conversation gets newer activity: the edit must not move the edited one back to the top
            messages.created(other, "group", members, 1, alice, "client");
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() ->
                            assertThat(view(bob, other).getLong("lastSeq")).isEqualTo(1));
            List<String> orderBefore = listedIds(bob);

            messages.updated(last, "group", members, "edited text");
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(view(bob, group).getString("lastMessage.content"))
                            .isEqualTo("edited text"));
            JsonPath seen = view(bob, group);
            assertThat(seen.getString("lastMessage.editedAt")).isNotNull();
            assertThat(seen.getLong("lastSeq")).isEqualTo(2);
            assertThat(seen.getLong("unreadCount")).isEqualTo(2);
            assertThat(listed(bob, group).get("lastMessage"))
                    .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                    .containsEntry("content", "edited text");
            assertThat(listedIds(bob)).isEqualTo(orderBefore);
        }
    }

    @Test
    void aDeletedLastMessageNoLongerShowsItsTextAnywhereAndStillCountsUntilRead() {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        List<String> members = List.of(alice, bob);
        UUID direct = create(alice, "direct", List.of(bob));
        try (Messages messages = new Messages(kafka)) {
            MessageData last = messages.created(direct, "direct", members, 1, alice, "client");
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(view(bob, direct).getString("lastMessage.content"))
                            .isEqualTo("message 1"));

            messages.deleted(last, "direct", members);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(view(bob, direct).getString("lastMessage.deletedAt"))
                            .isNotNull());
            JsonPath seen = view(bob, direct);
            Map<String, Object> shown = seen.getMap("lastMessage");
            assertThat(shown)
                    .containsEntry("content", null)
                    .containsEntry("id", last.id().toString());
            assertThat(seen.getList("lastMessage.attachments")).isEmpty();
            assertThat(seen.prettify()).doesNotContain("message 1");
            Map<String, Object> inList = listed(bob, direct);
            assertThat(((Map<?, ?>) inList.get("lastMessage")).get("content")).isNull();
            assertThat(((Map<?, ?>) inList.get("lastMessage")).get("deletedAt")).isNotNull();
            assertThat(inList.toString()).doesNotContain("message 1");
            // a deleted message keeps its place: it counts until read
            assertThat(seen.getLong("unreadCount")).isEqualTo(1);
            assertThat(unread(bob).get("total")).isEqualTo(1);
        }
    }

    @Test
    void anEditOfAnOlderMessageLeavesTheLastMessage() {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        List<String> members = List.of(alice, bob);
        UUID group = create(alice, "group", List.of(bob));
        try (Messages messages = new Messages(kafka)) {
            MessageData first = messages.created(group, "group", members, 1, alice, "client");
            messages.created(group, "group", members, 2, bob, "client");
            messages.updated(first, "group", members, "an edit of the first");
            messages.deleted(first, "group", members);
            // a read after them, in the same partition: once it is applied, so are they
            messages.read(group, "group", members, bob, 2);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() ->
                            assertThat(view(alice, group).getLong("readSeq")).isEqualTo(1));
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(unread(bob).get("total")).isEqualTo(0));
            JsonPath seen = view(alice, group);
            assertThat(seen.getString("lastMessage.content")).isEqualTo("message 2");
            assertThat(seen.getLong("lastSeq")).isEqualTo(2);
            assertThat(seen.getString("lastMessage.deletedAt")).isNull();
        }
    }

    @Test
    void aRedeliveredOrLateChangeChangesNothing() {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        List<String> members = List.of(alice, bob);
        UUID group = create(alice, "group", List.of(bob));
        try (Messages messages = new Messages(kafka)) {
            MessageData last = messages.created(group, "group", members, 1, alice, "client");
            MessageEvent firstEdit = messages.updated(last, "group", members, "first edit");
            messages.updated(firstEdit.message(), "group", members, "second edit");
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(view(bob, group).getString("lastMessage.content"))
                            .isEqualTo("second edit"));

            // the first edit again (a redelivery): the second one stays
            messages.again(firstEdit);
            messages.read(group, "group", members, bob, 1);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() ->
                            assertThat(view(bob, group).getLong("readSeq")).isEqualTo(1));
            assertThat(view(bob, group).getString("lastMessage.content")).isEqualTo("second edit");

            // deleted, then an edit that is late or published again: the message stays deleted
            MessageEvent deletion = messages.deleted(firstEdit.message(), "group", members);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(view(bob, group).getString("lastMessage.deletedAt"))
                            .isNotNull());
            JsonPath deleted = view(bob, group);
            messages.updated(last, "group", members, "a late edit");
            messages.again(deletion);
            messages.again(firstEdit);
            MessageData next = messages.created(group, "group", members, 2, alice, "client");
            messages.read(group, "group", members, alice, 2);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() ->
                            assertThat(view(alice, group).getLong("readSeq")).isEqualTo(2));
            // none of them reached the view: message 2 is the last one, and bob's count is only that message
            JsonPath after = view(bob, group);
            assertThat(after.getString("lastMessage.content")).isEqualTo("message 2");
            assertThat(after.getString("lastMessage.id")).isEqualTo(next.id().toString());
            assertThat(after.getLong("unreadCount")).isEqualTo(1);
            assertThat(deleted.getString("lastMessage.content")).isNull();
        }
    }

    @Test
    void aLateEditOfTheLastMessageAfterItsDeletionLeavesItDeleted() {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        List<String> members = List.of(alice, bob);
        UUID group = create(alice, "group", List.of(bob));
        try (Messages messages = new Messages(kafka)) {
            MessageData last = messages.created(group, "group", members, 1, alice, "client");
            messages.deleted(last, "group", members);
            messages.updated(last, "group", members, "resurrected?");
            messages.read(group, "group", members, bob, 1);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() ->
                            assertThat(view(bob, group).getLong("readSeq")).isEqualTo(1));
            JsonPath seen = view(bob, group);
            assertThat(seen.getString("lastMessage.deletedAt")).isNotNull();
            assertThat(seen.getString("lastMessage.content")).isNull();
        }
    }

    @Test
    void theSupportDeskFollowsEditsAndDeletesAndKeepsWhoIsAwaited() {
        String client = "client-" + UUID.randomUUID();
        String admin = "admin-" + UUID.randomUUID();
        String adminToken = TestKeys.token(admin, "admin");
        String support = given().auth()
                .oauth2(TestKeys.token(client, "client"))
                .get("/api/conversations/support")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        UUID id = UUID.fromString(support);
        try (Messages messages = new Messages(kafka)) {
            MessageData question = messages.created(id, "support", List.of(client), 1, client, "client");
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(
                            () -> assertThat(deskEntry(adminToken, support)).isNotNull());
            messages.updated(question, "support", List.of(client), "a better question");
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(
                                    ((Map<?, ?>) deskEntry(adminToken, support).get("lastMessage")).get("content"))
                            .isEqualTo("a better question"));
            messages.deleted(question, "support", List.of(client));
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(
                                    ((Map<?, ?>) deskEntry(adminToken, support).get("lastMessage")).get("deletedAt"))
                            .isNotNull());
            Map<String, Object> entry = deskEntry(adminToken, support);
            assertThat(entry.toString()).doesNotContain("question");
            // a deleted message keeps its place: the client still awaits a reply
            assertThat(entry.get("awaitingReply")).isEqualTo(true);
            assertThat(entry.get("answeredBy")).isNull();

            // an admin's answer that is then deleted: it still answered
            MessageData answer = messages.created(id, "support", List.of(client), 2, admin, "admin");
            messages.deleted(answer, "support", List.of(client));
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(((Map<?, ?>) given().auth()
                                            .oauth2(adminToken)
                                            .get("/api/conversations/" + support)
                                            .then()
                                            .statusCode(200)
                                            .extract()
                                            .jsonPath()
                                            .getMap("lastMessage"))
                                    .get("deletedAt"))
                            .isNotNull());
            JsonPath seen = given().auth()
                    .oauth2(adminToken)
                    .get("/api/conversations/" + support)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(seen.getBoolean("awaitingReply")).isFalse();
            assertThat(seen.getString("answeredBy")).isEqualTo(admin);
            assertThat(seen.getLong("lastSeq")).isEqualTo(2);
        }
    }

    private static Map<String, Object> deskEntry(String adminToken, String id) {
        List<Map<String, Object>> items = given().auth()
                .oauth2(adminToken)
                .get("/api/conversations?filter=unanswered&limit=100")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items");
        return items.stream().filter(i -> id.equals(i.get("id"))).findFirst().orElse(null);
    }

    private static Map<String, Object> listed(String user, UUID id) {
        List<Map<String, Object>> items = given().auth()
                .oauth2(TestKeys.token(user, "client"))
                .get("/api/conversations?limit=100")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items");
        return items.stream()
                .filter(i -> id.toString().equals(i.get("id")))
                .findFirst()
                .orElseThrow();
    }

    private static List<String> listedIds(String user) {
        return given().auth()
                .oauth2(TestKeys.token(user, "client"))
                .get("/api/conversations?limit=100")
                .then()
                .statusCode(200)
                .extract()
                .path("items.id");
    }
}
