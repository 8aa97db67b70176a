package io.parley.conversation.domain;

import io.parley.conversation.store.ConversationStore;
import io.parley.kit.Role;
import io.parley.events.ConversationCreated;
import io.parley.events.Event;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import org.eclipse.microprofile.reactive.messaging.Channel;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Creating and reading conversations. */
@ApplicationScoped
public class ConversationService {

    /** The most participants a group may start with. */
    public static final int MAX_PARTICIPANTS = 5_000;

    private final ConversationStore store;
    private final MutinyEmitter<Record<String, Event>> events;

    public ConversationService(ConversationStore store,
                               @Channel("conversation-events") MutinyEmitter<Record<String, Event>> events) {
        this.store = store;
        this.events = events;
    }

    public record Created(Conversation conversation, boolean isNew) {
    }

    /** Creates a direct or group conversation; a direct one that exists already is returned as it is. */
    public Uni<Created> create(String callerId, String kind, List<String> others, String title) {
        Set<String> members = new LinkedHashSet<>();
        members.add(callerId);
        members.addAll(others);
        Conversation conversation = new Conversation(UUID.randomUUID(), kind, title, callerId, ConversationStore.now(),
                List.copyOf(members));
        String directKey = Conversation.DIRECT.equals(kind) ? directKey(members) : null;
        return store.pool().withTransaction(tx -> store.insert(tx, conversation, directKey, null))
                .onItem().transformToUni(inserted -> {
                    if (inserted) {
                        return publish(conversation).replaceWith(new Created(conversation, true));
                    }
                    return store.findByDirectKey(store.pool(), directKey)
                            .map(existing -> new Created(existing.orElseThrow(), false));
                });
    }

    /** The conversation if {@code callerId} may see it. */
    public Uni<Optional<Conversation>> findVisible(UUID id, String callerId, Role role) {
        return store.find(store.pool(), id).map(found -> found.filter(c -> c.participants().contains(callerId)
                || (role == Role.ADMIN && Conversation.SUPPORT.equals(c.kind()))));
    }

    private Uni<Void> publish(Conversation c) {
        ConversationCreated event = ConversationCreated.of(c.id(), c.kind(), c.title(), c.createdBy(),
                c.participants(), c.createdAt());
        Log.debugf("conversation %s created by %s", c.id(), c.createdBy());
        return events.send(Record.of(event.key(), event));
    }

    static String directKey(Set<String> members) {
        return members.stream().sorted().reduce((a, b) -> a + "|" + b).orElseThrow();
    }
}
