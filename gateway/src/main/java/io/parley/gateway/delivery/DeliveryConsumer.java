package io.parley.gateway.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.events.ConversationCreated;
import io.parley.events.Event;
import io.parley.events.ParticipantAdded;
import io.parley.events.ParticipantRemoved;
import io.parley.events.MessageEvent;
import io.parley.events.PresenceRouted;
import io.parley.events.ReadMoved;
import io.parley.events.UnreadChanged;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Delivers conversation and membership changes to those they concern, and every message and read event to the open connections of this instance whose user is a participant, and
 * to every admin's connections for support conversations, to nobody else; and unread counts to their user's own
 * connections.
 */
@ApplicationScoped
public class DeliveryConsumer {

    private final SessionRegistry sessions;
    private final Typing typing;

    public DeliveryConsumer(SessionRegistry sessions, Typing typing) {
        this.sessions = sessions;
        this.typing = typing;
    }

    /**
     * Conversation and membership changes, to the connections of those they concern: a new conversation to its
     * participants (and every admin for a support conversation); an addition to every participant after it, the added
     * user included; a removal to the remaining participants and to the removed user, whose connections stop getting
     * the conversation's typing at once. Nobody else gets them.
     */
    @Incoming("deliver-conversations")
    public void deliverConversation(Event event) {
        if (event instanceof ConversationCreated created) {
            ObjectNode frame = Frames.json().createObjectNode().put("type", "conversation.created");
            ObjectNode conversation = frame.putObject("conversation")
                    .put("id", created.conversationId().toString())
                    .put("type", created.conversationType())
                    .put("title", created.title());
            created.participants().forEach(conversation.putArray("participants")::add);
            conversation.put("createdBy", created.createdBy())
                    .put("createdAt", created.occurredAt().toString());
            String text = frame.toString();
            Set<Session> to = new LinkedHashSet<>();
            sessions.forEachInConversation(created.participants(), created.conversationType(), to::add);
            to.forEach(session -> session.sendNow(text));
        } else if (event instanceof ParticipantAdded added) {
            typing.participantAdded(added.conversationId(), added.userId());
            sendToMembers("participant.added", added.conversationId(), added.userId(), added.participants());
        } else if (event instanceof ParticipantRemoved removed) {
            typing.participantRemoved(removed.conversationId(), removed.userId());
            sendToMembers("participant.removed", removed.conversationId(), removed.userId(), removed.participants());
        }
    }

    /**
     * {@code {type, conversationId, userId, participants}} to the connections of {@code participants} and of
     * {@code userId} (an event published before the field existed has none: then to {@code userId} alone, with an
     * empty list).
     */
    private void sendToMembers(String type, UUID conversationId, String userId, List<String> participants) {
        List<String> members = participants == null ? List.of() : participants;
        ObjectNode frame = Frames.json().createObjectNode().put("type", type)
                .put("conversationId", conversationId.toString()).put("userId", userId);
        members.forEach(frame.putArray("participants")::add);
        String text = frame.toString();
        Set<String> users = new LinkedHashSet<>(members);
        users.add(userId);
        for (String user : users) {
            sessions.of(user).forEach(session -> session.sendNow(text));
        }
    }

    @Incoming("deliver-messages")
    public void deliver(Event event) {
        if (event instanceof ReadMoved read) {
            String frame = Frames.json().createObjectNode().put("type", "read")
                    .put("conversationId", read.conversationId().toString()).put("userId", read.userId())
                    .put("seq", read.seq()).toString();
            sessions.forEachInConversation(read.participants(), read.conversationType(), s -> s.sendNow(frame));
            return;
        }
        if (!(event instanceof MessageEvent message)) {
            return;
        }
        String frame = Frames.message(message.type(), message.message());
        if (MessageEvent.CREATED.equals(message.type())) {
            // in seq order, held back while the connection replays what it missed
            sessions.forEachInConversation(message.participants(), message.conversationType(),
                    s -> s.offer(message.conversationId(), message.message().seq(), frame));
        } else {
            sessions.forEachInConversation(message.participants(), message.conversationType(),
                    s -> s.sendNow(frame));
        }
    }

    /** New unread counts, to each connection of the user they belong to: a badge clears on every device at once. */
    @Incoming("deliver-unread")
    public void deliverUnread(Event event) {
        if (!(event instanceof UnreadChanged unread)) {
            return;
        }
        for (UnreadChanged.Count count : unread.counts()) {
            var sessionsOfUser = sessions.of(count.userId());
            if (sessionsOfUser.isEmpty()) {
                continue;
            }
            String frame = Frames.json().createObjectNode().put("type", "unread")
                    .put("conversationId", unread.conversationId().toString()).put("count", count.count())
                    .put("total", count.total()).toString();
            sessionsOfUser.forEach(session -> session.sendNow(frame));
        }
    }

    /** Presence of a user, to those who share a conversation with them (every admin's too for a support owner). */
    @Incoming("deliver-presence")
    public void deliverPresence(Event event) {
        if (!(event instanceof PresenceRouted presence)) {
            return;
        }
        var frame = Frames.json().createObjectNode().put("type", "presence").put("userId", presence.userId())
                .put("online", presence.online());
        frame.put("lastSeenAt", presence.lastSeenAt() == null ? null : presence.lastSeenAt().toString());
        String text = frame.toString();
        for (String userId : presence.recipients()) {
            sessions.of(userId).forEach(session -> session.sendNow(text));
        }
        if (presence.toAdmins()) {
            sessions.admins().forEach(session -> session.sendNow(text));
        }
    }
}
