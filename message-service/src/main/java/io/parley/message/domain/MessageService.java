package io.parley.message.domain;

import io.parley.events.EventJson;
import io.parley.events.MessageData;
import io.parley.events.MessageEvent;
import io.parley.events.ReadMoved;
import io.parley.events.Topics;
import io.parley.kit.Caller;
import io.parley.kit.Outbox;
import io.parley.kit.OutboxRelay;
import io.parley.message.store.MembershipStore;
import io.parley.message.store.MessageStore;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
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

    public MessageService(Pool pool, MessageStore messages, MembershipStore membership, Access access,
                          OutboxRelay relay) {
        this.pool = pool;
        this.messages = messages;
        this.membership = membership;
        this.access = access;
        this.relay = relay;
    }

    /** What a send stored: the message, and whether this call stored it (false: a retry of an earlier send). */
    public record Sent(MessageData message, boolean isNew) {
    }

    /** The message was not stored: the caller may not write here, or its clientMessageId names another message. */
    public static final class Refused extends RuntimeException {
        public enum Reason { NOT_FOUND, CLIENT_ID_REUSED }

        public final Reason reason;

        Refused(Reason reason) {
            super(reason.name(), null, false, false);
            this.reason = reason;
        }
    }

    public Uni<Sent> send(Caller caller, UUID conversationId, UUID clientMessageId, String type, String content,
                          List<Map<String, Object>> attachments) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        MessageData draft = new MessageData(UUID.randomUUID(), conversationId, 0, clientMessageId.toString(),
                caller.userId(), caller.role().wire(), caller.name(), type, content, attachments, now, null, null);
        // The statement fills in the seq, the conversation's type and its participants.
        byte[] template = EventJson.write(MessageEvent.of(MessageEvent.CREATED, "", List.of(), draft, now));
        return messages.insertWithEvent(pool, draft, caller.isAdmin(), Topics.MESSAGES, template)
                .map(seq -> {
                    relay.wakeUp();
                    return new Sent(draft.withSeq(seq.orElseThrow(() -> new Refused(Refused.Reason.NOT_FOUND))), true);
                })
                .onFailure(MessageService::isDuplicateSend).recoverWithUni(() ->
                        messages.findByClientId(pool, caller.userId(), clientMessageId)
                                .map(stored -> retried(stored.orElseThrow(), conversationId)));
    }

    /** A second send of the same (sender, clientMessageId), which the statement refused as a whole. */
    private static boolean isDuplicateSend(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState())
                && pg.getConstraint() != null && pg.getConstraint().contains("client_message_id");
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
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        // The statement fills in the seq, the conversation's type and its participants.
        byte[] template = EventJson.write(ReadMoved.of(conversationId, "", List.of(), caller.userId(), 0, now));
        return messages.moveReadPosition(pool, conversationId, caller.userId(), caller.isAdmin(), seq, now,
                        Topics.MESSAGES, template)
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

    /** Replaces the content of the caller's own message. */
    public Uni<MessageData> edit(Caller caller, UUID conversationId, UUID messageId, String content) {
        return change(caller, conversationId, messageId, (message, now) -> {
            if (!message.senderId().equals(caller.userId())) {
                throw new ChangeRefused(ChangeRefused.Reason.NOT_SENDER);
            }
            if (message.deletedAt() != null) {
                throw new ChangeRefused(ChangeRefused.Reason.DELETED);
            }
            return new MessageData(message.id(), message.conversationId(), message.seq(), message.clientMessageId(),
                    message.senderId(), message.senderRole(), message.senderName(), message.type(), content,
                    message.attachments(), message.createdAt(), now, null);
        }, MessageEvent.UPDATED);
    }

    /** Erases a message's content, keeping its place (and seq) in the conversation: its sender or an admin. */
    public Uni<MessageData> delete(Caller caller, UUID conversationId, UUID messageId) {
        return change(caller, conversationId, messageId, (message, now) -> {
            if (!message.senderId().equals(caller.userId()) && !caller.isAdmin()) {
                throw new ChangeRefused(ChangeRefused.Reason.NOT_SENDER);
            }
            if (message.deletedAt() != null) {
                return null; // deleted already: nothing changes, nothing is published
            }
            return new MessageData(message.id(), message.conversationId(), message.seq(), message.clientMessageId(),
                    message.senderId(), message.senderRole(), message.senderName(), message.type(), null, List.of(),
                    message.createdAt(), message.editedAt(), now);
        }, MessageEvent.DELETED);
    }

    /** A change to a stored message that its rules refuse. */
    public static final class ChangeRefused extends RuntimeException {
        public enum Reason { NOT_SENDER, DELETED }

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

    private Uni<MessageData> change(Caller caller, UUID conversationId, UUID messageId, Change change, String eventType) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return pool.withTransaction(tx -> access.mayUse(tx, caller, conversationId)
                        .chain(allowed -> {
                            if (!allowed) {
                                throw new Refused(Refused.Reason.NOT_FOUND);
                            }
                            return messages.find(tx, conversationId, messageId, true);
                        })
                        .chain(found -> {
                            MessageData message = found.orElseThrow(() -> new Refused(Refused.Reason.NOT_FOUND));
                            MessageData changed = change.apply(message, now);
                            if (changed == null) {
                                return Uni.createFrom().item(message);
                            }
                            return messages.update(tx, changed)
                                    .chain(() -> publish(tx, eventType, changed, now))
                                    .replaceWith(changed);
                        }))
                .invoke(relay::wakeUp);
    }

    /** A page of history for someone who may read the conversation. */
    public Uni<Page> history(Caller caller, UUID conversationId, Long afterSeq, Long beforeSeq, int limit) {
        return access.mayUse(caller, conversationId).chain(allowed -> {
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

    public record Page(List<MessageData> items, boolean hasMore) {
    }

    /** What a message event needs to be routed: the conversation's type and participants. */
    private record Routing(String type, List<String> participants) {
    }

    private Uni<Routing> routing(SqlClient tx, UUID conversationId) {
        return membership.kind(tx, conversationId)
                .chain(kind -> membership.members(tx, conversationId)
                        .map(members -> new Routing(kind.orElse("group"), members)));
    }

    private Uni<Void> publish(SqlClient tx, String type, MessageData message, Instant at) {
        return routing(tx, message.conversationId())
                .chain(routing -> Outbox.append(tx, Topics.MESSAGES,
                        MessageEvent.of(type, routing.type(), routing.participants(), message, at)));
    }
}
