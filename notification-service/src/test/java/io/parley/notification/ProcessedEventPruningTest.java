package io.parley.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.events.ParticipantAdded;
import io.parley.events.ParticipantRemoved;
import io.parley.events.Topics;
import io.parley.infra.EventPublisher;
import io.parley.infra.InfraTestResource;
import io.parley.notification.domain.ProcessedEventPruner;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * {@code processed_event} is pruned by age (7 days by default): ids older than that are forgotten, while a recent
 * event delivered again is still dropped as a duplicate.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FcmStandIn.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ApnsStandIn.class, scope = TestResourceScope.GLOBAL)
class ProcessedEventPruningTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Inject
    ProcessedEventPruner pruner;

    @Inject
    Pool pool;

    @Test
    void oldIdsAreForgottenWhileARecentRedeliveryIsStillDropped() {
        UUID eightDaysOld = recorded("8 days");
        UUID sixDaysOld = recorded("6 days");
        UUID group = UUID.randomUUID();
        String erin = "erin-" + UUID.randomUUID();
        ParticipantRemoved removal = ParticipantRemoved.of(group, erin, "alice", Instant.now());
        try (EventPublisher events = new EventPublisher(kafka)) {
            events.publish(Topics.CONVERSATIONS, removal);
            await().atMost(Duration.ofSeconds(15)).until(() -> removed(group, erin));
            events.publish(Topics.CONVERSATIONS, ParticipantAdded.of(group, erin, "alice", Instant.now()));
            await().atMost(Duration.ofSeconds(15)).until(() -> !removed(group, erin));

            long pruned = pruner.prune().await().indefinitely();

            assertThat(pruned).isGreaterThanOrEqualTo(1);
            assertThat(known(eightDaysOld)).isFalse();
            assertThat(known(sixDaysOld)).isTrue();
            assertThat(known(removal.eventId())).isTrue();

            // the removal delivered again, then a later event of the conversation on the same partition: once that
            // one is applied, the duplicate was seen, and erin (added back) must still be alerted
            events.publish(Topics.CONVERSATIONS, removal);
            ParticipantAdded later = ParticipantAdded.of(group, "zed-" + UUID.randomUUID(), "alice", Instant.now());
            events.publish(Topics.CONVERSATIONS, later);
            await().atMost(Duration.ofSeconds(15)).until(() -> known(later.eventId()));
            assertThat(removed(group, erin)).isFalse();
        }
    }

    /** Records a made-up event id as consumed {@code age} ago (a PostgreSQL interval). */
    private UUID recorded(String age) {
        UUID id = UUID.randomUUID();
        pool.preparedQuery(
                        "INSERT INTO processed_event (event_id, processed_at) VALUES ($1, now() - $2::text::interval)")
                .execute(Tuple.of(id, age))
                .await()
                .indefinitely();
        return id;
    }

    private boolean known(UUID eventId) {
        return count("SELECT count(*) FROM processed_event WHERE event_id = $1", Tuple.of(eventId)) == 1;
    }

    /** Whether the notification-service holds {@code user} as removed from {@code conversation} (no alerts there). */
    private boolean removed(UUID conversation, String user) {
        return count(
                        "SELECT count(*) FROM participant_removal WHERE conversation_id = $1 AND user_id = $2",
                        Tuple.of(conversation, user))
                == 1;
    }

    private long count(String sql, Tuple args) {
        return pool.preparedQuery(sql)
                .execute(args)
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
    }
}
