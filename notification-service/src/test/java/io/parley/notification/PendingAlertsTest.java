package io.parley.notification;

import io.parley.events.MessageData;
import io.parley.events.MessageEvent;
import io.parley.events.Topics;
import io.parley.infra.EventTap;
import io.parley.infra.InfraTestResource;
import io.parley.notification.domain.PendingAlert;
import io.parley.notification.store.PendingAlertStore;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class PendingAlertsTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Inject
    PendingAlertStore alerts;

    @Test
    void unreadMessagesCollapseIntoOnePendingAlertPerRecipientAndConversation() {
        UUID conversation = UUID.randomUUID();
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        Instant sentAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        MessageEvent first = message(conversation, 1, alice, List.of(alice, bob), sentAt);
        EventTap.publish(kafka, Topics.MESSAGES, first);
        EventTap.publish(kafka, Topics.MESSAGES, message(conversation, 2, alice, List.of(alice, bob), sentAt));
        // Kafka may deliver an event again: it must not count twice.
        EventTap.publish(kafka, Topics.MESSAGES, first);
        EventTap.publish(kafka, Topics.MESSAGES, message(conversation, 3, alice, List.of(alice, bob), sentAt));

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            List<PendingAlert> pending = alerts.forUser(bob).await().indefinitely();
            assertThat(pending).singleElement().satisfies(alert -> {
                assertThat(alert.conversationId()).isEqualTo(conversation);
                assertThat(alert.firstSeq()).isEqualTo(1);
                assertThat(alert.lastSeq()).isEqualTo(3);
                assertThat(alert.messageCount()).isEqualTo(3);
                assertThat(alert.dueAt()).isEqualTo(sentAt.plusSeconds(30));
            });
        });
        assertThat(alerts.forUser(alice).await().indefinitely()).as("the sender is not alerted").isEmpty();
    }

    private static MessageEvent message(UUID conversation, long seq, String sender, List<String> participants,
                                        Instant at) {
        MessageData data = new MessageData(UUID.randomUUID(), conversation, seq, UUID.randomUUID().toString(), sender,
                "client", "Alice", "text", "hello " + seq, List.of(), at, null, null);
        return MessageEvent.of(MessageEvent.CREATED, "direct", participants, data, at);
    }
}
