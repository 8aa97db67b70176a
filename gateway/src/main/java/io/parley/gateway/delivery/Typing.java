package io.parley.gateway.delivery;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.parley.events.ConversationKind;
import io.parley.events.Event;
import io.parley.events.TypingChanged;
import io.parley.events.TypingState;
import io.parley.gateway.protocol.FrameCodec;
import io.parley.gateway.protocol.ServerFrame;
import io.parley.gateway.upstream.ConversationServiceClient;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Typing indicators: never stored. A {@code typing} frame from a participant goes through Kafka to every gateway
 * instance, which forwards it to the participants' connections; a {@code start} that no {@code stop} or new
 * {@code start} follows within {@link #EXPIRY} ends with a {@code stop} that the gateway makes itself.
 */
@ApplicationScoped
public class Typing {

    static final java.time.Duration EXPIRY = java.time.Duration.ofSeconds(6);

    /** Whose typing in which conversation: compared field by field, never as a joined string. */
    record Key(UUID conversationId, String userId) {}

    private final ConversationServiceClient conversations;
    private final SessionRegistry sessions;
    private final MutinyEmitter<Record<String, Event>> out;
    private final Vertx vertx;
    private final Map<Key, Long> expiries = new ConcurrentHashMap<>();
    /**
     * Who was removed from which conversation, and when this instance learned it (System.nanoTime()); each entry is
     * forgotten {@link #REMOVAL_KEPT} after it was written (a Caffeine map), whether or not other removals follow.
     */
    private final Map<Key, Long> removed;

    /**
     * How long a removal is remembered: longer than any typing event can still arrive (the typing topic keeps them a
     * minute, and every instance reads it live) and than a pending automatic {@code stop}.
     */
    static final java.time.Duration REMOVAL_KEPT = java.time.Duration.ofMinutes(2);

    public Typing(
            ConversationServiceClient conversations,
            SessionRegistry sessions,
            @Channel("typing-out") MutinyEmitter<Record<String, Event>> out,
            Vertx vertx) {
        this.conversations = conversations;
        this.sessions = sessions;
        this.out = out;
        this.vertx = vertx;
        this.removed = Caffeine.newBuilder()
                .expireAfterWrite(REMOVAL_KEPT)
                .executor(Runnable::run)
                .<Key, Long>build()
                .asMap();
    }

    /**
     * Publishes the caller's typing state to the conversation's current participants; answers an error frame
     * ({@code not_found}) when the conversation is not theirs now, else null. Membership is asked of the
     * conversation-service for every frame, never remembered: it answers a removal only once it is committed, so a
     * removed participant's typing stops at once, and a remaining participant's typing no longer goes to them.
     */
    public Uni<ServerFrame> publish(Session session, String ref, UUID conversationId, TypingState state) {
        return conversations
                .get(session.token(), conversationId)
                .chain(answer -> {
                    if (!answer.ok()) {
                        String code = ServerFrame.Error.codeOf(answer.status());
                        return Uni.createFrom().item((ServerFrame) ServerFrame.Error.about(
                                ref,
                                code,
                                "unavailable".equals(code)
                                        ? "The conversation-service did not answer; send it again."
                                        : answer.body().getString("detail", "No such conversation."),
                                conversationId.toString()));
                    }
                    JsonObject c = answer.body();
                    TypingChanged event = TypingChanged.of(
                            conversationId,
                            ConversationKind.fromWire(c.getString("type")),
                            c.getJsonArray("participants").stream()
                                    .map(String::valueOf)
                                    .toList(),
                            session.userId(),
                            state,
                            Instant.now());
                    return out.send(Record.of(event.key(), event)).replaceWith((ServerFrame) null);
                })
                .onFailure()
                .recoverWithItem(e -> {
                    Log.warnf("typing not published: %s", e.toString());
                    return ServerFrame.Error.about(
                            ref,
                            "unavailable",
                            "The typing state was not published; send it again.",
                            conversationId.toString());
                });
    }

    public void deliver(Event event) {
        if (!(event instanceof TypingChanged typing)) {
            return;
        }
        Key key = new Key(typing.conversationId(), typing.userId());
        Long previous = expiries.remove(key);
        if (previous != null) {
            vertx.cancelTimer(previous);
            starts.remove(key);
        }
        if (removed.containsKey(key) && typing.state() == TypingState.START) {
            return; // published before the typist's removal, consumed after it
        }
        forward(typing, typing.state());
        if (typing.state() == TypingState.START) {
            starts.put(key, new Started(typing));
            long timer = vertx.setTimer(EXPIRY.toMillis(), id -> {
                if (expiries.remove(key, id)) {
                    starts.remove(key);
                    forward(typing, TypingState.STOP);
                }
            });
            expiries.put(key, timer);
        }
    }

    /**
     * A participant left {@code conversationId} (this instance consumed the removal): from now on no typing of that
     * conversation reaches their connections, including a typing event published before the removal and the
     * automatic {@code stop} of a {@code start} sent before it; a {@code start} of theirs that is still running ends
     * at once with a {@code stop} to the others, and one of theirs that arrives late is dropped.
     */
    public void participantRemoved(UUID conversationId, String userId) {
        Key key = new Key(conversationId, userId);
        removed.put(key, System.nanoTime());
        Long timer = expiries.remove(key);
        if (timer != null) {
            vertx.cancelTimer(timer);
            Started started = starts.remove(key);
            if (started != null) {
                forward(started.typing(), TypingState.STOP);
            }
        }
    }

    /** A user joined {@code conversationId} (again): their connections get its typing from now on. */
    public void participantAdded(UUID conversationId, String userId) {
        removed.remove(new Key(conversationId, userId));
    }

    /** The last {@code start} of each typist whose automatic {@code stop} is pending. */
    private record Started(TypingChanged typing) {}

    private final Map<Key, Started> starts = new ConcurrentHashMap<>();

    private void forward(TypingChanged typing, TypingState state) {
        String frame = FrameCodec.encode(new ServerFrame.Typing(typing.conversationId(), typing.userId(), state));
        List<String> recipients = removed.isEmpty()
                ? typing.participants()
                : typing.participants().stream()
                        .filter(user -> !removed.containsKey(new Key(typing.conversationId(), user)))
                        .toList();
        sessions.forEachInConversation(recipients, typing.conversationType(), session -> session.sendNow(frame));
    }
}
