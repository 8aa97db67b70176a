package io.parley.message.domain;

import io.parley.events.ConversationKind;
import io.parley.events.EventJson;
import io.parley.events.MessageData;
import io.parley.events.MessageEvent;
import io.parley.events.ReadMoved;
import io.parley.events.Topics;
import io.parley.kit.Caller;
import io.parley.kit.Outbox;
import io.parley.kit.OutboxRelay;
import io.parley.message.store.AttachmentStore;
import io.parley.message.store.MembershipStore;
import io.parley.message.store.MessageStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Sending, editing, deleting and reading messages. Every change and its event are written in one transaction;
 * the outbox relay publishes the event after the commit.
 */
@ApplicationScoped
public class MessageService {

    private final Pool pool;
    private final MessageStore messages;
    private final MembershipStore membership;
    private final Access access;
    private final OutboxRelay relay;
    private final AttachmentStore uploads;
    private final ReplicaSync replica;

    public MessageService(
            Pool pool,
            MessageStore messages,
            MembershipStore membership,
            Access access,
            OutboxRelay relay,
            AttachmentStore uploads,
            ReplicaSync replica) {
        this.pool = pool;
        this.messages = messages;
        this.membership = membership;
        this.access = access;
        this.relay = relay;
        this.uploads = uploads;
        this.replica = replica;
    }

    /**
     * {@code attempt}, run once more after the membership replica caught up when the replica refused it
     * ({@link ReplicaSync#againWhenCaughtUp}): what the conversation-service acknowledged is never refused here
     * because its event was still on its way.
     */
    private <T> Uni<T> caughtUp(UUID conversationId, java.util.function.Supplier<Uni<T>> attempt) {
        return replica.againWhenCaughtUp(
                conversationId,
                failure -> failure instanceof Refused refused && refused.reason == Refused.Reason.NOT_FOUND,
                attempt);
    }

    /** What a send stored: the message, and whether this call stored it (false: a retry of an earlier send). */
    public record Sent(MessageData message, boolean isNew) {}

    /** The message was not stored: the caller may not write here, or its clientMessageId names another message. */
    public static final class Refused extends RuntimeException {
        public enum Reason {
            /** the caller may not use the conversation, or it does not exist: the two are never told apart */
            NOT_FOUND,
            /** the caller may use the conversation, but it holds no message with that id */
            MESSAGE_NOT_FOUND,
            CLIENT_ID_REUSED
        }

        public final Reason reason;

        Refused(Reason reason) {
            super(reason.name(), null, false, false);
            this.reason = reason;
        }
    }

    /**
     * An attachment of a send that is not the sender's to attach (the files contract, section 2): {@code index} is its
     * place in the send's list; NOT_YOURS (400) when it is not an upload of the sender in this conversation (or is
     * deleted), ATTACHED_ELSEWHERE (409) when another message holds it.
     */
    public static final class AttachRefused extends RuntimeException {
        public enum Reason {
            NOT_YOURS,
            ATTACHED_ELSEWHERE
        }

        public final Reason reason;
        public final int index;

        AttachRefused(Reason reason, int index) {
            super(reason.name() + " " + index, null, false, false);
            this.reason = reason;
            this.index = index;
        }
    }

