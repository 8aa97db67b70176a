package io.parley.conversation.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.conversation.store.InboxStore;
import io.parley.events.ConversationKind;
import io.parley.events.Event;
import io.parley.events.MessageData;
import io.parley.events.MessageEvent;
import io.parley.events.ReadMoved;
import io.parley.events.Role;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a batch of message events changes in the inbox read model, folded without a database. */
class InboxBatchTest {

    private static final UUID SUPPORT = UUID.randomUUID();
    private static final UUID GROUP = UUID.randomUUID();
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    private static MessageEvent created(
            UUID conversation, String type, List<String> participants, long seq, String sender, String role) {
        MessageData m = new MessageData(
                UUID.randomUUID(),
                conversation,
                seq,
                "c" + seq,
                sender,
                Role.fromWire(role),
                sender,
                "text",
                "hello " + seq,
                List.of(),
                T0.plusSeconds(seq),
                null,
                null);
        return MessageEvent.of(MessageEvent.CREATED, ConversationKind.fromWire(type), participants, m, T0);
    }

    @Test
    void theLatestNewMessageOfEachConversationWithItsWaitAndWhoAnswered() {
        List<String> members = List.of("client");
        List<Event> events = List.of(
                created(SUPPORT, "support", members, 1, "client", "client"),
                created(SUPPORT, "support", members, 2, "admin-1", "admin"),
                created(SUPPORT, "support", members, 3, "client", "client"),
                created(GROUP, "group", List.of("a", "b"), 7, "a", "client"));

        InboxBatch batch = InboxBatch.of(events);

        assertThat(batch.latest()).hasSize(2);
        InboxStore.Latest support = batch.latest().get(0);
        assertThat(support.conversationId()).isEqualTo(SUPPORT);
        assertThat(support.seq()).isEqualTo(3);
        assertThat(support.fromAdmin()).isFalse();
        assertThat(support.answeredBy()).isEqualTo("admin-1");
        assertThat(support.waitingSince()).isEqualTo(T0.plusSeconds(3).toString());
        assertThat(support.adminInBatch()).isTrue();
        assertThat(support.messageJson()).contains("\"content\":\"hello 3\"");

        InboxStore.Latest group = batch.latest().get(1);
        assertThat(group.seq()).isEqualTo(7);
        assertThat(group.answeredBy()).isNull();
        assertThat(group.waitingSince()).isEqualTo(T0.plusSeconds(7).toString());
        assertThat(group.adminInBatch()).isFalse();
    }

    @Test
    void aReaderKeepsTheirFurthestPositionAndASenderHasReadTheirOwnMessage() {
        List<String> members = List.of("a", "b");
        List<Event> events = List.of(
                created(GROUP, "group", members, 5, "a", "client"),
                ReadMoved.of(GROUP, ConversationKind.GROUP, members, "b", 4, T0),
                ReadMoved.of(GROUP, ConversationKind.GROUP, members, "a", 3, T0),
                ReadMoved.of(GROUP, ConversationKind.GROUP, members, "b", 2, T0));

        InboxBatch batch = InboxBatch.of(events);

        assertThat(batch.positions())
                .containsExactly(new InboxStore.Position(GROUP, "a", 5), new InboxStore.Position(GROUP, "b", 4));
        assertThat(batch.touched()).containsEntry(GROUP, Set.of("a", "b"));
    }

    @Test
    void editsAndDeletionsAreKeptInOrderAndMoveNothing() {
        MessageData edited =
                created(GROUP, "group", List.of("a"), 3, "a", "client").message();
        MessageEvent update = MessageEvent.of(MessageEvent.UPDATED, ConversationKind.GROUP, List.of("a"), edited, T0);
        MessageEvent delete = MessageEvent.of(MessageEvent.DELETED, ConversationKind.GROUP, List.of("a"), edited, T0);

        InboxBatch batch = InboxBatch.of(List.of(update, delete));

        assertThat(batch.changed()).containsExactly(update, delete);
        assertThat(batch.latest()).isEmpty();
        assertThat(batch.positions()).isEmpty();
        assertThat(batch.touched()).isEmpty();
    }

    @Test
    void anAdminReadingASupportConversationIsConcernedToo() {
        InboxBatch batch = InboxBatch.of(
                List.of(ReadMoved.of(SUPPORT, ConversationKind.SUPPORT, List.of("client"), "admin-1", 9, T0)));
        assertThat(batch.touched()).containsEntry(SUPPORT, Set.of("admin-1"));
        assertThat(batch.positions()).containsExactly(new InboxStore.Position(SUPPORT, "admin-1", 9));
    }

    @Test
    void eachNewGroupMessageKeepsWhomItWasStoredForAndOtherKindsNeedNot() {
        InboxBatch batch = InboxBatch.of(List.of(
                created(GROUP, "group", List.of("a", "b"), 4, "a", "client"),
                created(SUPPORT, "support", List.of("client"), 7, "client", "client"),
                created(GROUP, "group", List.of("a", "b", "c"), 5, "b", "client")));
        assertThat(batch.addressed())
                .containsExactly(
                        new InboxStore.Addressed(GROUP, 4, List.of("a", "b")),
                        new InboxStore.Addressed(GROUP, 5, List.of("a", "b", "c")));
    }
}
