package io.parley.conversation;

import static io.parley.conversation.InboxTest.create;
import static io.parley.conversation.InboxTest.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.conversation.domain.Inbox;
import io.parley.conversation.domain.ProcessedEventPruner;
import io.parley.events.ConversationKind;
import io.parley.events.MessageData;
import io.parley.events.MessageEvent;
import io.parley.events.Role;
import io.parley.events.Topics;
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
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * {@code processed_event} is pruned by age (7 days by default): ids older than that are forgotten, while a recent
 * event delivered again is still recognised as a duplicate by the inbox, the use case its consumer calls.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class ProcessedEventPruningTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Inject
    ProcessedEventPruner pruner;

    @Inject
    Inbox inbox;

    @Inject
    Pool pool;

    @Test
    void oldIdsAreForgottenWhileARecentRedeliveryIsStillADuplicate() {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        List<String> members = List.of(alice, bob);
        UUID group = create(alice, "group", List.of(bob));
        MessageEvent first = created(group, members, 1, alice);
        MessageEvent second = created(group, members, 2, alice);
        try (EventPublisher events = new EventPublisher(kafka)) {
            events.publish(Topics.MESSAGES, first);
            events.publish(Topics.MESSAGES, second);
        }
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> assertThat(view(bob, group).getLong("lastSeq")).isEqualTo(2));
        // the first one as if consumed eight days ago, beyond the retention; another id six days ago, within it
        pool.preparedQuery("UPDATE processed_event SET processed_at = now() - interval '8 days' WHERE event_id = $1")
                .execute(Tuple.of(first.eventId()))
                .await()
                .indefinitely();
        UUID sixDaysOld = UUID.randomUUID();
        pool.preparedQuery(
                        "INSERT INTO processed_event (event_id, processed_at) VALUES ($1, now() - interval '6 days')")
                .execute(Tuple.of(sixDaysOld))
                .await()
                .indefinitely();

        long pruned = pruner.prune().await().indefinitely();

        assertThat(pruned).isGreaterThanOrEqualTo(1);
        assertThat(known(first.eventId())).isFalse();
        assertThat(known(sixDaysOld)).isTrue();
        assertThat(known(second.eventId())).isTrue();
        // delivered again, the recent event is a duplicate: nothing applied, no unread.changed to publish
        assertThat(inbox.apply(List.of(second)).await().indefinitely()).isEmpty();
        // while the forgotten one would be applied again (no redelivery comes that late): the check above is real
        assertThat(inbox.apply(List.of(first)).await().indefinitely()).isNotEmpty();
        assertThat(view(bob, group).getLong("unreadCount")).isEqualTo(2);
    }

    private static MessageEvent created(UUID conversation, List<String> participants, long seq, String sender) {
        MessageData message = new MessageData(
                UUID.randomUUID(),
                conversation,
                seq,
                UUID.randomUUID().toString(),
                sender,
                Role.CLIENT,
                null,
                "text",
                "message " + seq,
                List.of(),
                Instant.now().truncatedTo(ChronoUnit.MICROS),
                null,
                null);
        return MessageEvent.of(
                MessageEvent.CREATED, ConversationKind.GROUP, participants, message, message.createdAt());
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
}
