package io.parley.conversation.domain;

import io.parley.conversation.store.ConversationStore;
import io.parley.conversation.store.ConversationStore.DirectPair;
import io.parley.conversation.store.ConversationStore.Position;
import io.parley.conversation.store.ConversationStore.Scope;
import io.parley.conversation.store.ConversationStore.WaitPosition;
import io.parley.events.ConversationCreated;
import io.parley.events.ConversationKind;
import io.parley.events.ParticipantAdded;
import io.parley.events.ParticipantRemoved;
import io.parley.events.Topics;
import io.parley.events.UnreadChanged;
import io.parley.kit.Caller;
import io.parley.kit.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Conversations and their participants. Every change and its event are written in one transaction; the outbox
 * relay publishes the event after the commit, and a change of membership is answered once the message-service has
 * applied it ({@link ReplicaCatchUp}).
 */
@ApplicationScoped
public class ConversationService {

    /**
     * How long after its creation a conversation that this request did not create is still checked with the
     * message-service before it is answered (see {@link #catchUpIfRecent}); its event is published within milliseconds.
     */
    private static final Duration RECENT = Duration.ofSeconds(30);

    /** The most participants a group may have. */
    public static final int MAX_PARTICIPANTS = 5_000;

    private final Pool pool;
    private final ConversationStore store;
    private final ReplicaCatchUp catchUp;
    private final Acquaintance acquaintance;

    /** Conversations in {@code store}, changed in transactions of {@code pool}; changes wait for {@code catchUp}. */
    public ConversationService(Pool pool, ConversationStore store, ReplicaCatchUp catchUp, Acquaintance acquaintance) {
        this.pool = pool;
        this.store = store;
        this.catchUp = catchUp;
        this.acquaintance = acquaintance;
    }

    /** A conversation asked for, and whether this request created it. */
    public record Created(Conversation conversation, boolean isNew) {}

    /** A change the caller may not make, or that this kind of conversation does not allow. */
    public static final class Refused extends RuntimeException {
        public enum Reason {
            NOT_FOUND,
            NOT_ALLOWED,
            NOT_A_GROUP,
            TOO_MANY
        }

        public final Reason reason;

        Refused(Reason reason) {
            super(reason.name(), null, false, false);
            this.reason = reason;
        }
    }

    /**
     * Creates a direct or group conversation; a direct one that exists already is returned as it is. A new one is
     * answered once its event is published and the message-service has applied it (see {@link ReplicaCatchUp}), so
     * that a send right after the answer is accepted.
     *
     * @param authorization the caller's Authorization header, forwarded to the message-service
     */
    public Uni<Created> create(
            Caller caller, String authorization, ConversationKind kind, List<String> others, String title) {
        Set<String> members = new LinkedHashSet<>();
        members.add(caller.userId());
        members.addAll(others);
        Conversation conversation = Conversation.fresh(
                UUID.randomUUID(), kind, title, caller.userId(), ConversationStore.now(), List.copyOf(members));
        DirectPair pair = kind == ConversationKind.DIRECT ? directPair(caller.userId(), members) : null;
        return insert(conversation, pair, null)
                .chain(outboxId -> outboxId != null
                        ? catchUp.await(outboxId, conversation.id(), authorization)
                                .call(() -> acquaintance.introduce(conversation, conversation.participants()))
                                // read back: the answer names the participants known already, as every view does
                                .chain(() -> store.find(pool, conversation.id(), false))
                                .map(found -> new Created(found.orElse(conversation), true))
                        : store.findDirect(pool, pair)
                                .map(existing -> new Created(existing.orElseThrow(), false))
                                .call(existing -> catchUpIfRecent(existing.conversation(), authorization)));
    }

    /**
     * The support conversation of a client or expert, created the first time it is needed: exactly one, however many
     * first requests race (the owner is a unique key; the losers read the winner's). One that this call creates is
     * answered once the message-service has it (see {@link ReplicaCatchUp}).
     *
     * @param authorization the caller's Authorization header, forwarded to the message-service; null when the owner
     *                      is not the caller (a connection seen through a presence event)
     */
    public Uni<Conversation> support(String ownerId, String authorization) {
        return store.findSupport(pool, ownerId).chain(found -> {
            if (found.isPresent()) {
                return catchUpIfRecent(found.get(), authorization).replaceWith(found.get());
            }
            Conversation conversation = Conversation.fresh(
                    UUID.randomUUID(),
                    ConversationKind.SUPPORT,
                    null,
                    ownerId,
                    ConversationStore.now(),
                    List.of(ownerId));
            return insert(conversation, null, ownerId)
                    .chain(outboxId -> outboxId != null
                            ? catchUp.await(outboxId, conversation.id(), authorization)
                                    .replaceWith(conversation)
                            : store.findSupport(pool, ownerId)
                                    .map(Optional::orElseThrow)
                                    .call(winner -> catchUpIfRecent(winner, authorization)));
        });
    }

