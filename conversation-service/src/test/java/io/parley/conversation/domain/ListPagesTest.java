package io.parley.conversation.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.conversation.store.ConversationStore.Position;
import io.parley.conversation.store.ConversationStore.Rows;
import io.parley.conversation.store.ConversationStore.WaitPosition;
import io.parley.events.ConversationKind;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How pages of the conversation list are cut and where the next one starts. */
class ListPagesTest {

    private static final String SNAPSHOT = "100:105:101,103";
    private static final Instant AT = Instant.parse("2025-01-02T03:04:05Z");

    /** Conversations with activities {@code activities}, in that (descending) order, as the store reads them. */
    private static Rows rows(long... activities) {
        List<Conversation> list = java.util.Arrays.stream(activities)
                .mapToObj(a -> new Conversation(
                        UUID.randomUUID(),
                        ConversationKind.GROUP,
                        "g" + a,
                        "u",
                        AT,
                        AT,
                        List.of("u"),
                        a,
                        0,
                        null,
                        false,
                        null,
                        null,
                        null))
                .toList();
        return new Rows(list, SNAPSHOT, AT);
    }

    private static Conversation pinned() {
        return Conversation.fresh(UUID.randomUUID(), ConversationKind.SUPPORT, null, "u", AT, List.of("u"));
    }

    @Test
    void aPageWithNothingLeftOverIsTheLast() {
        Rows rows = rows(9, 8, 7);
        ListPages.Cut<Position> cut = ListPages.byActivity(List.of(), rows, 3, Position.TOP);
        assertThat(cut.items()).containsExactlyElementsOf(rows.conversations());
        assertThat(cut.next()).isNull();
    }

    @Test
    void aLeftOverRowMeansAnotherPageFromTheLastListedPlaceInTheFirstPagesSnapshot() {
        Rows rows = rows(9, 8, 7);
        ListPages.Cut<Position> cut = ListPages.byActivity(List.of(), rows, 2, Position.TOP);
        assertThat(cut.items()).containsExactlyElementsOf(rows.conversations().subList(0, 2));
        assertThat(cut.next()).isEqualTo(new Position(SNAPSHOT, AT, 8));
    }

    @Test
    void thePinnedSupportConversationComesFirstAndTakesAPlace() {
        Conversation support = pinned();
        Rows rows = rows(9, 8);
        ListPages.Cut<Position> cut = ListPages.byActivity(List.of(support), rows, 1, Position.TOP);
        assertThat(cut.items()).containsExactly(support, rows.conversations().get(0));
        assertThat(cut.next()).isEqualTo(new Position(SNAPSHOT, AT, 9));
    }

    @Test
    void aFirstPageTakenWhollyByThePinnedConversationGoesOnFromTheTop() {
        Conversation support = pinned();
        ListPages.Cut<Position> cut = ListPages.byActivity(List.of(support), rows(9), 0, Position.TOP);
        assertThat(cut.items()).containsExactly(support);
        assertThat(cut.next()).isEqualTo(new Position(SNAPSHOT, AT, Long.MAX_VALUE));
    }

    @Test
    void aLaterPageWithNoRoomGoesOnFromWhereItStarted() {
        Position from = new Position(SNAPSHOT, AT, 42);
        ListPages.Cut<Position> cut = ListPages.byActivity(List.of(), rows(41), 0, from);
        assertThat(cut.items()).isEmpty();
        assertThat(cut.next()).isSameAs(from);
    }

    @Test
    void theUnansweredFilterGoesOnAfterTheWaitAndIdOfTheLastListed() {
        List<Conversation> waiting = IntStream.range(0, 3)
                .mapToObj(i -> new Conversation(
                        UUID.randomUUID(),
                        ConversationKind.SUPPORT,
                        null,
                        "c" + i,
                        AT,
                        AT,
                        List.of("c" + i),
                        i,
                        1,
                        null,
                        true,
                        null,
                        AT.plusSeconds(i),
                        null))
                .toList();
        ListPages.Cut<WaitPosition> cut = ListPages.byWait(waiting, 2);
        assertThat(cut.items()).containsExactlyElementsOf(waiting.subList(0, 2));
        assertThat(cut.next())
                .isEqualTo(new WaitPosition(AT.plusSeconds(1), waiting.get(1).id()));

        ListPages.Cut<WaitPosition> last = ListPages.byWait(waiting, 3);
        assertThat(last.items()).containsExactlyElementsOf(waiting);
        assertThat(last.next()).isNull();
    }
}
