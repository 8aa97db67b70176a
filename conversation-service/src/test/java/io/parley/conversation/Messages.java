package io.parley.conversation;

import io.parley.events.ConversationKind;
import io.parley.events.MessageData;
import io.parley.events.MessageEvent;
import io.parley.events.ReadMoved;
import io.parley.events.Role;
import io.parley.events.Topics;
import io.parley.infra.EventPublisher;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Plays the message-service's part in these tests: publishes message.created, message.updated, message.deleted and
 * read.moved events.
 */
final class Messages implements AutoCloseable {

    private final EventPublisher publisher;

    Messages(String kafka) {
        publisher = new EventPublisher(kafka);
    }

    MessageData created(
            UUID conversation, String type, List<String> participants, long seq, String sender, String senderRole) {
        MessageData message = new MessageData(
                UUID.randomUUID(),
                conversation,
                seq,
                UUID.randomUUID().toString(),
                sender,
                Role.fromWire(senderRole),
                null,
                "text",
                "message " + seq,
                List.of(),
                Instant.now().truncatedTo(ChronoUnit.MICROS),
                null,
                null);
        publisher.publish(
                Topics.MESSAGES,
                MessageEvent.of(
                        MessageEvent.CREATED,
                        ConversationKind.fromWire(type),
                        participants,
                        message,
                        message.createdAt()));
        return message;
    }

    /** Publishes the message edited to {@code content}; answers the event, which a test may publish again. */
    MessageEvent updated(MessageData m, String type, List<String> participants, String content) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        MessageData edited = new MessageData(
                m.id(),
                m.conversationId(),
                m.seq(),
                m.clientMessageId(),
                m.senderId(),
                m.senderRole(),
                m.senderName(),
                m.type(),
                content,
                m.attachments(),
                m.createdAt(),
                now,
                null);
        MessageEvent event =
                MessageEvent.of(MessageEvent.UPDATED, ConversationKind.fromWire(type), participants, edited, now);
        publisher.publish(Topics.MESSAGES, event);
        return event;
    }

    /** Publishes the message deleted (content null, no attachments, deletedAt set); answers the event. */
    MessageEvent deleted(MessageData m, String type, List<String> participants) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        MessageData gone = new MessageData(
                m.id(),
                m.conversationId(),
                m.seq(),
                m.clientMessageId(),
                m.senderId(),
                m.senderRole(),
                m.senderName(),
                m.type(),
                null,
                List.of(),
                m.createdAt(),
                m.editedAt(),
                now);
        MessageEvent event =
                MessageEvent.of(MessageEvent.DELETED, ConversationKind.fromWire(type), participants, gone, now);
        publisher.publish(Topics.MESSAGES, event);
        return event;
    }

    /** Publishes an event again, as a redelivery would (same eventId). */
    void again(MessageEvent event) {
        publisher.publish(Topics.MESSAGES, event);
    }

    void read(UUID conversation, String type, List<String> participants, String reader, long seq) {
        publisher.publish(
                Topics.MESSAGES,
                ReadMoved.of(conversation, ConversationKind.fromWire(type), participants, reader, seq, Instant.now()));
    }

    @Override
    public void close() {
        publisher.close();
    }
}
