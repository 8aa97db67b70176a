package io.parley.gateway.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.events.ConversationCreated;
import io.parley.events.Event;
import io.parley.events.MessageEvent;
import io.parley.events.ParticipantAdded;
import io.parley.events.ParticipantRemoved;
import io.parley.events.PresenceRouted;
import io.parley.events.ReadMoved;
import io.parley.events.UnreadChanged;
import io.parley.gateway.metrics.GatewayMetrics;
import io.parley.gateway.protocol.FrameCodec;
import io.parley.gateway.protocol.ServerFrame;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Delivers conversation and membership changes to those they concern, and every message and read event to the open connections of this instance whose user is a participant, and
 * to every admin's connections for support conversations, to nobody else; and unread counts to their user's own
 * connections.
 */
@ApplicationScoped
public class DeliveryConsumer {

    private final SessionRegistry sessions;
    private final Typing typing;
    private final ConsumersReady positions;
    private final GatewayMetrics metrics;

    public DeliveryConsumer(SessionRegistry sessions, Typing typing, ConsumersReady positions, GatewayMetrics metrics) {
        this.sessions = sessions;
        this.typing = typing;
        this.positions = positions;
        this.metrics = metrics;
    }

    // The delivery channels. Each record's offset is noted once handled, so that a consumer that joins its group
    // again (the broker was restarted) goes on after it instead of jumping to the topic's end (ConsumersReady).
    // A record whose value could not be read (null) is skipped.

    @Incoming("deliver-conversations")
    void onConversationRecord(ConsumerRecord<String, Event> record) {
        positions.handle(record, this::deliverConversation);
    }

    @Incoming("deliver-messages")
    void onMessageRecord(ConsumerRecord<String, Event> record) {
        positions.handle(record, this::deliver);
    }

    @Incoming("deliver-unread")
    void onUnreadRecord(ConsumerRecord<String, Event> record) {
        positions.handle(record, this::deliverUnread);
    }

    @Incoming("deliver-presence")
    void onPresenceRecord(ConsumerRecord<String, Event> record) {
        positions.handle(record, this::deliverPresence);
    }

    @Incoming("deliver-typing")
    void onTypingRecord(ConsumerRecord<String, Event> record) {
        positions.handle(record, typing::deliver);
    }

    /**
     * Conversation and membership changes, to the connections of those they concern: a new conversation to its
     * participants (and every admin for a support conversation); an addition to every participant after it, the added
     * user included; a removal to the remaining participants and to the removed user, whose connections stop getting
     * the conversation's typing at once. Nobody else gets them.
     */
    public void deliverConversation(Event event) {
        if (event instanceof ConversationCreated created) {
            String text = FrameCodec.encode(new ServerFrame.ConversationCreated(new ServerFrame.Conversation(
                    created.conversationId(),
                    created.conversationType(),
                    created.title(),
                    created.participants(),
                    created.createdBy(),
                    created.occurredAt())));
            Set<Session> to = new LinkedHashSet<>();
            sessions.forEachInConversation(created.participants(), created.conversationType(), to::add);
            to.forEach(session -> session.sendNow(text));
        } else if (event instanceof ParticipantAdded added) {
            typing.participantAdded(added.conversationId(), added.userId());
            List<String> members = members(added.participants());
            sendToMembers(
                    new ServerFrame.ParticipantAdded(added.conversationId(), added.userId(), members),
                    added.userId(),
                    members);
        } else if (event instanceof ParticipantRemoved removed) {
            typing.participantRemoved(removed.conversationId(), removed.userId());
            List<String> members = members(removed.participants());
            sendToMembers(
                    new ServerFrame.ParticipantRemoved(removed.conversationId(), removed.userId(), members),
                    removed.userId(),
                    members);
        }
    }

    /** An event's participants; an event published before the field existed has none: an empty list. */
    private static List<String> members(List<String> participants) {
        return participants == null ? List.of() : participants;
    }

    /** {@code frame} to the connections of {@code members} and of {@code userId}. */
    private void sendToMembers(ServerFrame frame, String userId, List<String> members) {
        String text = FrameCodec.encode(frame);
        Set<String> users = new LinkedHashSet<>(members);
        users.add(userId);
        for (String user : users) {
            sessions.of(user).forEach(session -> session.sendNow(text));
        }
    }

    public void deliver(Event event) {
        if (event instanceof ReadMoved read) {
            String frame = FrameCodec.encode(new ServerFrame.Read(read.conversationId(), read.userId(), read.seq()));
            sessions.forEachInConversation(read.participants(), read.conversationType(), s -> s.sendNow(frame));
            return;
        }
        if (!(event instanceof MessageEvent message)) {
            return;
        }
        ServerFrame encoded = messageFrame(message);
        if (encoded == null) {
            return;
        }
        String frame = FrameCodec.encode(encoded);
        if (MessageEvent.CREATED.equals(message.type())) {
            // in seq order, held back while the connection replays what it missed
            long occurredAt =
                    message.occurredAt() == null ? 0 : message.occurredAt().toEpochMilli();
            metrics.eventHandled(occurredAt);
            sessions.forEachInConversation(
                    message.participants(),
                    message.conversationType(),
                    s -> s.offer(message.conversationId(), message.message().seq(), frame, occurredAt));
        } else {
            sessions.forEachInConversation(message.participants(), message.conversationType(), s -> s.sendNow(frame));
        }
    }

    /** New unread counts, to each connection of the user they belong to: a badge clears on every device at once. */
    public void deliverUnread(Event event) {
        if (!(event instanceof UnreadChanged unread)) {
            return;
        }
        // the recipients of one message mostly share their numbers (all who had read up to the last one): each
        // distinct pair is encoded once
        Map<List<Long>, String> encoded = new HashMap<>();
        for (UnreadChanged.Count count : unread.counts()) {
            var sessionsOfUser = sessions.of(count.userId());
            if (sessionsOfUser.isEmpty()) {
                continue;
            }
            String frame = encoded.computeIfAbsent(
                    List.of(count.count(), count.total()),
                    numbers -> FrameCodec.encode(new ServerFrame.Unread(
                            unread.conversationId(), numbers.get(0), numbers.get(1), unread.occurredAt())));
            sessionsOfUser.forEach(session -> session.sendNow(frame));
        }
    }

    /** Presence of a user, to those who share a conversation with them (every admin's too for a support owner). */
    public void deliverPresence(Event event) {
        if (!(event instanceof PresenceRouted presence)) {
            return;
        }
        String text = FrameCodec.encode(
                new ServerFrame.Presence(presence.userId(), presence.online(), presence.lastSeenAt(), presence.name()));
        for (String userId : presence.recipients()) {
            sessions.of(userId).forEach(session -> session.sendNow(text));
        }
        if (presence.toAdmins()) {
            sessions.admins().forEach(session -> session.sendNow(text));
        }
    }

    /**
     * The frame of a message event: {@code message.created}, {@code message.updated} or {@code message.deleted}; null
     * for a type this gateway does not know (not delivered).
     */
    static ServerFrame messageFrame(MessageEvent event) {
        JsonNode message = FrameCodec.tree(event.message());
        return switch (event.type()) {
            case MessageEvent.CREATED -> new ServerFrame.MessageCreated(message);
            case MessageEvent.UPDATED -> new ServerFrame.MessageUpdated(message);
            case MessageEvent.DELETED -> new ServerFrame.MessageDeleted(message);
            default -> null;
        };
    }
}
