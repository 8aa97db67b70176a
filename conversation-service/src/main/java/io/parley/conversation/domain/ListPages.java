package io.parley.conversation.domain;

import io.parley.conversation.store.ConversationStore.Position;
import io.parley.conversation.store.ConversationStore.Rows;
import io.parley.conversation.store.ConversationStore.WaitPosition;
import java.util.ArrayList;
import java.util.List;

/**
 * How a page of the conversation list is cut from the rows read for it (one more than fit, to know whether another
 * page follows), and where the next page starts. Pure: no database, no clock.
 */
final class ListPages {

    private ListPages() {}

    /** A page of a list: its items, and where the next one starts (null: this is the last). */
    record Cut<P>(List<Conversation> items, P next) {}

    /**
     * A page of a list ordered by activity, latest first: {@code head} (the pinned support conversation on a first
     * page, or nothing), then up to {@code room} of {@code rows} (read with a limit of {@code room + 1}).
     *
     * @param from where this page started ({@link Position#TOP} for the first page)
     * @return the items and the position of the last one listed, in the snapshot of the first page; null when no
     *         row was left over. With no room at all (a first page of one, taken by the pinned conversation) the next
     *         page starts at the top of the snapshot, or where this one started.
     */
    static Cut<Position> byActivity(List<Conversation> head, Rows rows, int room, Position from) {
        List<Conversation> found = rows.conversations();
        List<Conversation> items = new ArrayList<>(head);
        items.addAll(found.subList(0, Math.min(room, found.size())));
        if (found.size() <= room) {
            return new Cut<>(items, null);
        }
        if (room == 0) {
            return new Cut<>(
                    items, from.isTop() ? new Position(rows.snapshot(), rows.snapshotAt(), Long.MAX_VALUE) : from);
        }
        Conversation last = found.get(room - 1);
        return new Cut<>(items, new Position(rows.snapshot(), rows.snapshotAt(), last.activity()));
    }

    /**
     * A page of the support desk's unanswered filter, the oldest wait first: up to {@code limit} of {@code rows}
     * (read with a limit of {@code limit + 1}).
     *
     * @return the items and the wait and id of the last one listed; null when no row was left over
     */
    static Cut<WaitPosition> byWait(List<Conversation> rows, int limit) {
        List<Conversation> items = List.copyOf(rows.subList(0, Math.min(limit, rows.size())));
        if (rows.size() <= limit) {
            return new Cut<>(items, null);
        }
        Conversation last = items.get(items.size() - 1);
        return new Cut<>(items, new WaitPosition(last.awaitingSince(), last.id()));
    }
}