    /**
     * A conversation that another request or event created a moment ago (a first request that raced this one, the
     * other user's request for the same direct conversation, a connection that made the support conversation) may not
     * be known to the message-service yet: before answering it to a caller, wait until everything committed so far is
     * published and the message-service has applied it. Older conversations are answered at once.
     */
    private Uni<Void> catchUpIfRecent(Conversation c, String authorization) {
        if (authorization == null || c.createdAt().isBefore(Instant.now().minus(RECENT))) {
            return Uni.createFrom().voidItem();
        }
        return store.lastOutboxId().chain(last -> catchUp.await(last, c.id(), authorization));
    }

    /** Inserts the conversation and its event; answers the event's outbox id, or null when its key was taken. */
    private Uni<Long> insert(Conversation c, DirectPair pair, String supportOwner) {
        return pool.withTransaction(tx -> store.insert(tx, c, pair, supportOwner)
                .chain(inserted -> inserted
                        ? Outbox.appendReturningId(
                                tx,
                                Topics.CONVERSATIONS,
                                ConversationCreated.of(
                                        c.id(), c.kind(), c.title(), c.createdBy(), c.participants(), c.createdAt()))
                        : Uni.createFrom().nullItem()));
    }

    /** The conversation if the caller may see it: its participants, and every admin for support conversations. */
    public Uni<Optional<Conversation>> findVisible(UUID id, Caller caller) {
        return store.find(pool, id, false).map(found -> found.filter(c -> Membership.mayAccess(caller, c)));
    }

    /**
     * A page of the caller's list, the caller's read position in each of its conversations, those of them the caller
     * muted, and where the next page starts (null at the end): {@code next} for the lists ordered by activity,
     * {@code nextWaiting} for the support desk's unanswered filter (oldest wait first).
     */
    public record Page(
            List<Conversation> items,
            Map<UUID, Long> readSeqs,
            Set<UUID> muted,
            Position next,
            WaitPosition nextWaiting) {}

    /** What an admin lists: their own conversations and every support conversation, or the support desk. */
    public enum AdminView {
        ALL,
        SUPPORT,
        UNANSWERED
    }

    /**
     * The caller's conversations by latest activity. A client's or expert's support conversation comes first on the
     * first page, pinned, and takes one of its places; admins see every support conversation besides their own
     * ({@link Membership}), or the support desk's filters: {@code SUPPORT} by latest activity, {@code UNANSWERED} the
     * oldest wait first. {@code after} is where a page by activity starts and {@code afterWaiting} where a page of the
     * unanswered filter starts (null: the first page); {@code authorization} is the caller's header, forwarded to the
     * message-service if the support conversation is created here.
     *
     * @return the page, the caller's read positions and mutes among its items, and where the next page starts
     */
    public Uni<Page> list(
            Caller caller, String authorization, AdminView view, Position after, WaitPosition afterWaiting, int limit) {
        Position from = after == null ? Position.TOP : after;
        Uni<Page> page;
        if (caller.isAdmin() && view == AdminView.UNANSWERED) {
            page = store.pageWaiting(afterWaiting, limit + 1)
                    .map(rows -> ListPages.byWait(rows, limit))
                    .map(cut -> new Page(cut.items(), Map.of(), Set.of(), null, cut.next()));
        } else if (Membership.seesEverySupportConversation(caller.role())) {
            Scope scope = view == AdminView.SUPPORT ? Scope.SUPPORT : Scope.OWN_AND_SUPPORT;
            page = store.page(caller.userId(), scope, null, from, limit + 1)
                    .map(rows -> byActivity(List.of(), rows, limit, from));
        } else {
            page = support(caller.userId(), authorization).chain(pinned -> {
                List<Conversation> head = after == null ? List.of(pinned) : List.of();
                int room = limit - head.size();
                return store.page(caller.userId(), Scope.OWN, pinned.id(), from, room + 1)
                        .map(rows -> byActivity(head, rows, room, from));
            });
        }
        return page.chain(p -> {
            List<UUID> ids = p.items().stream().map(Conversation::id).toList();
            return store.readPositions(caller.userId(), ids)
                    .chain(positions -> store.mutedAmong(caller.userId(), ids)
                            .map(muted -> new Page(p.items(), positions, muted, p.next(), p.nextWaiting())));
        });
    }

    private static Page byActivity(List<Conversation> head, ConversationStore.Rows rows, int room, Position from) {
        ListPages.Cut<Position> cut = ListPages.byActivity(head, rows, room, from);
        return new Page(cut.items(), Map.of(), Set.of(), cut.next(), null);
    }

    /** The caller's own view of one conversation: how far they read (0 before anything) and whether they muted it. */
    public record Own(long readSeq, boolean muted) {}

    /**
     * The caller's read position in {@code conversationId} and whether they muted it now.
     *
     * @return the caller's own part of the conversation's view
     */
    public Uni<Own> own(Caller caller, UUID conversationId) {
        return readSeq(caller, conversationId)
                .chain(readSeq -> store.mutedAmong(caller.userId(), List.of(conversationId))
                        .map(muted -> new Own(readSeq, muted.contains(conversationId))));
    }

