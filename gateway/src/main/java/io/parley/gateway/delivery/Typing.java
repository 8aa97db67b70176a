package io.parley.gateway.delivery;

import io.parley.events.Event;
import io.parley.events.TypingChanged;
import io.parley.gateway.upstream.ConversationServiceClient;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Typing indicators: never stored. A {@code typing} frame from a participant goes through Kafka to every gateway
 * instance, which forwards it to the participants' connections; a {@code start} that no {@code stop} or new
 * {@code start} follows within {@link #EXPIRY_MS} ends with a {@code stop} that the gateway makes itself.
 */
@ApplicationScoped
public class Typing {

    static final long EXPIRY_MS = 6_000;
    /** How long a participant's view of a conversation is trusted before it is asked for again. */
    private static final long MEMBERSHIP_TTL_NANOS = 5_000_000_000L;

    private record Membership(String type, List<String> participants, long fetchedAt) {
    }

    private final ConversationServiceClient conversations;
    private final SessionRegistry sessions;
    private final MutinyEmitter<Record<String, Event>> out;
    private final Vertx vertx;
    private final Map<String, Membership> memberships = new ConcurrentHashMap<>();
    private final Map<String, Long> expiries = new ConcurrentHashMap<>();

    public Typing(ConversationServiceClient conversations, SessionRegistry sessions,
                  @Channel("typing-out") MutinyEmitter<Record<String, Event>> out, Vertx vertx) {
        this.conversations = conversations;
        this.sessions = sessions;
        this.out = out;
        this.vertx = vertx;
    }

    /** Publishes the caller's typing state; answers an error frame when the conversation is not theirs. */
    public Uni<String> publish(Session session, String ref, UUID conversationId, String state) {
        return membership(session, conversationId).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(Frames.error(ref, "not_found", "No such conversation."));
            }
            TypingChanged event = TypingChanged.of(conversationId, found.get().type(), found.get().participants(),
                    session.userId(), state, Instant.now());
            return out.send(Record.of(event.key(), event)).replaceWith((String) null);
        });
    }

    private Uni<Optional<Membership>> membership(Session session, UUID conversationId) {
        String key = conversationId + "|" + session.userId();
        Membership known = memberships.get(key);
        if (known != null && System.nanoTime() - known.fetchedAt() < MEMBERSHIP_TTL_NANOS) {
            return Uni.createFrom().item(Optional.of(known));
        }
        return conversations.get(session.token(), conversationId).map(answer -> {
            if (!answer.ok()) {
                memberships.remove(key);
                return Optional.empty();
            }
            JsonObject c = answer.body();
            Membership fresh = new Membership(c.getString("type"),
                    c.getJsonArray("participants").stream().map(String::valueOf).toList(), System.nanoTime());
            memberships.put(key, fresh);
            return Optional.of(fresh);
        });
    }

    @Incoming("deliver-typing")
    public void deliver(Event event) {
        if (!(event instanceof TypingChanged typing)) {
            return;
        }
        String key = typing.conversationId() + "|" + typing.userId();
        Long previous = expiries.remove(key);
        if (previous != null) {
            vertx.cancelTimer(previous);
        }
        forward(typing, typing.state());
        if ("start".equals(typing.state())) {
            long timer = vertx.setTimer(EXPIRY_MS, id -> {
                if (expiries.remove(key, id)) {
                    forward(typing, "stop");
                }
            });
            expiries.put(key, timer);
        }
    }

    private void forward(TypingChanged typing, String state) {
        String frame = Frames.json().createObjectNode().put("type", "typing")
                .put("conversationId", typing.conversationId().toString())
                .put("userId", typing.userId()).put("state", state).toString();
        sessions.forEachInConversation(typing.participants(), typing.conversationType(),
                session -> session.sendNow(frame));
    }
}
