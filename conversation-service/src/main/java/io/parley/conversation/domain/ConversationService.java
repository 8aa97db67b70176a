package io.parley.conversation.domain;

import io.parley.conversation.store.ConversationStore;
import io.parley.conversation.store.ConversationStore.Position;
import io.parley.conversation.store.ConversationStore.Scope;
import io.parley.events.ConversationCreated;
import io.parley.events.ParticipantAdded;
import io.parley.events.ParticipantRemoved;
import io.parley.events.Topics;
import io.parley.kit.Caller;
import io.parley.kit.Outbox;
import io.parley.kit.OutboxRelay;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Conversations and their participants. Every change and its event are written in one transaction; the outbox
 * relay publishes the event after the commit.
 */
@ApplicationScoped
public class ConversationService {

    /** The most participants a group may have. */
    public static final int MAX_PARTICIPANTS = 5_000;

    private final ConversationStore store;
    private final OutboxRelay relay;

    public ConversationService(ConversationStore store, OutboxRelay relay) {
        this.store = store;
        this.relay = relay;
    }

    public record Created(Conversation conversation, boolean isNew) {
    }

    /** A change the caller may not make, or that this kind of conversation does not allow. */
    public static final class Refused extends RuntimeException {
        public enum Reason { NOT_FOUND, NOT_ALLOWED, NOT_A_GROUP, TOO_MANY }

        public final Reason reason;

        Refused(Reason reason) {
            super(reason.name(), null, false, false);
            this.reason = reason;
        }
    }

    /** Creates a direct or group conversation; a direct one that exists already is returned as it is. */
    public Uni<Created> create(Caller caller, String kind, List<String> others, String title) {
        Set<String> members = new LinkedHashSet<>();
        members.add(caller.userId());
        members.addAll(others);
        Conversation conversation = Conversation.fresh(UUID.randomUUID(), kind, title, caller.userId(),
                ConversationStore.now(), List.copyOf(members));
        String directKey = Conversation.DIRECT.equals(kind) ? directKey(members) : null;
        return insert(conversation, directKey, null)
                .chain(inserted -> inserted
                        ? Uni.createFrom().item(new Created(conversation, true))
                        : store.findByDirectKey(store.pool(), directKey)
                                .map(existing -> new Created(existing.orElseThrow(), false)));
    }

    /**
     * The support conversation of a client or expert, created the first time it is needed: exactly one, however many
     * first requests race (the owner is a unique key; the losers read the winner's).
     */
    public Uni<Conversation> support(String ownerId) {
        return store.findSupport(store.pool(), ownerId).chain(found -> {
            if (found.isPresent()) {
                return Uni.createFrom().item(found.get());
            }
            Conversation conversation = Conversation.fresh(UUID.randomUUID(), Conversation.SUPPORT, null, ownerId,
                    ConversationStore.now(), List.of(ownerId));
            return insert(conversation, null, ownerId)
                    .chain(inserted -> inserted
                            ? Uni.createFrom().item(conversation)
                            : store.findSupport(store.pool(), ownerId).map(Optional::orElseThrow));
        });
    }

    private Uni<Boolean> insert(Conversation c, String directKey, String supportOwner) {
        return store.pool().withTransaction(tx -> store.insert(tx, c, directKey, supportOwner)
                        .call(inserted -> inserted
                                ? Outbox.append(tx, Topics.CONVERSATIONS, ConversationCreated.of(c.id(), c.kind(),
                                        c.title(), c.createdBy(), c.participants(), c.createdAt()))
                                : Uni.createFrom().voidItem()))
                .invoke(inserted -> {
                    if (inserted) {
                        relay.wakeUp();
                    }
                });
    }

    /** The conversation if the caller may see it: its participants, and every admin for support conversations. */
    public Uni<Optional<Conversation>> findVisible(UUID id, Caller caller) {
        return store.find(store.pool(), id, false).map(found -> found.filter(c -> visible(c, caller)));
    }

    /**
     * A page of the caller's list, the caller's read position in each of its conversations, and where the next page
     * starts (null at the end).
     */
    public record Page(List<Conversation> items, Map<UUID, Long> readSeqs, Position next) {
    }

    /** What an admin lists: their own conversations and every support conversation, or the support desk. */
    public enum AdminView { ALL, SUPPORT, UNANSWERED }

