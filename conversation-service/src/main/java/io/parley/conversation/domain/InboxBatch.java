package io.parley.conversation.domain;

import io.parley.conversation.store.InboxStore;
import io.parley.events.ConversationKind;
import io.parley.events.Event;
import io.parley.events.EventJson;
import io.parley.events.MessageData;
import io.parley.events.MessageEvent;
import io.parley.events.ReadMoved;
import io.parley.events.Role;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What a batch of new message events changes in the inbox read model, folded in their order per conversation (their
 * partition's order), without touching the database: for each conversation its latest new message, every changed
 * (edited or deleted) message, every reader's furthest position (a sender has read their own message), and the
 * (conversation, user) pairs whose unread count may have changed.
 *
 * @param latest    the latest new message of each conversation, with its support desk state
 * @param changed   the edits and deletions, in their order
 * @param positions each reader's furthest position, one per (conversation, user)
 * @param touched   for each conversation, the users whose count the batch concerns
 * @param addressed each new message of a group with the participants its event names (whom the message-service
 *                  stored it for): a member not named joined after it, so it is not theirs to read
 */
public record InboxBatch(
        List<InboxStore.Latest> latest,
        List<MessageEvent> changed,
        List<InboxStore.Position> positions,
        Map<UUID, Set<String>> touched,
        List<InboxStore.Addressed> addressed) {

    /**
     * Folds {@code events} (message events and read moves, in their order; others are not expected).
     *
     * @return what the batch changes
     */
    public static InboxBatch of(List<Event> events) {
        Map<UUID, InboxStore.Latest> latest = new LinkedHashMap<>();
        Map<UUID, String> answeredBy = new HashMap<>();
        Map<UUID, Wait> waits = new HashMap<>();
        List<MessageEvent> changed = new ArrayList<>();
        Map<Reader, InboxStore.Position> positions = new LinkedHashMap<>();
        Map<UUID, Set<String>> touched = new LinkedHashMap<>();
        List<InboxStore.Addressed> addressed = new ArrayList<>();
        for (Event event : events) {
            if (event instanceof ReadMoved read) {
                position(positions, read.conversationId(), read.userId(), read.seq());
                touched.computeIfAbsent(read.conversationId(), id -> new LinkedHashSet<>())
                        .add(read.userId());
                continue;
            }
            MessageEvent message = (MessageEvent) event;
            if (!MessageEvent.CREATED.equals(message.type())) {
                changed.add(message);
                continue;
            }
            MessageData m = message.message();
            boolean fromAdmin = m.senderRole() == Role.ADMIN;
            if (fromAdmin) {
                answeredBy.put(m.conversationId(), m.senderId());
            }
            waits.merge(m.conversationId(), Wait.of(fromAdmin, m.createdAt().toString()), Wait::then);
            InboxStore.Latest before = latest.get(m.conversationId());
            if (before == null || before.seq() < m.seq()) {
                latest.put(
                        m.conversationId(),
                        new InboxStore.Latest(
                                m.conversationId(),
                                m.seq(),
                                json(m),
                                m.createdAt().toString(),
                                fromAdmin,
                                null,
                                null,
                                false));
            }
            position(positions, m.conversationId(), m.senderId(), m.seq());
            if (message.conversationType() == ConversationKind.GROUP) {
                addressed.add(new InboxStore.Addressed(m.conversationId(), m.seq(), message.participants()));
            }
            Set<String> users = touched.computeIfAbsent(m.conversationId(), id -> new LinkedHashSet<>());
            users.addAll(message.participants());
            users.add(m.senderId());
        }
        List<InboxStore.Latest> last = latest.values().stream()
                .map(l -> new InboxStore.Latest(
                        l.conversationId(),
                        l.seq(),
                        l.messageJson(),
                        l.createdAt(),
                        l.fromAdmin(),
                        answeredBy.get(l.conversationId()),
                        waits.get(l.conversationId()).since(),
                        waits.get(l.conversationId()).adminSeen()))
                .toList();
        return new InboxBatch(
                last, List.copyOf(changed), List.copyOf(positions.values()), touched, List.copyOf(addressed));
    }

    /** The message as text, to be cast to jsonb in SQL. */
    static String json(MessageData message) {
        return new String(EventJson.writeValue(message), StandardCharsets.UTF_8);
    }

    /**
     * The wait a batch's new messages of one conversation describe, in their order: whether an admin message is among
     * them, and the createdAt of the first message not from an admin after the last admin one (null if none).
     */
    record Wait(boolean adminSeen, String since) {
        static Wait of(boolean fromAdmin, String createdAt) {
            return fromAdmin ? new Wait(true, null) : new Wait(false, createdAt);
        }

        /** This wait followed by {@code next}, a later message's. */
        Wait then(Wait next) {
            if (next.adminSeen()) {
                return new Wait(true, null);
            }
            return new Wait(adminSeen, since != null ? since : next.since());
        }
    }

    /** A reader in a conversation: the pair itself is the key, never a string made of the two. */
    private record Reader(UUID conversationId, String userId) {}

    private static void position(Map<Reader, InboxStore.Position> positions, UUID conversation, String user, long seq) {
        positions.merge(
                new Reader(conversation, user),
                new InboxStore.Position(conversation, user, seq),
                (a, b) -> a.seq() >= b.seq() ? a : b);
    }
}