    /**
     * Stores a message. With {@code attachmentIds}, in the same transaction as the message: each id must be a live
     * upload of this conversation by the sender and not attached to another message; the message carries their
     * Attachment JSON in that order and the uploads are attached to it. A retry of a stored send (same sender and
     * clientMessageId) answers the stored message ({@code isNew} false).
     *
     * @throws Refused        NOT_FOUND (may not write here), CLIENT_ID_REUSED (the id names a message elsewhere)
     * @throws AttachRefused  for the first attachment that may not be attached
     */
    public Uni<Sent> send(
            Caller caller,
            UUID conversationId,
            UUID clientMessageId,
            String type,
            String content,
            List<UUID> attachmentIds) {
        return caughtUp(conversationId, () -> {
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            if (attachmentIds.isEmpty()) {
                MessageData draft = draft(caller, conversationId, clientMessageId, type, content, List.of(), now);
                return stored(
                        messages.insertWithEvent(pool, draft, caller.isAdmin(), Topics.MESSAGES, template(draft, now))
                                .map(seq ->
                                        draft.withSeq(seq.orElseThrow(() -> new Refused(Refused.Reason.NOT_FOUND)))),
                        caller,
                        conversationId,
                        clientMessageId);
            }
            Uni<MessageData> insert = pool.withTransaction(tx -> access.mayUse(tx, caller, conversationId)
                    .chain(allowed -> {
                        if (!allowed) {
                            throw new Refused(Refused.Reason.NOT_FOUND);
                        }
                        return uploads.lock(tx, attachmentIds);
                    })
                    .chain(rows -> {
                        List<Map<String, Object>> attachments = attachable(caller, conversationId, attachmentIds, rows);
                        MessageData draft =
                                draft(caller, conversationId, clientMessageId, type, content, attachments, now);
                        return messages.insertWithEvent(
                                        tx, draft, caller.isAdmin(), Topics.MESSAGES, template(draft, now))
                                .chain(seq -> {
                                    MessageData message =
                                            draft.withSeq(seq.orElseThrow(() -> new Refused(Refused.Reason.NOT_FOUND)));
                                    return uploads.attach(tx, attachmentIds, message.id())
                                            .replaceWith(message);
                                });
                    }));
            return stored(insert, caller, conversationId, clientMessageId);
        });
    }

    private static MessageData draft(
            Caller caller,
            UUID conversationId,
            UUID clientMessageId,
            String type,
            String content,
            List<Map<String, Object>> attachments,
            Instant now) {
        return new MessageData(
                UUID.randomUUID(),
                conversationId,
                0,
                clientMessageId.toString(),
                caller.userId(),
                caller.role(),
                caller.name(),
                type,
                content,
                attachments,
                now,
                null,
                null);
    }

    /** The message event with the seq, the conversation's type and its participants left for the statement to fill. */
    private static byte[] template(MessageData draft, Instant now) {
        return EventJson.write(MessageEvent.of(MessageEvent.CREATED, null, List.of(), draft, now));
    }

