package io.parley.conversation;

import static io.parley.conversation.InboxTest.create;
import static io.parley.conversation.InboxTest.unread;
import static io.parley.conversation.InboxTest.view;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.events.PresenceChanged;
import io.parley.events.PresenceRouted;
import io.parley.events.Role;
import io.parley.events.Topics;
import io.parley.events.UnreadChanged;
import io.parley.infra.EventTap;
import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A removal takes effect everywhere this service feeds as soon as it is answered: the removed user's totals, their
 * list, their badge (an unread.changed with count 0 and their new total) and the routing of presence.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class RemovalTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Test
    void whatARemovedUserHadThereLeavesTheirTotalsListAndBadge() {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        String carol = "carol-" + UUID.randomUUID();
        List<String> members = List.of(alice, bob, carol);
        UUID group = create(alice, "group", List.of(bob, carol));
        UUID direct = create(alice, "direct", List.of(bob));
        try (Messages messages = new Messages(kafka);
                EventTap inbox = EventTap.open(kafka, Topics.INBOX)) {
            messages.created(group, "group", members, 1, alice, "client");
            messages.created(group, "group", members, 2, carol, "client");
            messages.created(group, "group", members, 3, alice, "client");
            messages.created(direct, "direct", List.of(alice, bob), 1, alice, "client");
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(unread(bob).get("total")).isEqualTo(4));

            given().auth()
                    .oauth2(TestKeys.token(alice, "client"))
                    .delete(participantsOf(group) + "/" + bob)
                    .then()
                    .statusCode(204);

            // at once: GET /api/unread and the list no longer count or show the group
            Map<String, Object> bobs = unread(bob);
            assertThat(bobs.get("total")).isEqualTo(1);
            assertThat(bobs.get("conversations")).isEqualTo(Map.of(direct.toString(), 1));
            assertThat(listed(bob)).contains(direct.toString()).doesNotContain(group.toString());
            given().auth()
                    .oauth2(TestKeys.token(bob, "client"))
                    .get("/api/conversations/" + group)
                    .then()
                    .statusCode(404);
            // the others keep theirs
            assertThat(view(carol, group).getLong("unreadCount")).isEqualTo(1);

            // and their badge: an unread.changed for the group with count 0 and their new total
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(
                                    inbox
                                            .events(
                                                    UnreadChanged.class,
                                                    e -> e.conversationId().equals(group))
                                            .stream()
                                            .flatMap(e -> e.counts().stream())
                                            .filter(c -> c.userId().equals(bob))
                                            .toList())
                            .last()
                            .isEqualTo(new UnreadChanged.Count(bob, 0, 1)));

            // a message the message-service published with the participants it had a moment before (bob among
            // them) counts for bob nowhere, and tells him nothing
            messages.created(group, "group", members, 4, carol, "client");
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() ->
                            assertThat(view(alice, group).getLong("lastSeq")).isEqualTo(4));
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(
                                    inbox
                                            .events(
                                                    UnreadChanged.class,
                                                    e -> e.conversationId().equals(group))
                                            .stream()
                                            .flatMap(e -> e.counts().stream())
                                            .filter(c -> c.userId().equals(alice))
                                            .toList())
                            .last()
                            .isEqualTo(new UnreadChanged.Count(alice, 1, 1)));
            assertThat(unread(bob).get("total")).isEqualTo(1);
            List<UnreadChanged.Count> forBob =
                    inbox.events(UnreadChanged.class, e -> e.conversationId().equals(group)).stream()
                            .flatMap(e -> e.counts().stream())
                            .filter(c -> c.userId().equals(bob))
                            .toList();
            // the removal's record is the last word for bob there
            assertThat(forBob.subList(forBob.indexOf(new UnreadChanged.Count(bob, 0, 1)), forBob.size()))
                    .containsExactly(new UnreadChanged.Count(bob, 0, 1));

            // added again, bob starts with nothing unread there
            given().auth()
                    .oauth2(TestKeys.token(alice, "client"))
                    .contentType(ContentType.JSON)
                    .body(Map.of("userId", bob))
                    .post(participantsOf(group))
                    .then()
                    .statusCode(200);
            assertThat(view(bob, group).getLong("unreadCount")).isZero();
            assertThat(unread(bob).get("total")).isEqualTo(1);
        }
    }

    @Test
    void aUserWhoLeavesGetsTheirBadgeCorrectedToo() {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        UUID group = create(alice, "group", List.of(bob));
        try (Messages messages = new Messages(kafka);
                EventTap inbox = EventTap.open(kafka, Topics.INBOX)) {
            messages.created(group, "group", List.of(alice, bob), 1, alice, "client");
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(unread(bob).get("total")).isEqualTo(1));
            given().auth()
                    .oauth2(TestKeys.token(bob, "client"))
                    .delete(participantsOf(group) + "/" + bob)
                    .then()
                    .statusCode(204);
            assertThat(unread(bob).get("total")).isEqualTo(0);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(
                                    inbox
                                            .events(
                                                    UnreadChanged.class,
                                                    e -> e.conversationId().equals(group))
                                            .stream()
                                            .flatMap(e -> e.counts().stream())
                                            .filter(c -> c.userId().equals(bob))
                                            .toList())
                            .last()
                            .isEqualTo(new UnreadChanged.Count(bob, 0, 0)));
        }
    }

    @Test
    void presenceIsNoLongerRoutedBetweenARemovedUserAndTheGroup() {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        UUID group = create(alice, "group", List.of(bob));
        try (EventTap presence = EventTap.open(kafka, Topics.PRESENCE)) {
            EventTap.publish(kafka, Topics.PRESENCE, PresenceChanged.of(alice, Role.EXPERT, true, Instant.now()));
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(presence.events(
                                    PresenceRouted.class, e -> e.userId().equals(alice)))
                            .singleElement()
                            .satisfies(e -> assertThat(e.recipients()).contains(bob)));

            given().auth()
                    .oauth2(TestKeys.token(alice, "client"))
                    .delete(participantsOf(group) + "/" + bob)
                    .then()
                    .statusCode(204);

            EventTap.publish(kafka, Topics.PRESENCE, PresenceChanged.of(alice, Role.EXPERT, false, Instant.now()));
            EventTap.publish(kafka, Topics.PRESENCE, PresenceChanged.of(bob, Role.CLIENT, true, Instant.now()));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(presence.events(PresenceRouted.class, e -> e.userId().equals(alice) && !e.online()))
                        .singleElement()
                        .satisfies(e -> assertThat(e.recipients()).doesNotContain(bob));
                assertThat(presence.events(PresenceRouted.class, e -> e.userId().equals(bob)))
                        .singleElement()
                        .satisfies(e -> assertThat(e.recipients()).doesNotContain(alice));
            });
        }
    }

    private static String participantsOf(UUID conversation) {
        return "/api/conversations/" + conversation + "/participants";
    }

    private static List<String> listed(String user) {
        return given().auth()
                .oauth2(TestKeys.token(user, "client"))
                .get("/api/conversations?limit=100")
                .then()
                .statusCode(200)
                .extract()
                .path("items.id");
    }
}
