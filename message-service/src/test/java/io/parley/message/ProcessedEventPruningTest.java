package io.parley.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.events.ConversationCreated;
import io.parley.events.ConversationKind;
import io.parley.events.ParticipantAdded;
import io.parley.events.ParticipantRemoved;
import io.parley.events.Topics;
import io.parley.infra.EventTap;
import io.parley.infra.InfraTestResource;
import io.parley.message.domain.ProcessedEventPruner;
import io.parley.message.store.MembershipStore;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * {@code processed_event} is pruned by age (7 days by default): ids older than that are forgotten, in batches however
 * many there are, while a recent event delivered again is still dropped as a duplicate.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class ProcessedEventPruningTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Inject
    ProcessedEventPruner pruner;

    @Inject
    MembershipStore membership;

    @Inject
    Pool pool;

    @Test
    void oldIdsAreForgottenWhileARecentRedeliveryIsStillDropped() {
        UUID eightDaysOld = recorded("8 days");
        UUID sixDaysOld = recorded("6 days");

        UUID conversation = UUID.randomUUID();
        EventTap.publish(
                kafka,
                Topics.CONVERSATIONS,
                ConversationCreated.of(
                        conversation, ConversationKind.DIRECT, null, "dan", List.of("dan", "erin"), Instant.now()));
        ParticipantRemoved removal = ParticipantRemoved.of(conversation, "erin", "erin", Instant.now());
        EventTap.publish(kafka, Topics.CONVERSATIONS, removal);
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(members(conversation)).containsExactly("dan"));

        long pruned = pruner.prune().await().indefinitely();

        assertThat(pruned).isGreaterThanOrEqualTo(1);
        assertThat(known(eightDaysOld)).isFalse();
        assertThat(known(sixDaysOld)).isTrue();
        assertThat(known(removal.eventId())).isTrue();

        // erin comes back, then the removal is delivered again: it must not remove her a second time
        EventTap.publish(kafka, Topics.CONVERSATIONS, ParticipantAdded.of(conversation, "erin", "dan", Instant.now()));
        EventTap.publish(kafka, Topics.CONVERSATIONS, removal);
        // a later event of the conversation follows the duplicate on its partition: once applied, both were seen
        EventTap.publish(kafka, Topics.CONVERSATIONS, ParticipantAdded.of(conversation, "frank", "dan", Instant.now()));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(members(conversation)).contains("frank"));
        assertThat(members(conversation)).containsExactly("dan", "erin", "frank");
    }

    @Test
    void aBacklogLargerThanOneBatchIsPrunedWhole() {
        pool.query("INSERT INTO processed_event (event_id, processed_at) "
                        + "SELECT gen_random_uuid(), now() - interval '30 days' FROM generate_series(1, 12000)")
                .execute()
                .await()
                .indefinitely();
        UUID recent = recorded("1 hour");

        long pruned = pruner.prune().await().indefinitely();

        assertThat(pruned).isGreaterThanOrEqualTo(12_000);
        assertThat(pool.query("SELECT count(*) FROM processed_event WHERE processed_at < now() - interval '7 days'")
                        .execute()
                        .await()
                        .indefinitely()
                        .iterator()
                        .next()
                        .getLong(0))
                .isZero();
        assertThat(known(recent)).isTrue();
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
        return pool.preparedQuery("SELECT count(*) FROM processed_event WHERE event_id = $1")
                        .execute(Tuple.of(eventId))
                        .await()
                        .indefinitely()
                        .iterator()
                        .next()
                        .getLong(0)
                == 1;
    }

    private List<String> members(UUID conversation) {
        return membership.members(pool, conversation).await().indefinitely();
    }
}
