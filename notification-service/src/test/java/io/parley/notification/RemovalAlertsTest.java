package io.parley.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.events.ParticipantAdded;
import io.parley.events.ParticipantRemoved;
import io.parley.events.Topics;
import io.parley.events.UnreadChanged;
import io.parley.infra.EventPublisher;
import io.parley.infra.InfraTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A participant removed from a group gets no alert for it from then on: what was pending or queued for them is dropped,
 * and message events that still name them (published before the message-service applied the removal) alert them no
 * more, until they are added back. The badge follows the conversation-service's totals, in their order.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FcmStandIn.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ApnsStandIn.class, scope = TestResourceScope.GLOBAL)
class RemovalAlertsTest {

    /** Long enough after the grace delay (2 s in tests) for an alert that should not come to have come. */
    private static final Duration QUIET = Duration.ofSeconds(4);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Inject
    Pool pool;

    PushEndpoint push;
    EventPublisher events;

    @BeforeEach
    void open() throws Exception {
        push = new PushEndpoint();
        events = new EventPublisher(kafka);
    }

    @AfterEach
    void close() {
        push.close();
        events.close();
    }

    @Test
    void aParticipantRemovedWithAnAlertPendingIsNeverAlertedForThatGroup() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        String carol = "carol-" + UUID.randomUUID();
        UUID group = UUID.randomUUID();
        String bobs = "bob-device-" + UUID.randomUUID();
        String carols = "carol-device-" + UUID.randomUUID();
        subscribe(bob, bobs);
        subscribe(carol, carols);

        events.publish(Topics.MESSAGES, Alerts.message(group, 1, alice, List.of(alice, bob, carol), "one"));
        await().atMost(Duration.ofSeconds(15)).until(() -> pending(carol, group) == 1);
        events.publish(Topics.CONVERSATIONS, ParticipantRemoved.of(group, carol, alice, Instant.now()));
        await().atMost(Duration.ofSeconds(15)).until(() -> pending(carol, group) == 0);
        // Sent before the message-service applied the removal: it still names carol.
        events.publish(Topics.MESSAGES, Alerts.message(group, 2, alice, List.of(alice, bob, carol), "two"));
        events.publish(Topics.MESSAGES, Alerts.message(group, 3, alice, List.of(alice, bob), "three"));

        // bob is alerted of all three (in one alert or two, as the grace delay falls)
        await().atMost(Duration.ofSeconds(15))
                .until(() -> push.to(bobs).stream().anyMatch(p -> p.payload().getLong("lastSeq") == 3));
        Thread.sleep(QUIET.toMillis());
        assertThat(push.to(carols)).isEmpty();
        assertThat(push.attempts.get(carols)).as("nothing was even tried").isNull();
    }

    @Test
    void aRemovalDropsAnAlertQueuedForTheRemovedParticipantsDevices() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        String dave = "dave-" + UUID.randomUUID();
        UUID group = UUID.randomUUID();
        String daves = "dave-device-" + UUID.randomUUID();
        subscribe(dave, daves);
        push.answer(daves, 503, 503, 503); // retried after about 1, 2 and 4 s

        events.publish(Topics.MESSAGES, Alerts.message(group, 1, alice, List.of(alice, dave), "are you there?"));
        await().atMost(Duration.ofSeconds(15)).until(() -> push.attempts.containsKey(daves));
        events.publish(Topics.CONVERSATIONS, ParticipantRemoved.of(group, dave, alice, Instant.now()));
        await().atMost(Duration.ofSeconds(15)).until(() -> queued(dave, group) == 0);
        Thread.sleep(Duration.ofSeconds(9).toMillis());
        assertThat(push.to(daves)).isEmpty();
    }

    @Test
    void aParticipantAddedBackIsAlertedAgain() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        String erin = "erin-" + UUID.randomUUID();
        UUID group = UUID.randomUUID();
        String erins = "erin-device-" + UUID.randomUUID();
        subscribe(erin, erins);

        ParticipantRemoved removed = ParticipantRemoved.of(group, erin, alice, Instant.now());
        ParticipantAdded added = ParticipantAdded.of(group, erin, alice, Instant.now());
        events.publish(Topics.CONVERSATIONS, removed);
        events.publish(Topics.CONVERSATIONS, added);
        await().atMost(Duration.ofSeconds(15)).until(() -> processed(removed.eventId()) && processed(added.eventId()));
        assertThat(removals(erin, group)).isZero();
        events.publish(Topics.MESSAGES, Alerts.message(group, 1, alice, List.of(alice, erin), "welcome back"));
        await().atMost(Duration.ofSeconds(15)).until(() -> push.to(erins).size() == 1);
    }

    @Test
    void theBadgeFollowsTheLatestTotalEvenWhenAnOlderOneIsConsumedLater() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        String frank = "frank-" + UUID.randomUUID();
        UUID left = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        String franks = "frank-device-" + UUID.randomUUID();
        subscribe(frank, franks);

        Instant before = Instant.now().minusSeconds(5);
        // Removed from `left`: its count there goes to 0 and the total with it; then an older count from another
        // conversation's partition arrives late.
        events.publish(
                Topics.INBOX, UnreadChanged.of(left, List.of(new UnreadChanged.Count(frank, 0, 1)), Instant.now()));
        await().atMost(Duration.ofSeconds(15)).until(() -> total(frank).equals(List.of(1L)));
        events.publish(Topics.INBOX, UnreadChanged.of(other, List.of(new UnreadChanged.Count(frank, 1, 5)), before));
        events.publish(Topics.MESSAGES, Alerts.message(other, 1, alice, List.of(alice, frank), "hi"));

        await().atMost(Duration.ofSeconds(15)).until(() -> push.to(franks).size() == 1);
        assertThat(total(frank)).containsExactly(1L);
        assertThat(push.to(franks).get(0).payload().getLong("badge")).isEqualTo(1);
    }

    private boolean processed(UUID event) {
        return pool.preparedQuery("SELECT count(*) FROM processed_event WHERE event_id = $1")
                        .execute(Tuple.of(event))
                        .await()
                        .indefinitely()
                        .iterator()
                        .next()
                        .getLong(0)
                == 1;
    }

    private long pending(String user, UUID conversation) {
        return count(
                "SELECT count(*) FROM pending_alert WHERE user_id = $1 AND conversation_id = $2", user, conversation);
    }

    private long queued(String user, UUID conversation) {
        return count(
                "SELECT count(*) FROM push_delivery d JOIN push_subscription s ON s.id = d.subscription_id "
                        + "WHERE s.user_id = $1 AND d.conversation_id = $2",
                user,
                conversation);
    }

    private long removals(String user, UUID conversation) {
        return count(
                "SELECT count(*) FROM participant_removal WHERE user_id = $1 AND conversation_id = $2",
                user,
                conversation);
    }

    private long count(String sql, String user, UUID conversation) {
        return pool.preparedQuery(sql)
                .execute(Tuple.of(user, conversation))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
    }

    private List<Long> total(String user) {
        List<Long> totals = new ArrayList<>();
        pool.preparedQuery("SELECT total FROM user_unread WHERE user_id = $1")
                .execute(Tuple.of(user))
                .await()
                .indefinitely()
                .forEach(r -> totals.add(r.getLong(0)));
        return totals;
    }

    private void subscribe(String user, String name) throws Exception {
        PushEndpoint.Device device = push.device(name);
        Alerts.subscribe(
                user,
                Map.of(
                        "kind",
                        "webpush",
                        "endpoint",
                        device.endpoint(),
                        "keys",
                        Map.of("p256dh", device.p256dh(), "auth", device.auth())));
    }
}