    /**
     * The caller's conversations by latest activity. A client's or expert's support conversation comes first on the
     * first page, pinned, and takes one of its places; admins see every support conversation besides their own, or
     * the support desk's filters. {@code after} is null for the first page.
     */
    public Uni<Page> list(Caller caller, AdminView view, Position after, int limit) {
        Position from = after == null ? Position.TOP : after;
        Uni<Page> page;
        if (caller.isAdmin()) {
            Scope scope = switch (view) {
                case ALL -> Scope.OWN_AND_SUPPORT;
                case SUPPORT -> Scope.SUPPORT;
                case UNANSWERED -> Scope.SUPPORT_AWAITING_REPLY;
            };
            page = store.page(caller.userId(), scope, null, from, limit + 1)
                    .map(rows -> page(List.of(), rows, limit, from));
        } else {
            page = support(caller.userId()).chain(pinned -> {
                List<Conversation> head = after == null ? List.of(pinned) : List.of();
                int room = limit - head.size();
                return store.page(caller.userId(), Scope.OWN, pinned.id(), from, room + 1)
                        .map(rows -> page(head, rows, room, from));
            });
        }
        return page.chain(p -> store.readPositions(caller.userId(), p.items().stream().map(Conversation::id).toList())
                .map(positions -> new Page(p.items(), positions, p.next())));
    }

    private static Page page(List<Conversation> head, ConversationStore.Rows rows, int room, Position from) {
        List<Conversation> found = rows.conversations();
        List<Conversation> items = new ArrayList<>(head);
        items.addAll(found.subList(0, Math.min(room, found.size())));
        if (found.size() <= room) {
            return new Page(items, Map.of(), null);
        }
        if (room == 0) {
            return new Page(items, Map.of(), from.isTop()
                    ? new Position(rows.snapshot(), rows.snapshotAt(), Long.MAX_VALUE) : from);
        }
        Conversation last = found.get(room - 1);
        return new Page(items, Map.of(), new Position(rows.snapshot(), rows.snapshotAt(), last.activity()));
    }

    /** The caller's read position in a conversation: 0 before they read anything. */
    public Uni<Long> readSeq(Caller caller, UUID conversationId) {
        return store.readPositions(caller.userId(), List.of(conversationId))
                .map(positions -> positions.getOrDefault(conversationId, 0L));
    }

    /** Adds a participant to a group: its creator or an admin. */
    public Uni<Conversation> addParticipant(Caller caller, UUID conversationId, String userId) {
        return store.pool().withTransaction(tx -> lockVisible(tx, conversationId, caller).chain(c -> {
                    requireGroup(c);
                    if (!c.createdBy().equals(caller.userId()) && !caller.isAdmin()) {
                        throw new Refused(Refused.Reason.NOT_ALLOWED);
                    }
                    if (c.participants().contains(userId)) {
                        return Uni.createFrom().item(c);
                    }
                    if (c.participants().size() >= MAX_PARTICIPANTS) {
                        throw new Refused(Refused.Reason.TOO_MANY);
                    }
                    var now = ConversationStore.now();
                    return store.addParticipant(tx, conversationId, userId, now)
                            .chain(() -> Outbox.append(tx, Topics.CONVERSATIONS,
                                    ParticipantAdded.of(conversationId, userId, caller.userId(), now)))
                            .chain(() -> store.find(tx, conversationId, false).map(Optional::orElseThrow));
                }))
                .invoke(relay::wakeUp);
    }

    /** Removes a participant from a group: its creator or an admin; anyone may remove themselves. */
    public Uni<Void> removeParticipant(Caller caller, UUID conversationId, String userId) {
        return store.pool().withTransaction(tx -> lockVisible(tx, conversationId, caller).chain(c -> {
                    requireGroup(c);
                    boolean self = userId.equals(caller.userId());
                    if (!self && !c.createdBy().equals(caller.userId()) && !caller.isAdmin()) {
                        throw new Refused(Refused.Reason.NOT_ALLOWED);
                    }
                    if (!c.participants().contains(userId)) {
                        throw new Refused(Refused.Reason.NOT_FOUND);
                    }
                    var now = ConversationStore.now();
                    return store.removeParticipant(tx, conversationId, userId)
                            .chain(() -> Outbox.append(tx, Topics.CONVERSATIONS,
                                    ParticipantRemoved.of(conversationId, userId, caller.userId(), now)));
                }))
                .invoke(relay::wakeUp);
    }

    private Uni<Conversation> lockVisible(SqlClient tx, UUID conversationId, Caller caller) {
        return store.find(tx, conversationId, true).map(found -> found.filter(c -> visible(c, caller))
                .orElseThrow(() -> new Refused(Refused.Reason.NOT_FOUND)));
    }

    private static void requireGroup(Conversation c) {
        if (!Conversation.GROUP.equals(c.kind())) {
            throw new Refused(Refused.Reason.NOT_A_GROUP);
        }
    }

    static boolean visible(Conversation c, Caller caller) {
        return c.participants().contains(caller.userId()) || (caller.isAdmin() && c.isSupport());
    }

    static String directKey(Set<String> members) {
        return members.stream().sorted().reduce((a, b) -> a + "|" + b).orElseThrow();
    }
}
