package io.parley.gateway.delivery;

import io.parley.events.Event;
import io.parley.events.MessageEvent;
import io.parley.events.PresenceRouted;
import io.parley.events.ReadMoved;
import io.parley.events.UnreadChanged;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Delivers every message and read event to the open connections of this instance whose user is a participant, and
 * to every admin's connections for support conversations, to nobody else; and unread counts to their user's own
 * connections.
 */
@ApplicationScoped
public class DeliveryConsumer {

    private final SessionRegistry sessions;

    public DeliveryConsumer(SessionRegistry sessions) {
        this.sessions = sessions;
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