    /** The Attachment JSON of each id, in order, once each is checked against the locked upload rows. */
    private static List<Map<String, Object>> attachable(
            Caller caller, UUID conversationId, List<UUID> ids, List<Attachment> rows) {
        Map<UUID, Attachment> byId = new HashMap<>();
        rows.forEach(row -> byId.put(row.id(), row));
        List<Map<String, Object>> attachments = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            Attachment row = byId.get(ids.get(i));
            if (row == null
                    || row.deletedAt() != null
                    || !row.conversationId().equals(conversationId)
                    || !row.uploader().equals(caller.userId())) {
                throw new AttachRefused(AttachRefused.Reason.NOT_YOURS, i);
            }
            if (row.messageId() != null) {
                throw new AttachRefused(AttachRefused.Reason.ATTACHED_ELSEWHERE, i);
            }
            attachments.add(AttachmentJson.of(row));
        }
        return attachments;
    }

    /**
     * The send's answer: the new message, or, when the statement was refused as a retry (the unique (sender,
     * clientMessageId)) or its uploads are attached already (by the first of two identical sends), the stored one.
     */
    private Uni<Sent> stored(Uni<MessageData> insert, Caller caller, UUID conversationId, UUID clientMessageId) {
        return insert.map(message -> {
                    relay.wakeUp();
                    return new Sent(message, true);
                })
                .onFailure(MessageService::isDuplicateSend)
                .recoverWithUni(() -> messages.findByClientId(pool, caller.userId(), clientMessageId)
                        .map(stored -> retried(stored.orElseThrow(), conversationId)))
                .onFailure(AttachRefused.class)
                .recoverWithUni(refused -> messages.findByClientId(pool, caller.userId(), clientMessageId)
                        .map(stored -> {
                            if (stored.isEmpty()) {
                                throw (AttachRefused) refused;
                            }
                            return retried(stored.get(), conversationId);
                        }));
    }

    /** A second send of the same (sender, clientMessageId), which the statement refused as a whole. */
    private static boolean isDuplicateSend(Throwable failure) {
        return failure instanceof PgException pg
                && "23505".equals(pg.getSqlState())
                && pg.getConstraint() != null
                && pg.getConstraint().contains("client_message_id");
    }

    private static Sent retried(MessageData stored, UUID conversationId) {
        if (!stored.conversationId().equals(conversationId)) {
            throw new Refused(Refused.Reason.CLIENT_ID_REUSED);
        }
        return new Sent(stored, false);
    }

    /**
     * Moves the caller's read position forward to {@code seq} (a seq beyond the conversation's last one reads up to
     * the last one); a position never moves back. The other participants learn of it from the read.moved event,
     * published only when the position moved.
     */
    public Uni<Void> markRead(Caller caller, UUID conversationId, long seq) {
        return caughtUp(conversationId, () -> markReadOnce(caller, conversationId, seq));
    }

    private Uni<Void> markReadOnce(Caller caller, UUID conversationId, long seq) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        // The statement fills in the seq, the conversation's type and its participants.
        byte[] template = EventJson.write(ReadMoved.of(conversationId, null, List.of(), caller.userId(), 0, now));
        return messages.moveReadPosition(
                        pool, conversationId, caller.userId(), caller.isAdmin(), seq, now, Topics.MESSAGES, template)
                .map(moved -> {
                    if (moved.isEmpty()) {
                        throw new Refused(Refused.Reason.NOT_FOUND);
                    }
                    if (moved.get()) {
                        relay.wakeUp();
                    }
                    return null;
                });
    }

    /**
     * The read positions of the conversation (who has read up to where), for someone who may read it: what a client
     * needs to show "seen" after a reload, before any {@code read.moved} reaches it.
     *
     * @return user id to seq
     * @throws Refused NOT_FOUND for anyone else
     */
    public Uni<Map<String, Long>> readPositions(Caller caller, UUID conversationId) {
        return access.mayUseCaughtUp(caller, conversationId).chain(allowed -> {
            if (!allowed) {
                throw new Refused(Refused.Reason.NOT_FOUND);
            }
            return messages.readPositions(pool, conversationId);
        });
    }

    /** Replaces the content of the caller's own message. */
    public Uni<MessageData> edit(Caller caller, UUID conversationId, UUID messageId, String content) {
        return change(
                caller,
                conversationId,
                messageId,
                (message, now) -> {
                    if (!message.senderId().equals(caller.userId())) {
                        throw new ChangeRefused(ChangeRefused.Reason.NOT_SENDER);
                    }
                    if (message.deletedAt() != null) {
                        throw new ChangeRefused(ChangeRefused.Reason.DELETED);
                    }
                    return new MessageData(
                            message.id(),
                            message.conversationId(),
                            message.seq(),
                            message.clientMessageId(),
                            message.senderId(),
                            message.senderRole(),
                            message.senderName(),
                            message.type(),
                            content,
                            message.attachments(),
                            message.createdAt(),
                            now,
                            null);
                },
                MessageEvent.UPDATED);
    }

    /**
     * Erases a message's content and attachments, keeping its place (and seq) in the conversation: its sender or an
     * admin. Its uploads are marked deleted in the same transaction (served no more at once; the sweeper deletes the
     * bytes).
     */
    public Uni<MessageData> delete(Caller caller, UUID conversationId, UUID messageId) {
        return change(
                caller,
                conversationId,
                messageId,
                (message, now) -> {
                    if (!message.senderId().equals(caller.userId()) && !caller.isAdmin()) {
                        throw new ChangeRefused(ChangeRefused.Reason.NOT_SENDER);
                    }
                    if (message.deletedAt() != null) {
                        return null; // deleted already: nothing changes, nothing is published
                    }
                    return new MessageData(
                            message.id(),
                            message.conversationId(),
                            message.seq(),
                            message.clientMessageId(),
                            message.senderId(),
                            message.senderRole(),
                            message.senderName(),
                            message.type(),
                            null,
                            List.of(),
                            message.createdAt(),
                            message.editedAt(),
                            now);
                },
                MessageEvent.DELETED);
    }

    /** A change to a stored message that its rules refuse. */
    public static final class ChangeRefused extends RuntimeException {
        public enum Reason {
            NOT_SENDER,
            DELETED
        }

        public final Reason reason;

        ChangeRefused(Reason reason) {
            super(reason.name(), null, false, false);
            this.reason = reason;
        }
    }

    private interface Change {
        /** The message after the change, or null when nothing changes. */
        MessageData apply(MessageData message, Instant now);
    }

    private Uni<MessageData> change(
            Caller caller, UUID conversationId, UUID messageId, Change change, String eventType) {
        return caughtUp(conversationId, () -> changeOnce(caller, conversationId, messageId, change, eventType));
    }

    private Uni<MessageData> changeOnce(
            Caller caller, UUID conversationId, UUID messageId, Change change, String eventType) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return pool.withTransaction(tx -> access.mayUse(tx, caller, conversationId)
                        .chain(allowed -> {
                            if (!allowed) {
                                throw new Refused(Refused.Reason.NOT_FOUND);
                            }
                            return messages.find(tx, conversationId, messageId, true);
                        })
                        .chain(found -> {
                            MessageData message =
                                    found.orElseThrow(() -> new Refused(Refused.Reason.MESSAGE_NOT_FOUND));
                            MessageData changed = change.apply(message, now);
                            if (changed == null) {
                                return Uni.createFrom().item(message);
                            }
                            Uni<Void> uploadsGone = MessageEvent.DELETED.equals(eventType)
                                    ? uploads.deleteOfMessage(tx, messageId, now)
                                    : Uni.createFrom().voidItem();
                            return messages.update(tx, changed)
                                    .chain(() -> uploadsGone)
                                    .chain(() -> publish(tx, eventType, changed, now))
                                    .replaceWith(changed);
                        }))
                .invoke(relay::wakeUp);
    }

    /** A page of history for someone who may read the conversation. */
    public Uni<Page> history(Caller caller, UUID conversationId, Long afterSeq, Long beforeSeq, int limit) {
        return access.mayUseCaughtUp(caller, conversationId).chain(allowed -> {
            if (!allowed) {
                throw new Refused(Refused.Reason.NOT_FOUND);
            }
            Uni<List<MessageData>> page = afterSeq != null
                    ? messages.after(pool, conversationId, afterSeq, limit + 1)
                    : messages.before(pool, conversationId, beforeSeq != null ? beforeSeq : Long.MAX_VALUE, limit + 1);
            return page.map(items -> {
                if (items.size() <= limit) {
                    return new Page(items, false);
                }
                // One more than asked for exists beyond the page: on the far side of the direction of reading.
                return afterSeq != null
                        ? new Page(items.subList(0, limit), true)
                        : new Page(items.subList(1, items.size()), true);
            });
        });
    }

    public record Page(List<MessageData> items, boolean hasMore) {}

    /** What a message event needs to be routed: the conversation's type and participants. */
    private record Routing(ConversationKind type, List<String> participants) {}

    private Uni<Routing> routing(SqlClient tx, UUID conversationId) {
        return membership
                .kind(tx, conversationId)
                .chain(kind -> membership
                        .members(tx, conversationId)
                        .map(members -> new Routing(kind.orElse(ConversationKind.GROUP), members)));
    }

    private Uni<Void> publish(SqlClient tx, String type, MessageData message, Instant at) {
        return routing(tx, message.conversationId())
                .chain(routing -> Outbox.append(
                        tx,
                        Topics.MESSAGES,
                        MessageEvent.of(type, routing.type(), routing.participants(), message, at)));
    }
}
