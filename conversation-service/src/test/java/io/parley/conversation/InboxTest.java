package io.parley.conversation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.events.Topics;
import io.parley.events.UnreadChanged;
import io.parley.infra.EventTap;
import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The inbox read model: last message, counts, read positions, and the unread events that follow them. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class InboxTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Test
    void countsFollowMessagesAndReadsAndAreTheSameInTheListAndInUnread() {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        String carol = "carol-" + UUID.randomUUID();
        List<String> members = List.of(alice, bob, carol);
        UUID group = create(alice, "group", List.of(bob, carol));
        try (Messages messages = new Messages(kafka);
                EventTap unread = EventTap.open(kafka, Topics.INBOX)) {
            messages.created(group, "group", members, 1, alice, "client");
            messages.created(group, "group", members, 2, alice, "client");
            messages.created(group, "group", members, 3, bob, "expert");

            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() ->
                            assertThat(view(carol, group).getLong("lastSeq")).isEqualTo(3));
            JsonPath carolsView = view(carol, group);
            assertThat(carolsView.getLong("unreadCount")).isEqualTo(3);
            assertThat(carolsView.getLong("readSeq")).isZero();
            assertThat(carolsView.getString("lastMessage.content")).isEqualTo("message 3");
            assertThat(carolsView.getString("lastMessage.senderId")).isEqualTo(bob);
            // Sending moved each sender's own position: alice read up to 2, bob up to 3.
            assertThat(view(alice, group).getLong("unreadCount")).isEqualTo(1);
            assertThat(view(bob, group).getLong("unreadCount")).isZero();

            messages.read(group, "group", members, carol, 2);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() ->
                            assertThat(view(carol, group).getLong("readSeq")).isEqualTo(2));
            assertThat(view(carol, group).getLong("unreadCount")).isEqualTo(1);
            // A position never moves back.
            messages.read(group, "group", members, carol, 1);
            messages.read(group, "group", members, alice, 3);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(view(alice, group).getLong("unreadCount"))
                            .isZero());
            assertThat(view(carol, group).getLong("readSeq")).isEqualTo(2);

            // GET /api/unread agrees with the list.
            Map<String, Object> carols = unread(carol);
            assertThat(carols.get("total")).isEqualTo(1);
            assertThat(carols.get("conversations")).isEqualTo(Map.of(group.toString(), 1));
            Map<String, Object> alices = unread(alice);
            assertThat(alices.get("total")).isEqualTo(0);
            assertThat((Map<?, ?>) alices.get("conversations")).isEmpty();

            // Each change told the users whose counts it changed; the last word for carol is 1 of 1.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                List<UnreadChanged.Count> forCarol =
                        unread
                                .events(
                                        UnreadChanged.class,
                                        e -> e.conversationId().equals(group))
                                .stream()
                                .flatMap(e -> e.counts().stream())
                                .filter(c -> c.userId().equals(carol))
                                .toList();
                assertThat(forCarol).isNotEmpty();
                assertThat(forCarol.get(forCarol.size() - 1)).isEqualTo(new UnreadChanged.Count(carol, 1, 1));
                List<UnreadChanged.Count> forAlice =
                        unread
                                .events(
                                        UnreadChanged.class,
                                        e -> e.conversationId().equals(group))
                                .stream()
                                .flatMap(e -> e.counts().stream())
                                .filter(c -> c.userId().equals(alice))
                                .toList();
                assertThat(forAlice.get(forAlice.size() - 1)).isEqualTo(new UnreadChanged.Count(alice, 0, 0));
            });
            assertThat(unread
                            .events(UnreadChanged.class, e -> e.conversationId().equals(group))
                            .stream()
                            .flatMap(e -> e.counts().stream())
                            .map(UnreadChanged.Count::userId))
                    .allMatch(members::contains);
        }
    }

    @Test
    void strangersLearnNothingThroughCountsOrTheList() {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        String stranger = "stranger-" + UUID.randomUUID();
        UUID direct = create(alice, "direct", List.of(bob));
        try (Messages messages = new Messages(kafka)) {
            messages.created(direct, "direct", List.of(alice, bob), 1, alice, "client");
            // A stranger claiming to read it gets no position and no count.
            messages.read(direct, "direct", List.of(alice, bob), stranger, 1);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(unread(bob).get("total")).isEqualTo(1));
        }
        assertThat(unread(stranger).get("total")).isEqualTo(0);
        assertThat((Map<?, ?>) unread(stranger).get("conversations")).isEmpty();
        List<String> listed = given().auth()
                .oauth2(TestKeys.token(stranger, "client"))
                .get("/api/conversations?limit=100")
                .then()
                .statusCode(200)
                .extract()
                .path("items.id");
        assertThat(listed).doesNotContain(direct.toString());
        given().auth()
                .oauth2(TestKeys.token(stranger, "client"))
                .get("/api/conversations/" + direct)
                .then()
                .statusCode(404);
        given().get("/api/unread").then().statusCode(401);
    }

    @Test
    void aNewGroupMemberStartsWithNothingUnread() {
        String alice = "alice-" + UUID.randomUUID();
        String dave = "dave-" + UUID.randomUUID();
        UUID group = create(alice, "group", List.of());
        try (Messages messages = new Messages(kafka)) {
            messages.created(group, "group", List.of(alice), 1, alice, "client");
            messages.created(group, "group", List.of(alice), 2, alice, "client");
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() ->
                            assertThat(view(alice, group).getLong("lastSeq")).isEqualTo(2));
        }
        given().auth()
                .oauth2(TestKeys.token(alice, "client"))
                .contentType(ContentType.JSON)
                .body(Map.of("userId", dave))
                .post("/api/conversations/" + group + "/participants")
                .then()
                .statusCode(200);
        assertThat(view(dave, group).getLong("unreadCount")).isZero();
        assertThat(view(dave, group).getLong("readSeq")).isEqualTo(2);
    }

    /**
     * The addition is committed here before the message-service's replica applies it, so messages stored in between
     * do not name the new member (they never reach them, and the message-service starts their position after them):
     * the inbox does not count them for the new member either, whichever learned of them first.
     */
    @Test
    void aNewGroupMemberDoesNotCountWhatWasStoredBeforeTheMessageServiceKnewOfThem() {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        String dave = "dave-" + UUID.randomUUID();
        UUID group = create(alice, "group", List.of(bob));
        given().auth()
                .oauth2(TestKeys.token(alice, "client"))
                .contentType(ContentType.JSON)
                .body(Map.of("userId", dave))
                .post("/api/conversations/" + group + "/participants")
                .then()
                .statusCode(200);
        assertThat(view(dave, group).getLong("unreadCount")).isZero();
        try (Messages messages = new Messages(kafka)) {
            // stored before the message-service's replica had the addition: dave is not among the recipients
            messages.created(group, "group", List.of(alice, bob), 1, alice, "client");
            messages.created(group, "group", List.of(alice, bob), 2, bob, "client");
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() ->
                            assertThat(view(alice, group).getLong("lastSeq")).isEqualTo(2));
            assertThat(view(dave, group).getLong("unreadCount")).isZero();
            assertThat(view(dave, group).getLong("readSeq")).isEqualTo(2);
            assertThat(view(alice, group).getLong("unreadCount")).isEqualTo(1);
            // then one stored for him too
            messages.created(group, "group", List.of(alice, bob, dave), 3, alice, "client");
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() ->
                            assertThat(view(dave, group).getLong("unreadCount")).isEqualTo(1));
            assertThat(view(dave, group).getLong("readSeq")).isEqualTo(2);
            assertThat(unread(dave)).containsEntry("total", 1);
        }
    }

    static UUID create(String creator, String type, List<String> others) {
        return UUID.fromString(given().auth()
                .oauth2(TestKeys.token(creator, "client"))
                .contentType(ContentType.JSON)
                .body(Map.of("type", type, "participants", others))
                .post("/api/conversations")
                .then()
                .statusCode(201)
                .extract()
                .path("id"));
    }

    static JsonPath view(String user, UUID conversation) {
        return given().auth()
                .oauth2(TestKeys.token(user, "client"))
                .get("/api/conversations/" + conversation)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static Map<String, Object> unread(String user) {
        return given().auth()
                .oauth2(TestKeys.token(user, "client"))
                .get("/api/unread")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("");
    }
}