    /** The caller's read position in a conversation: 0 before they read anything. */
    private Uni<Long> readSeq(Caller caller, UUID conversationId) {
        return store.readPositions(caller.userId(), List.of(conversationId))
                .map(positions -> positions.getOrDefault(conversationId, 0L));
    }

    /**
     * Adds a participant to a group: its creator or an admin. Answered once the message-service has applied the
     * addition (see {@link ReplicaCatchUp}), so that the new participant may send at once; adding a participant again
     * changes nothing and publishes nothing.
     *
     * @param authorization the caller's Authorization header, forwarded to the message-service
     * @return the conversation with its participants after the change
     */
    public Uni<Conversation> addParticipant(Caller caller, String authorization, UUID conversationId, String userId) {
        record Added(Conversation conversation, Long outboxId) {}
        return pool.withTransaction(tx -> lockVisible(tx, conversationId, caller)
                        .chain(c -> {
                            requireGroup(c);
                            if (!c.createdBy().equals(caller.userId()) && !caller.isAdmin()) {
                                throw new Refused(Refused.Reason.NOT_ALLOWED);
                            }
                            if (c.participants().contains(userId)) {
                                return Uni.createFrom().item(new Added(c, null));
                            }
                            if (c.participants().size() >= MAX_PARTICIPANTS) {
                                throw new Refused(Refused.Reason.TOO_MANY);
                            }
                            var now = ConversationStore.now();
                            return store.addParticipant(tx, conversationId, userId, now)
                                    .chain(() -> store.find(tx, conversationId, false)
                                            .map(Optional::orElseThrow))
                                    .chain(found -> Outbox.appendReturningId(
                                                    tx,
                                                    Topics.CONVERSATIONS,
                                                    ParticipantAdded.of(
                                                            conversationId,
                                                            userId,
                                                            caller.userId(),
                                                            found.participants(),
                                                            now))
                                            .map(outboxId -> new Added(found, outboxId)));
                        }))
                .chain(added -> added.outboxId() == null
                        ? Uni.createFrom().item(added.conversation())
                        : catchUp.await(added.outboxId(), conversationId, authorization)
                                .call(() -> acquaintance.introduce(added.conversation(), List.of(userId)))
                                .replaceWith(added.conversation()));
    }

    /**
     * Removes a participant from a group: its creator or an admin; anyone may remove themselves. In the same
     * transaction, what the removed user had there leaves their totals: their read position there is forgotten and an
     * {@code unread.changed} for the conversation (count 0, their new total) goes out through the outbox, so their
     * badge follows on every device. Answered once both events are published and the message-service has applied the
     * removal (see {@link ReplicaCatchUp}), so that the removed user is refused everywhere from the answer on.
     *
     * @param authorization the caller's Authorization header, forwarded to the message-service
     */
    public Uni<Void> removeParticipant(Caller caller, String authorization, UUID conversationId, String userId) {
        return pool.withTransaction(tx -> lockVisible(tx, conversationId, caller)
                        .chain(c -> {
                            requireGroup(c);
                            boolean self = userId.equals(caller.userId());
                            if (!self && !c.createdBy().equals(caller.userId()) && !caller.isAdmin()) {
                                throw new Refused(Refused.Reason.NOT_ALLOWED);
                            }
                            if (!c.participants().contains(userId)) {
                                throw new Refused(Refused.Reason.NOT_FOUND);
                            }
                            var now = ConversationStore.now();
                            List<String> after = c.participants().stream()
                                    .filter(p -> !p.equals(userId))
                                    .toList();
                            return store.removeParticipant(tx, conversationId, userId)
                                    .chain(() -> Outbox.appendReturningId(
                                            tx,
                                            Topics.CONVERSATIONS,
                                            ParticipantRemoved.of(conversationId, userId, caller.userId(), after, now)))
                                    .chain(() -> store.unreadTotal(tx, userId))
                                    .chain(total -> Outbox.appendReturningId(
                                            tx,
                                            Topics.INBOX,
                                            UnreadChanged.of(
                                                    conversationId,
                                                    List.of(new UnreadChanged.Count(userId, 0, total)),
                                                    now)));
                        }))
                .chain(lastOutboxId -> catchUp.await(lastOutboxId, conversationId, authorization));
    }

    private Uni<Conversation> lockVisible(SqlClient tx, UUID conversationId, Caller caller) {
        return store.find(tx, conversationId, true)
                .map(found -> found.filter(c -> Membership.mayAccess(caller, c))
                        .orElseThrow(() -> new Refused(Refused.Reason.NOT_FOUND)));
    }

    private static void requireGroup(Conversation c) {
        if (c.kind() != ConversationKind.GROUP) {
            throw new Refused(Refused.Reason.NOT_A_GROUP);
        }
    }

    /** The pair of a direct conversation: the caller and the one other member. */
    private static DirectPair directPair(String caller, Set<String> members) {
        String other =
                members.stream().filter(m -> !m.equals(caller)).findFirst().orElseThrow();
        return new DirectPair(caller, other);
    }
}
