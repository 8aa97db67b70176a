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
import io.parley.message.store.MembershipStore;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class MembershipReplicaTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Inject
    MembershipStore membership;

    @Inject
    Pool pool;

    @Test
    void membershipFollowsConversationEventsFromKafka() {
        UUID conversation = UUID.randomUUID();
        ConversationCreated created = ConversationCreated.of(
                conversation, ConversationKind.GROUP, "Team", "alice", List.of("alice", "bob"), Instant.now());
        EventTap.publish(kafka, Topics.CONVERSATIONS, created);

        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(members(conversation)).containsExactly("alice", "bob"));

        EventTap.publish(
                kafka, Topics.CONVERSATIONS, ParticipantAdded.of(conversation, "carol", "alice", Instant.now()));
        EventTap.publish(
                kafka, Topics.CONVERSATIONS, ParticipantRemoved.of(conversation, "bob", "alice", Instant.now()));

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(members(conversation)).containsExactly("alice", "carol"));
        assertThat(membership.kind(pool, conversation).await().indefinitely().map(ConversationKind::wire))
                .contains("group");
    }

    @Test
    void aRedeliveredEventIsAppliedOnce() {
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

        // erin comes back, then the old removal is delivered again: it must not remove her a second time.
        EventTap.publish(kafka, Topics.CONVERSATIONS, ParticipantAdded.of(conversation, "erin", "dan", Instant.now()));
        EventTap.publish(kafka, Topics.CONVERSATIONS, removal);
        // A later event of the same conversation comes after the duplicate on its partition: once it is applied,
        // the duplicate has been seen too.
        EventTap.publish(kafka, Topics.CONVERSATIONS, ParticipantAdded.of(conversation, "frank", "dan", Instant.now()));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(members(conversation)).contains("frank"));
        assertThat(members(conversation)).containsExactly("dan", "erin", "frank");
    }

    private List<String> members(UUID conversation) {
        return membership.members(pool, conversation).await().indefinitely();
    }
}
