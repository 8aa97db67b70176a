package io.parley.conversation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.events.ConversationCreated;
import io.parley.events.PresenceChanged;
import io.parley.events.PresenceRouted;
import io.parley.events.Role;
import io.parley.events.Topics;
import io.parley.infra.EventPublisher;
import io.parley.infra.EventTap;
import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class SupportOnConnectTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Test
    void aClientWhoConnectsHasTheirSupportConversationAndAnAdminHasNone() {
        String client = "client-" + UUID.randomUUID();
        String admin = "admin-" + UUID.randomUUID();
        try (EventTap tap = EventTap.open(kafka, Topics.CONVERSATIONS)) {
            PresenceChanged online = PresenceChanged.of(client, Role.CLIENT, true, Instant.now());
            EventTap.publish(kafka, Topics.PRESENCE, online);
            EventTap.publish(kafka, Topics.PRESENCE, online); // delivered twice: still one conversation
            EventTap.publish(kafka, Topics.PRESENCE, PresenceChanged.of(admin, Role.ADMIN, true, Instant.now()));

            ConversationCreated created = await().atMost(Duration.ofSeconds(15))
                    .until(
                            () -> tap.events(
                                    ConversationCreated.class,
                                    e -> e.createdBy().equals(client)),
                            list -> !list.isEmpty())
                    .get(0);
            assertThat(created.conversationType().wire()).isEqualTo("support");
            String supportId = given().auth()
                    .oauth2(TestKeys.token(client, "client"))
                    .get("/api/conversations/support")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("id");
            assertThat(supportId).isEqualTo(created.conversationId().toString());
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
                assertThat(tap.events(
                                ConversationCreated.class, e -> e.createdBy().equals(client)))
                        .hasSize(1);
                assertThat(tap.events(
                                ConversationCreated.class, e -> e.createdBy().equals(admin)))
                        .isEmpty();
            });
        }
    }

    /**
     * The display name a user's token carried when they came online names them in the conversation views, before they
     * have written anything; an offline change (which carries none) keeps it; a user never seen with a name is absent.
     */
    @Test
    void theNameAUserCameOnlineWithNamesThemInTheirConversations() {
        String client = "client-" + UUID.randomUUID();
        String nameless = "expert-" + UUID.randomUUID();
        UUID group = InboxTest.create(client, "group", List.of(nameless));
        try (EventPublisher publisher = new EventPublisher(kafka)) {
            publisher.publish(
                    Topics.PRESENCE, PresenceChanged.of(client, Role.CLIENT, true, Instant.now(), "Chloé Martin"));
            publisher.publish(Topics.PRESENCE, PresenceChanged.of(nameless, Role.EXPERT, true, Instant.now()));
            publisher.publish(Topics.PRESENCE, PresenceChanged.of(client, Role.CLIENT, false, Instant.now()));
        }
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            Map<String, String> names = InboxTest.view(nameless, group).getMap("names");
            assertThat(names).containsExactly(Map.entry(client, "Chloé Martin"));
        });
        // a conversation created now names them in its 201 already
        Map<String, String> inCreated = given().auth()
                .oauth2(TestKeys.token(nameless, "expert"))
                .contentType("application/json")
                .body(Map.of("type", "group", "title", "Named", "participants", List.of(client)))
                .post("/api/conversations")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getMap("names");
        assertThat(inCreated).containsExactly(Map.entry(client, "Chloé Martin"));
        String support = given().auth()
                .oauth2(TestKeys.token(client, "client"))
                .get("/api/conversations/support")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        // the support desk names the client too
        String admin = "admin-" + UUID.randomUUID();
        Map<String, String> inDesk = given().auth()
                .oauth2(TestKeys.token(admin, "admin"))
                .get("/api/conversations/" + support)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("names");
        assertThat(inDesk).containsEntry(client, "Chloé Martin");
    }

    /** A routed change carries the user's name, and so does the announcement of them to someone who comes online. */
    @Test
    void routedPresenceAndTheAnnouncementOfWhoIsOnlineCarryTheName() {
        String ann = "client-" + UUID.randomUUID();
        String bob = "expert-" + UUID.randomUUID();
        InboxTest.create(ann, "direct", List.of(bob));
        try (EventTap presence = EventTap.open(kafka, Topics.PRESENCE);
                EventPublisher publisher = new EventPublisher(kafka)) {
            publisher.publish(Topics.PRESENCE, PresenceChanged.of(ann, Role.CLIENT, true, Instant.now(), "Ann Lee"));
            await().atMost(Duration.ofSeconds(15))
                    .untilAsserted(() -> assertThat(presence.events(
                                    PresenceRouted.class,
                                    e -> e.userId().equals(ann)
                                            && e.recipients().contains(bob)))
                            .extracting(PresenceRouted::name)
                            .containsExactly("Ann Lee"));
            publisher.publish(Topics.PRESENCE, PresenceChanged.of(bob, Role.EXPERT, true, Instant.now(), "Bob Ray"));
            // bob, arriving, is told that ann is online already: by her name
            await().atMost(Duration.ofSeconds(15))
                    .untilAsserted(() -> assertThat(presence.events(
                                    PresenceRouted.class,
                                    e -> e.userId().equals(ann)
                                            && e.recipients().contains(bob)))
                            .extracting(PresenceRouted::name)
                            .containsExactly("Ann Lee", "Ann Lee"));
        }
    }

    /**
     * An offline change without a role (what a dead gateway's sweep published) is routed like any other, and the
     * changes after it are too: it used to stop this service's presence channel for good.
     */
    @Test
    void anOfflineWithoutARoleIsRoutedAndPresenceGoesOn() {
        String alice = "client-" + UUID.randomUUID();
        String bob = "expert-" + UUID.randomUUID();
        InboxTest.create(alice, "direct", List.of(bob));
        try (EventTap presence = EventTap.open(kafka, Topics.PRESENCE);
                EventPublisher publisher = new EventPublisher(kafka)) {
            publisher.publish(Topics.PRESENCE, PresenceChanged.of(alice, Role.CLIENT, true, Instant.now()));
            publisher.publish(Topics.PRESENCE, PresenceChanged.of(alice, null, false, Instant.now()));
            publisher.publish(Topics.PRESENCE, PresenceChanged.of(bob, Role.EXPERT, true, Instant.now()));
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(presence.events(PresenceRouted.class, e -> e.userId().equals(alice) && e.toAdmins()))
                        .extracting(PresenceRouted::online)
                        .containsExactly(true, false);
                assertThat(presence.events(PresenceRouted.class, e -> e.userId().equals(bob) && e.toAdmins()))
                        .singleElement()
                        .satisfies(e -> assertThat(e.recipients()).containsExactly(alice));
            });
        }
    }

    /**
     * Two users online who start a conversation see each other online at once, without waiting for one of them to
     * reconnect; so does a user added to a group, and its members see them.
     */
    @Test
    void usersWhoComeToShareAConversationAreToldWhoIsOnline() {
        String ann = "expert-" + UUID.randomUUID();
        String bob = "client-" + UUID.randomUUID();
        String cy = "expert-" + UUID.randomUUID();
        try (EventTap presence = EventTap.open(kafka, Topics.PRESENCE);
                EventPublisher publisher = new EventPublisher(kafka)) {
            for (String user : List.of(ann, bob, cy)) {
                publisher.publish(Topics.PRESENCE, PresenceChanged.of(user, Role.EXPERT, true, Instant.now()));
            }
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> presence.events(
                                            PresenceRouted.class,
                                            e -> List.of(ann, bob, cy).contains(e.userId()) && e.toAdmins())
                                    .size()
                            == 3);

            InboxTest.create(ann, "direct", List.of(bob));
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(presence.events(
                                PresenceRouted.class,
                                e -> e.userId().equals(ann) && e.recipients().contains(bob)))
                        .singleElement()
                        .satisfies(e -> assertThat(e.online()).isTrue());
                assertThat(presence.events(
                                PresenceRouted.class,
                                e -> e.userId().equals(bob) && e.recipients().contains(ann)))
                        .singleElement()
                        .satisfies(e -> assertThat(e.online()).isTrue());
            });

            UUID group = InboxTest.create(ann, "group", List.of(bob));
            given().auth()
                    .oauth2(TestKeys.token(ann, "expert"))
                    .contentType(io.restassured.http.ContentType.JSON)
                    .body(Map.of("userId", cy))
                    .post("/api/conversations/" + group + "/participants")
                    .then()
                    .statusCode(200);
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(presence.events(PresenceRouted.class, e -> e.userId().equals(cy) && !e.toAdmins()))
                        .singleElement()
                        .satisfies(e -> assertThat(e.recipients()).containsExactlyInAnyOrder(ann, bob));
                for (String member : List.of(ann, bob)) {
                    assertThat(presence.events(
                                    PresenceRouted.class,
                                    e -> e.userId().equals(member)
                                            && e.recipients().equals(List.of(cy))))
                            .as("%s announced to the newcomer", member)
                            .hasSize(1);
                }
            });
        }
    }

    /**
     * Presence is shared in a group of up to {@link io.parley.conversation.domain.PresenceRouting#PRESENCE_GROUP_LIMIT}
     * members, not in a larger one (each change would go to every member: a group of 1,000 coming online, a million
     * frames); a member of both still shares it with the smaller group's members, once.
     */
    @Test
    void presenceIsSharedInAGroupUpToTheLimitAndNotInALargerOne() {
        int limit = io.parley.conversation.domain.PresenceRouting.PRESENCE_GROUP_LIMIT;
        String inSmall = "expert-" + UUID.randomUUID();
        String inLarge = "expert-" + UUID.randomUUID();
        List<String> smallOthers = new ArrayList<>();
        for (int i = 1; i < limit; i++) {
            smallOthers.add("expert-" + UUID.randomUUID());
        }
        List<String> largeOthers = new ArrayList<>();
        for (int i = 0; i < limit; i++) {
            largeOthers.add("expert-" + UUID.randomUUID());
        }
        String both = smallOthers.get(0);
        largeOthers.set(0, both);
        InboxTest.create(inSmall, "group", smallOthers); // limit members
        InboxTest.create(inLarge, "group", largeOthers); // limit + 1 members
        try (EventTap presence = EventTap.open(kafka, Topics.PRESENCE);
                EventPublisher publisher = new EventPublisher(kafka)) {
            for (String user : List.of(inSmall, inLarge, both)) {
                publisher.publish(Topics.PRESENCE, PresenceChanged.of(user, Role.EXPERT, true, Instant.now()));
            }
            Map<String, List<String>> recipients = await().atMost(Duration.ofSeconds(15))
                    .until(
                            () -> presence
                                    .events(
                                            PresenceRouted.class,
                                            // each user's own change (toAdmins: an expert has a support
                                            // conversation), not what someone is told of who is there already
                                            e -> List.of(inSmall, inLarge, both).contains(e.userId()) && e.toAdmins())
                                    .stream()
                                    .collect(Collectors.toMap(
                                            PresenceRouted::userId, PresenceRouted::recipients, (a, b) -> a)),
                            m -> m.size() == 3);
            List<String> smallGroup = new ArrayList<>(smallOthers);
            smallGroup.add(inSmall);
            assertThat(recipients.get(inSmall))
                    .as("a group of %d shares presence", limit)
                    .containsExactlyInAnyOrderElementsOf(smallOthers);
            assertThat(recipients.get(inLarge))
                    .as("a group of %d does not", limit + 1)
                    .isEmpty();
            assertThat(recipients.get(both))
                    .as("a member of both shares it with the small group only")
                    .containsExactlyInAnyOrderElementsOf(
                            smallGroup.stream().filter(u -> !u.equals(both)).toList());
        }
    }

    /**
     * A reconnect storm's changes come in polls of many: each is still routed, in its order, to the users who share a
     * conversation with its user, and every client and expert among them ends with exactly one support conversation.
     */
    /**
     * A connection that opens learns who of its user's contacts is online already (an admin's: the clients and
     * experts with a support conversation), not only those who change after it: each as an {@code online} routed to
     * the newcomer alone.
     */
    @Test
    void whoComesOnlineIsToldWhoIsOnlineAlready() {
        String alice = "client-" + UUID.randomUUID();
        String bob = "expert-" + UUID.randomUUID();
        String admin = "admin-" + UUID.randomUUID();
        try (EventTap presence = EventTap.open(kafka, Topics.PRESENCE);
                EventPublisher publisher = new EventPublisher(kafka)) {
            InboxTest.create(alice, "direct", List.of(bob));
            publisher.publish(Topics.PRESENCE, PresenceChanged.of(alice, Role.CLIENT, true, Instant.now()));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !presence.events(
                                    PresenceRouted.class, e -> e.userId().equals(alice))
                            .isEmpty());

            publisher.publish(Topics.PRESENCE, PresenceChanged.of(bob, Role.EXPERT, true, Instant.now()));
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(presence.events(
                                    PresenceRouted.class, e -> e.userId().equals(alice) && !e.toAdmins()))
                            .singleElement()
                            .satisfies(told -> {
                                assertThat(told.online()).isTrue();
                                assertThat(told.recipients()).containsExactly(bob);
                            }));

            publisher.publish(Topics.PRESENCE, PresenceChanged.of(admin, Role.ADMIN, true, Instant.now()));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                for (String owner : List.of(alice, bob)) {
                    assertThat(presence.events(
                                    PresenceRouted.class,
                                    e -> e.userId().equals(owner)
                                            && e.recipients().contains(admin)))
                            .as("the admin is told that %s is online", owner)
                            .singleElement()
                            .satisfies(told -> assertThat(told.online()).isTrue());
                }
            });

            // once alice is gone, a newcomer is not told she is there
            publisher.publish(Topics.PRESENCE, PresenceChanged.of(alice, Role.CLIENT, false, Instant.now()));
            String admin2 = "admin-" + UUID.randomUUID();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> presence
                            .events(PresenceRouted.class, e -> e.userId().equals(alice))
                            .stream()
                            .anyMatch(e -> !e.online()));
            publisher.publish(Topics.PRESENCE, PresenceChanged.of(admin2, Role.ADMIN, true, Instant.now()));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !presence.events(
                                    PresenceRouted.class,
                                    e -> e.userId().equals(bob)
                                            && e.recipients().contains(admin2))
                            .isEmpty());
            assertThat(presence.events(
                            PresenceRouted.class,
                            e -> e.userId().equals(alice) && e.recipients().contains(admin2)))
                    .isEmpty();
        }
    }

    @Test
    void aBurstOfChangesIsRoutedInOrderEachToItsContactsWithOneSupportConversationPerUser() {
        String alice = "client-" + UUID.randomUUID();
        String bob = "expert-" + UUID.randomUUID();
        List<String> users = new ArrayList<>(List.of(alice, bob));
        for (int i = 0; i < 30; i++) {
            users.add("client-" + UUID.randomUUID());
        }
        try (EventTap conversations = EventTap.open(kafka, Topics.CONVERSATIONS);
                EventTap presence = EventTap.open(kafka, Topics.PRESENCE);
                EventPublisher publisher = new EventPublisher(kafka)) {
            InboxTest.create(alice, "direct", List.of(bob));
            Instant at = Instant.now();
            for (String user : users) {
                Role role = user.equals(bob) ? Role.EXPERT : Role.CLIENT;
                publisher.send(Topics.PRESENCE, PresenceChanged.of(user, role, true, at));
                publisher.send(Topics.PRESENCE, PresenceChanged.of(user, role, true, at)); // seen twice
                publisher.send(Topics.PRESENCE, PresenceChanged.of(user, role, false, at.plusSeconds(1)));
            }
            publisher.flush();

            await().atMost(Duration.ofSeconds(20))
                    .until(
                            // each user's own changes (toAdmins: they all have a support conversation), not what
                            // someone coming online is told of who is there already
                            () -> presence.events(
                                    PresenceRouted.class, e -> users.contains(e.userId()) && e.toAdmins()),
                            routed -> routed.size() == 3 * users.size());
            for (String user : users) {
                List<PresenceRouted> routed =
                        presence.events(PresenceRouted.class, e -> e.userId().equals(user) && e.toAdmins());
                assertThat(routed).extracting(PresenceRouted::online).containsExactly(true, true, false);
                assertThat(routed)
                        .allMatch(PresenceRouted::toAdmins, "routed to the admins: has a support conversation");
                List<String> expected =
                        user.equals(alice) ? List.of(bob) : user.equals(bob) ? List.of(alice) : List.of();
                assertThat(routed).allSatisfy(r -> assertThat(r.recipients()).containsExactlyElementsOf(expected));
            }
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Map<String, Long> supports = conversations
                        .events(
                                ConversationCreated.class,
                                e -> users.contains(e.createdBy())
                                        && e.conversationType().wire().equals("support"))
                        .stream()
                        .collect(Collectors.groupingBy(ConversationCreated::createdBy, Collectors.counting()));
                assertThat(supports).as("support conversations made per user").hasSize(users.size());
                assertThat(supports.values()).containsOnly(1L);
            });
        }
    }
}
