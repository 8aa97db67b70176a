package io.parley.conversation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.events.MessageData;
import io.parley.events.MuteChanged;
import io.parley.events.Topics;
import io.parley.infra.EventPublisher;
import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * What the views add for the app: {@code muted} from the notification-service's mute events, {@code awaitingSince} on
 * support conversations, and the support desk's unanswered filter, the oldest wait first.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class ViewsMutedAndWaitingTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Test
    void mutedFollowsTheCallersOwnMutesInTheListAndTheConversation() {
        String ann = "ann-" + UUID.randomUUID();
        String ben = "ben-" + UUID.randomUUID();
        UUID direct = InboxTest.create(ann, "direct", List.of(ben));
        UUID other = InboxTest.create(ann, "direct", List.of("cy-" + UUID.randomUUID()));
        assertThat(InboxTest.view(ann, direct).getBoolean("muted")).isFalse();
        try (EventPublisher events = new EventPublisher(kafka)) {
            Instant t = Instant.now().truncatedTo(ChronoUnit.MICROS);
            events.publish(Topics.USERS, MuteChanged.of(ann, direct, true, null, t));
            await().atMost(WAIT).until(() -> InboxTest.view(ann, direct).getBoolean("muted"));
            assertThat(listedMuted(ann, direct)).isTrue();
            // the caller's own: the other participant's view, and the caller's other conversation, are not muted
            assertThat(InboxTest.view(ben, direct).getBoolean("muted")).isFalse();
            assertThat(listedMuted(ben, direct)).isFalse();
            assertThat(listedMuted(ann, other)).isFalse();

            // unmuted
            events.publish(Topics.USERS, MuteChanged.of(ann, direct, false, null, t.plusMillis(10)));
            await().atMost(WAIT).until(() -> !InboxTest.view(ann, direct).getBoolean("muted"));
            assertThat(listedMuted(ann, direct)).isFalse();

            // a change older than the one applied (a late redelivery) changes nothing; a mute whose until passed is
            // no mute; one whose until is ahead is
            events.publish(Topics.USERS, MuteChanged.of(ann, direct, true, null, t.plusMillis(5)));
            events.publish(Topics.USERS, MuteChanged.of(ann, other, true, t.minusSeconds(1), t));
            UUID third = InboxTest.create(ann, "direct", List.of("dee-" + UUID.randomUUID()));
            events.publish(
                    Topics.USERS, MuteChanged.of(ann, third, true, Instant.now().plusSeconds(3600), t));
            await().atMost(WAIT).until(() -> InboxTest.view(ann, third).getBoolean("muted"));
            assertThat(InboxTest.view(ann, direct).getBoolean("muted")).isFalse();
            assertThat(InboxTest.view(ann, other).getBoolean("muted")).isFalse();
        }
    }

    @Test
    void awaitingSinceIsTheFirstClientMessageAfterTheLastAdminAnswer() {
        String client = "client-" + UUID.randomUUID();
        String admin = "admin-" + UUID.randomUUID();
        UUID desk = support(client);
        JsonPath fresh = view(admin, desk);
        assertThat(fresh.getBoolean("awaitingReply")).isFalse();
        assertThat(fresh.getString("awaitingSince")).isNull();
        try (Messages messages = new Messages(kafka)) {
            MessageData first = messages.created(desk, "support", List.of(client), 1, client, "client");
            messages.created(desk, "support", List.of(client), 2, client, "client");
            await().atMost(WAIT).until(() -> view(admin, desk).getLong("lastSeq") == 2);
            assertThat(instant(view(admin, desk).getString("awaitingSince"))).isEqualTo(first.createdAt());
            assertThat(instant(view(client, desk).getString("awaitingSince"))).isEqualTo(first.createdAt());

            messages.created(desk, "support", List.of(client), 3, admin, "admin");
            await().atMost(WAIT).until(() -> view(admin, desk).getLong("lastSeq") == 3);
            assertThat(view(admin, desk).getString("awaitingSince")).isNull();
            assertThat(view(admin, desk).getBoolean("awaitingReply")).isFalse();

            // several at once (likely one batch): answered, then asked again
            messages.created(desk, "support", List.of(client), 4, client, "client");
            messages.created(desk, "support", List.of(client), 5, admin, "admin");
            MessageData again = messages.created(desk, "support", List.of(client), 6, client, "client");
            messages.created(desk, "support", List.of(client), 7, client, "client");
            await().atMost(WAIT).until(() -> view(admin, desk).getLong("lastSeq") == 7);
            assertThat(instant(view(admin, desk).getString("awaitingSince"))).isEqualTo(again.createdAt());
            assertThat(view(admin, desk).getBoolean("awaitingReply")).isTrue();
        }
        // not on other conversations
        String ann = "ann-" + UUID.randomUUID();
        UUID group = InboxTest.create(ann, "group", List.of("bo-" + UUID.randomUUID()));
        try (Messages messages = new Messages(kafka)) {
            messages.created(group, "group", List.of(ann), 1, ann, "client");
            await().atMost(WAIT).until(() -> InboxTest.view(ann, group).getLong("lastSeq") == 1);
            assertThat(InboxTest.view(ann, group).getString("awaitingSince")).isNull();
            assertThat(InboxTest.view(ann, group).getBoolean("awaitingReply")).isFalse();
        }
    }

    @Test
    void theUnansweredFilterListsTheOldestWaitFirstAndPagesEachOnce() {
        String admin = "admin-" + UUID.randomUUID();
        List<String> clients = List.of("c1-" + UUID.randomUUID(), "c2-" + UUID.randomUUID(), "c3-" + UUID.randomUUID());
        List<UUID> desks = new ArrayList<>();
        try (Messages messages = new Messages(kafka)) {
            for (String client : clients) {
                UUID desk = support(client);
                desks.add(desk);
                messages.created(desk, "support", List.of(client), 1, client, "client");
                await().atMost(WAIT).until(() -> view(admin, desk).getLong("lastSeq") == 1);
            }
            List<String> ids = desks.stream().map(UUID::toString).toList();
            // oldest wait first, whatever the page size; the support filter stays latest activity first
            for (int limit : List.of(1, 2, 100)) {
                List<String> unanswered = desk(admin, "unanswered", limit);
                assertThat(unanswered).doesNotHaveDuplicates().containsSubsequence(ids.get(0), ids.get(1), ids.get(2));
            }
            assertThat(desk(admin, "support", 100)).containsSubsequence(ids.get(2), ids.get(1), ids.get(0));

            // a new client message in the first keeps its wait, and its place; an answer and a new question move the
            // second to the end
            UUID first = desks.get(0);
            UUID second = desks.get(1);
            messages.created(first, "support", List.of(clients.get(0)), 2, clients.get(0), "client");
            messages.created(second, "support", List.of(clients.get(1)), 2, admin, "admin");
            await().atMost(WAIT)
                    .until(() -> view(admin, first).getLong("lastSeq") == 2
                            && view(admin, second).getLong("lastSeq") == 2);
            messages.created(second, "support", List.of(clients.get(1)), 3, clients.get(1), "client");
            await().atMost(WAIT).until(() -> view(admin, second).getLong("lastSeq") == 3);
            List<String> unanswered = desk(admin, "unanswered", 2);
            assertThat(unanswered).doesNotHaveDuplicates().containsSubsequence(ids.get(0), ids.get(2), ids.get(1));
            List<Instant> waits = new ArrayList<>();
            String cursor = null;
            do {
                JsonPath page = page(admin, "unanswered", 50, cursor);
                page.getList("items.awaitingSince", String.class).forEach(s -> waits.add(instant(s)));
                cursor = page.getString("nextCursor");
            } while (cursor != null);
            assertThat(waits).doesNotContainNull().isSortedAccordingTo(Instant::compareTo);
        }
        // a cursor of another list is not one of this list's, and the reverse
        String supportCursor = page(admin, "support", 1, null).getString("nextCursor");
        assertThat(supportCursor).isNotNull();
        given().auth()
                .oauth2(TestKeys.token(admin, "admin"))
                .queryParam("filter", "unanswered")
                .queryParam("cursor", supportCursor)
                .get("/api/conversations")
                .then()
                .statusCode(400);
        String waitCursor = page(admin, "unanswered", 1, null).getString("nextCursor");
        assertThat(waitCursor).isNotNull();
        given().auth()
                .oauth2(TestKeys.token(admin, "admin"))
                .queryParam("filter", "support")
                .queryParam("cursor", waitCursor)
                .get("/api/conversations")
                .then()
                .statusCode(400);
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }

    private static UUID support(String client) {
        return UUID.fromString(given().auth()
                .oauth2(TestKeys.token(client, "client"))
                .get("/api/conversations/support")
                .then()
                .statusCode(200)
                .extract()
                .path("id"));
    }

    private static JsonPath view(String user, UUID conversation) {
        String role = user.startsWith("admin-") ? "admin" : "client";
        return given().auth()
                .oauth2(TestKeys.token(user, role))
                .get("/api/conversations/" + conversation)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** Whether the caller's list shows the conversation muted (every page read). */
    private static boolean listedMuted(String user, UUID conversation) {
        String cursor = null;
        do {
            JsonPath page = given().auth()
                    .oauth2(TestKeys.token(user, "client"))
                    .queryParam("limit", 100)
                    .queryParam("cursor", cursor)
                    .get("/api/conversations")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            List<String> ids = page.getList("items.id");
            int at = ids.indexOf(conversation.toString());
            if (at >= 0) {
                return page.getBoolean("items[" + at + "].muted");
            }
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        throw new AssertionError(conversation + " is not in " + user + "'s list");
    }

    private static JsonPath page(String admin, String filter, int limit, String cursor) {
        return given().auth()
                .oauth2(TestKeys.token(admin, "admin"))
                .queryParam("filter", filter)
                .queryParam("limit", limit)
                .queryParam("cursor", cursor)
                .get("/api/conversations")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** Every page of the admin's desk with {@code filter}, {@code limit} at a time. */
    private static List<String> desk(String admin, String filter, int limit) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            JsonPath page = page(admin, filter, limit, cursor);
            ids.addAll(page.getList("items.id"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        return ids;
    }
}
