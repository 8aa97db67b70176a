package io.parley.notification.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.events.ConversationKind;
import io.parley.events.Event;
import io.parley.events.MessageData;
import io.parley.events.MessageEvent;
import io.parley.events.ReadMoved;
import io.parley.events.Role;
import io.parley.notification.store.PendingAlertStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a batch of message events does to alerts, worked out without a database. */
class MessageBatchTest {

    private static final UUID GROUP = UUID.randomUUID();
    private static final Duration GRACE = Duration.ofSeconds(30);

    @Test
    void newMessagesCollapseIntoOneRowPerRecipientAndTheSenderIsNotAlerted() {
        MessageBatch batch = MessageBatch.of(
                List.of(
                        created(1, "alice", "one", "alice", "bob", "carol"),
                        created(2, "alice", "two", "alice", "bob", "carol")),
                List.of(),
                GRACE);
        assertThat(batch.unread()).extracting(PendingAlertStore.Unread::userId).containsExactly("bob", "carol");
        PendingAlertStore.Unread bob = batch.unread().get(0);
        assertThat(bob.count()).isEqualTo(2);
        assertThat(bob.firstSeq()).isEqualTo(1);
        assertThat(bob.lastSeq()).isEqualTo(2);
        assertThat(bob.lastPreview()).isEqualTo("two");
        assertThat(batch.reads()).containsExactly(new PendingAlertStore.Read("alice", GROUP, 2));
    }

    @Test
    void aCollapsedAlertKeepsTheTraceOfItsLatestMessage() {
        Event one = created(1, "alice", "one", "alice", "bob");
        Event two = created(2, "alice", "two", "alice", "bob");
        String traceOne = "00-" + "1".repeat(32) + "-" + "a".repeat(16) + "-01";
        String traceTwo = "00-" + "2".repeat(32) + "-" + "b".repeat(16) + "-01";
        // consumed in the order two, one (another partition's poll may come first): the higher seq wins
        MessageBatch batch =
                MessageBatch.of(List.of(two, one), List.of(), GRACE, event -> event == one ? traceOne : traceTwo);
        assertThat(batch.unread()).singleElement().satisfies(bob -> {
            assertThat(bob.count()).isEqualTo(2);
            assertThat(bob.traceparent()).isEqualTo(traceTwo);
        });
        assertThat(MessageBatch.of(List.of(one), List.of(), GRACE).unread())
                .singleElement()
                .satisfies(bob -> assertThat(bob.traceparent()).isNull());
    }

    @Test
    void aRemovedParticipantStillNamedByAnOlderEventIsNotAlerted() {
        MessageBatch batch = MessageBatch.of(
                List.of(created(5, "alice", "stale", "alice", "bob", "carol")),
                List.of(new MessageBatch.Removal(GROUP, "carol", false)),
                GRACE);
        assertThat(batch.unread()).extracting(PendingAlertStore.Unread::userId).containsExactly("bob");
        assertThat(batch.confirmed()).isEmpty();
        assertThat(batch.readded()).isEmpty();
    }

    @Test
    void anEventWithoutTheRemovedUserConfirmsTheRemovalAndOneNamingThemAgainEndsIt() {
        MessageBatch batch = MessageBatch.of(
                List.of(
                        created(5, "alice", "stale", "alice", "bob", "carol"),
                        created(6, "alice", "after the removal", "alice", "bob"),
                        created(7, "alice", "added back", "alice", "bob", "carol")),
                List.of(new MessageBatch.Removal(GROUP, "carol", false)),
                GRACE);
        PendingAlertStore.Unread carol = batch.unread().stream()
                .filter(u -> u.userId().equals("carol"))
                .findFirst()
                .orElseThrow();
        assertThat(carol.count())
                .as("only the message after carol was added back")
                .isEqualTo(1);
        assertThat(carol.firstSeq()).isEqualTo(7);
        assertThat(batch.readded()).containsExactly(new MessageBatch.Member(GROUP, "carol"));
        assertThat(batch.confirmed()).isEmpty();
    }

