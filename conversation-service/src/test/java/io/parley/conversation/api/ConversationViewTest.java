package io.parley.conversation.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.conversation.domain.Conversation;
import io.parley.events.ConversationKind;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A conversation as one caller sees it: their read position, unread count, pin and the support desk's fields. */
class ConversationViewTest {

    private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");

    private static Conversation conversation(ConversationKind kind, long lastSeq, boolean awaiting) {
        return new Conversation(
                UUID.randomUUID(),
                kind,
                null,
                "owner",
                T,
                T,
                List.of("owner"),
                1,
                lastSeq,
                null,
                awaiting,
                null,
                awaiting ? T.plusSeconds(5) : null,
                null);
    }

    @Test
    void unreadIsWhatComesAfterTheReadPositionWhichNeverPassesTheLastMessage() {
        assertThat(ConversationView.of(conversation(ConversationKind.GROUP, 10, false), "owner", 4, false)
                        .unreadCount())
                .isEqualTo(6);
        ConversationView ahead =
                ConversationView.of(conversation(ConversationKind.GROUP, 10, false), "owner", 12, true);
        assertThat(ahead.readSeq()).isEqualTo(10);
        assertThat(ahead.unreadCount()).isZero();
        assertThat(ahead.muted()).isTrue();
    }

    @Test
    void onlyTheOwnerOfASupportConversationHasItPinned() {
        Conversation support = conversation(ConversationKind.SUPPORT, 0, false);
        assertThat(ConversationView.of(support, "owner", 0, false).pinned()).isTrue();
        assertThat(ConversationView.of(support, "admin", 0, false).pinned()).isFalse();
        assertThat(ConversationView.of(conversation(ConversationKind.GROUP, 0, false), "owner", 0, false)
                        .pinned())
                .isFalse();
    }

    @Test
    void awaitingSinceIsShownOnlyWhileASupportConversationAwaitsAReply() {
        assertThat(ConversationView.of(conversation(ConversationKind.SUPPORT, 3, true), "admin", 0, false)
                        .awaitingSince())
                .isEqualTo(T.plusSeconds(5));
        assertThat(ConversationView.of(conversation(ConversationKind.SUPPORT, 3, false), "admin", 0, false)
                        .awaitingSince())
                .isNull();
    }
}
