package io.parley.gateway.delivery;

import io.parley.events.Event;
import io.parley.events.MessageEvent;
import io.parley.events.PresenceRouted;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.Collection;

/**
 * Delivers every message event to the open connections of this instance whose user is a participant, and to every
 * admin's connections for support conversations; to nobody else.
 */
@ApplicationScoped
public class DeliveryConsumer {

    private final SessionRegistry sessions;

    public DeliveryConsumer(SessionRegistry sessions) {
        this.sessions = sessions;
    }

    @Incoming("deliver-messages")
    public void deliver(Event event) {
        if (!(event instanceof MessageEvent message)) {
            return;
        }
        String frame = Frames.message(message.type(), message.message());
        boolean created = MessageEvent.CREATED.equals(message.type());
        for (String userId : message.participants()) {
            send(sessions.of(userId), message, created, frame);
        }
        if ("support".equals(message.conversationType())) {
            send(sessions.admins(), message, created, frame);
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

    private static void send(Collection<Session> targets, MessageEvent event, boolean created, String frame) {
        for (Session session : targets) {
            if (created) {
                session.offer(event.conversationId(), event.message().seq(), frame);
            } else {
                session.sendNow(frame);
            }
        }
    }
}