    @Test
    void theLastEventOfAConversationDecidesWhoKeepsAnAlert() {
        MessageBatch batch = MessageBatch.of(
                List.of(
                        created(1, "alice", "one", "alice", "bob", "carol"),
                        created(2, "alice", "two", "alice", "bob")),
                List.of(),
                GRACE);
        assertThat(batch.unread()).extracting(PendingAlertStore.Unread::userId).containsExactly("bob");
        assertThat(batch.participants().get(GROUP)).containsExactlyInAnyOrder("alice", "bob");
        assertThat(batch.members()).hasSize(2);
    }

    @Test
    void anEventWithoutAnUnconfirmedRemovedUserConfirmsIt() {
        MessageBatch batch = MessageBatch.of(
                List.of(ReadMoved.of(GROUP, ConversationKind.GROUP, List.of("alice", "bob"), "bob", 3, Instant.now())),
                List.of(new MessageBatch.Removal(GROUP, "carol", false)),
                GRACE);
        assertThat(batch.confirmed()).containsExactly(new MessageBatch.Member(GROUP, "carol"));
        assertThat(batch.reads()).containsExactly(new PendingAlertStore.Read("bob", GROUP, 3));
    }

    @Test
    void editsAndDeletionsReviseTheirMessageAndADeletionIsForGood() {
        MessageData one = data(1, "alice", "first");
        MessageData two = data(2, "alice", "second");
        MessageBatch batch = MessageBatch.of(
                List.of(
                        MessageEvent.of(
                                MessageEvent.CREATED,
                                ConversationKind.GROUP,
                                List.of("alice", "bob"),
                                one,
                                Instant.now()),
                        MessageEvent.of(
                                MessageEvent.UPDATED,
                                ConversationKind.GROUP,
                                List.of("alice", "bob"),
                                edited(one, "first, edited"),
                                Instant.now()),
                        MessageEvent.of(
                                MessageEvent.DELETED,
                                ConversationKind.GROUP,
                                List.of("alice", "bob"),
                                deleted(two),
                                Instant.now()),
                        MessageEvent.of(
                                MessageEvent.UPDATED,
                                ConversationKind.GROUP,
                                List.of("alice", "bob"),
                                edited(two, "late edit"),
                                Instant.now())),
                List.of(),
                GRACE);
        assertThat(batch.revisions())
                .containsExactly(
                        new MessageBatch.Revision(GROUP, 1, "first, edited"),
                        new MessageBatch.Revision(GROUP, 2, null));
        assertThat(batch.unread()).hasSize(1);
        assertThat(batch.unread().get(0).count())
                .as("edits and deletions add no message")
                .isEqualTo(1);
    }

    private static Event created(long seq, String sender, String content, String... participants) {
        return MessageEvent.of(
                MessageEvent.CREATED,
                ConversationKind.GROUP,
                List.of(participants),
                data(seq, sender, content),
                Instant.now());
    }

    private static MessageData data(long seq, String sender, String content) {
        return new MessageData(
                UUID.randomUUID(),
                GROUP,
                seq,
                UUID.randomUUID().toString(),
                sender,
                Role.CLIENT,
                "Alice",
                "text",
                content,
                List.of(),
                Instant.now(),
                null,
                null);
    }

    private static MessageData edited(MessageData m, String content) {
        return new MessageData(
                m.id(),
                m.conversationId(),
                m.seq(),
                m.clientMessageId(),
                m.senderId(),
                m.senderRole(),
                m.senderName(),
                m.type(),
                content,
                m.attachments(),
                m.createdAt(),
                Instant.now(),
                null);
    }

    private static MessageData deleted(MessageData m) {
        return new MessageData(
                m.id(),
                m.conversationId(),
                m.seq(),
                m.clientMessageId(),
                m.senderId(),
                m.senderRole(),
                m.senderName(),
                m.type(),
                null,
                List.of(),
                m.createdAt(),
                m.editedAt(),
                Instant.now());
    }
}
