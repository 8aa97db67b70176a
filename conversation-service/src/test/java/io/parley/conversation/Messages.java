package io.parley.conversation;

import io.parley.events.MessageData;
import io.parley.events.MessageEvent;
import io.parley.events.ReadMoved;
import io.parley.events.Topics;
import io.parley.infra.EventPublisher;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/** Plays the message-service's part in these tests: publishes message.created and read.moved events. */
final class Messages implements AutoCloseable {

    private final EventPublisher publisher;

    Messages(String kafka) {
        publisher = new EventPublisher(kafka);
    }

    MessageData created(UUID conversation, String type, List<String> participants, long seq, String sender,
                        String senderRole) {
        MessageData message = new MessageData(UUID.randomUUID(), conversation, seq, UUID.randomUUID().toString(),
                sender, senderRole, null, "text", "message " + seq, List.of(),
                Instant.now().truncatedTo(ChronoUnit.MICROS), null, null);
        publisher.publish(Topics.MESSAGES, MessageEvent.of(MessageEvent.CREATED, type, participants, message,
                message.createdAt()));
        return message;
    }

    void read(UUID conversation, String type, List<String> participants, String reader, long seq) {
        publisher.publish(Topics.MESSAGES, ReadMoved.of(conversation, type, participants, reader, seq, Instant.now()));
    }

    @Override
    public void close() {
        publisher.close();
    }
}
