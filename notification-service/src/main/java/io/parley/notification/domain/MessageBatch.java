package io.parley.notification.domain;

import io.parley.events.Event;
import io.parley.events.MessageData;
import io.parley.events.MessageEvent;
import io.parley.events.ReadMoved;
import io.parley.notification.store.PendingAlertStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * What a batch of message events does to alerts, worked out from the events alone (in their order, which is each
 * conversation's order) and the removals known before the batch. Pure: {@link Alerts} stores the result.
 *
 * <ul>
 * <li>{@link #unread()}: one row per (recipient, conversation) of the batch's new messages. Recipients are the
 * event's participants (the message-service's replica at the send) other than the sender, less anyone removed
 * there; and only those still named by the conversation's last event in the batch.</li>
 * <li>{@link #reads()}: the furthest position of each (reader, conversation): reads, and each sender at their
 * message.</li>
 * <li>{@link #revisions()}: the last state of each edited or deleted message: its new preview, or null once
 * deleted.</li>
 * <li>{@link #participants()}: each conversation's participants as its last event in the batch names them: a
 * pending alert of anyone else there is dropped.</li>
 * <li>{@link #confirmed()} and {@link #readded()}: removals that an event without the user confirmed (the
 * message-service applied them), and removals that a later event naming the user again ended (added back).</li>
 * </ul>
 */
public final class MessageBatch {

    /** A removed participant: {@code confirmed} once an event of the conversation came without them. */
    public record Removal(UUID conversationId, String userId, boolean confirmed) {}

    /** The last state of an edited or deleted message: {@code preview} null once deleted. */
    public record Revision(UUID conversationId, long seq, String preview) {}

    /** A (conversation, user) pair. */
    public record Member(UUID conversationId, String userId) {}

    private final List<PendingAlertStore.Unread> unread;
    private final List<PendingAlertStore.Read> reads;
    private final List<Revision> revisions;
    private final Map<UUID, Set<String>> participants;
    private final List<Member> confirmed;
    private final List<Member> readded;

    private MessageBatch(
            List<PendingAlertStore.Unread> unread,
            List<PendingAlertStore.Read> reads,
            List<Revision> revisions,
            Map<UUID, Set<String>> participants,
            List<Member> confirmed,
            List<Member> readded) {
        this.unread = unread;
        this.reads = reads;
        this.revisions = revisions;
        this.participants = participants;
        this.confirmed = confirmed;
        this.readded = readded;
    }

    /**
     * Works out a batch.
     *
     * @param events     the batch's message events and reads, each once, in the order they were consumed
     * @param removals   the removals stored for the batch's conversations before it
     * @param graceDelay how long after a message its alert is due
     * @return what the batch adds, cancels, revises and prunes
     */
    public static MessageBatch of(List<Event> events, List<Removal> removals, Duration graceDelay) {
        return of(events, removals, graceDelay, event -> null);
    }

    /**
     * Works out a batch whose events carry a trace context.
     *
     * @param events     the batch's message events and reads, each once, in the order they were consumed
     * @param removals   the removals stored for the batch's conversations before it
     * @param graceDelay how long after a message its alert is due
     * @param traceOf    the W3C {@code traceparent} an event was consumed under, or null: each unread row keeps its
     *                   latest message's
     * @return what the batch adds, cancels, revises and prunes
     */
    public static MessageBatch of(
            List<Event> events, List<Removal> removals, Duration graceDelay, Function<Event, String> traceOf) {
        Map<Member, Boolean> removed = new HashMap<>();
        removals.forEach(r -> removed.put(new Member(r.conversationId(), r.userId()), r.confirmed()));
        Set<Member> confirmed = new LinkedHashSet<>();
        Set<Member> readded = new LinkedHashSet<>();
        Map<UUID, Set<String>> latest = new LinkedHashMap<>();
        Map<Member, PendingAlertStore.Unread> unread = new LinkedHashMap<>();
        Map<Member, PendingAlertStore.Read> reads = new LinkedHashMap<>();
        Map<Map.Entry<UUID, Long>, Revision> revisions = new LinkedHashMap<>();
        Set<Map.Entry<UUID, Long>> deleted = new HashSet<>();

        for (Event event : events) {
            UUID conversation;
            List<String> named;
            if (event instanceof MessageEvent m) {
                conversation = m.message().conversationId();
                named = m.participants();
            } else if (event instanceof ReadMoved r) {
                conversation = r.conversationId();
                named = r.participants();
            } else {
                continue;
            }
            Set<String> members = new HashSet<>(named);
            if (!named.isEmpty()) {
                // an event that names nobody (none does today) says nothing of membership
                latest.put(conversation, members);
            }
            // what this event says of the conversation's removed participants
            for (Map.Entry<Member, Boolean> removal : removed.entrySet()) {
                Member who = removal.getKey();
                if (!who.conversationId().equals(conversation)) {
                    continue;
                }
                if (!named.isEmpty() && !members.contains(who.userId()) && !removal.getValue()) {
                    removal.setValue(true);
                    confirmed.add(who);
                }
            }
            for (String user : named) {
                Member who = new Member(conversation, user);
                if (Boolean.TRUE.equals(removed.get(who))) {
                    // named again after an event without them: added back
                    removed.remove(who);
                    confirmed.remove(who);
                    readded.add(who);
                }
            }

            if (event instanceof ReadMoved moved) {
                read(reads, new PendingAlertStore.Read(moved.userId(), conversation, moved.seq()));
                continue;
            }
            MessageEvent message = (MessageEvent) event;
            MessageData data = message.message();
            if (!MessageEvent.CREATED.equals(message.type())) {
                // an edit or a deletion: the last one of each message wins, and a deletion is for good
                Map.Entry<UUID, Long> key = Map.entry(conversation, data.seq());
                if (MessageEvent.DELETED.equals(message.type()) || data.deletedAt() != null) {
                    deleted.add(key);
                }
                revisions.put(
                        key,
                        new Revision(conversation, data.seq(), deleted.contains(key) ? null : AlertText.preview(data)));
                continue;
            }
            read(reads, new PendingAlertStore.Read(data.senderId(), conversation, data.seq()));
            Instant due = message.occurredAt().plus(graceDelay);
            String preview = AlertText.preview(data);
            for (String recipient : named) {
                if (recipient.equals(data.senderId()) || removed.containsKey(new Member(conversation, recipient))) {
                    continue;
                }
                PendingAlertStore.Unread one = new PendingAlertStore.Unread(
                        recipient,
                        conversation,
                        data.seq(),
                        data.seq(),
                        1,
                        data.senderName(),
                        preview,
                        due,
                        traceOf.apply(message));
                unread.merge(new Member(conversation, recipient), one, MessageBatch::merge);
            }
        }
        List<PendingAlertStore.Unread> stillMembers = unread.values().stream()
                .filter(u -> latest.getOrDefault(u.conversationId(), Set.of(u.userId()))
                        .contains(u.userId()))
                .toList();
        return new MessageBatch(
                stillMembers,
                List.copyOf(reads.values()),
                List.copyOf(revisions.values()),
                latest,
                List.copyOf(confirmed),
                List.copyOf(readded));
    }

    private static void read(Map<Member, PendingAlertStore.Read> reads, PendingAlertStore.Read read) {
        reads.merge(
                new Member(read.conversationId(), read.userId()),
                read,
                (had, next) -> next.seq() > had.seq() ? next : had);
    }

    private static PendingAlertStore.Unread merge(PendingAlertStore.Unread had, PendingAlertStore.Unread next) {
        boolean later = next.lastSeq() > had.lastSeq();
        return new PendingAlertStore.Unread(
                had.userId(),
                had.conversationId(),
                Math.min(had.firstSeq(), next.firstSeq()),
                Math.max(had.lastSeq(), next.lastSeq()),
                had.count() + next.count(),
                later ? next.lastSenderName() : had.lastSenderName(),
                later ? next.lastPreview() : had.lastPreview(),
                had.dueAt().isBefore(next.dueAt()) ? had.dueAt() : next.dueAt(),
                later ? next.traceparent() : had.traceparent());
    }

    /** @return the new unread messages, one row per (recipient, conversation) */
    public List<PendingAlertStore.Unread> unread() {
        return unread;
    }

    /** @return the furthest position of each (reader, conversation) */
    public List<PendingAlertStore.Read> reads() {
        return reads;
    }

    /** @return the last state of each edited or deleted message */
    public List<Revision> revisions() {
        return revisions;
    }

    /** @return each conversation's participants as its last event in the batch names them */
    public Map<UUID, Set<String>> participants() {
        return participants;
    }

    /** @return (conversation, user) pairs of the batch's conversations, as {@link #participants()} names them */
    public List<Member> members() {
        List<Member> members = new ArrayList<>();
        participants.forEach((conversation, users) -> users.forEach(u -> members.add(new Member(conversation, u))));
        return members;
    }

    /** @return removals that an event without the user confirmed */
    public List<Member> confirmed() {
        return confirmed;
    }

    /** @return removals that ended: the user was named again after an event without them */
    public List<Member> readded() {
        return readded;
    }
}
