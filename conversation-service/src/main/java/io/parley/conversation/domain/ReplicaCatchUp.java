package io.parley.conversation.domain;

import io.parley.conversation.ConversationConfig;
import io.parley.conversation.client.MessageServiceClient;
import io.parley.kit.OutboxRelay;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;

/**
 * What a change of membership waits for before it is acknowledged, so that what a caller was just told exists
 * (a conversation, a participant) is usable at once, and what was just removed is refused at once: first its event is
 * in Kafka (the outbox row is published), then the message-service's replica has applied it (a synchronous call,
 * made here and never on the path of a send). Each wait is bounded ({@code parley.message.publish-timeout},
 * {@code parley.message.sync-timeout}); when one runs out or the message-service cannot be reached, a warning is
 * logged and the answer goes out anyway: the event still reaches the replica through Kafka.
 */
@ApplicationScoped
public class ReplicaCatchUp {

    private final OutboxRelay relay;
    private final MessageServiceClient messages;
    private final Duration publishTimeout;

    /** Waits on {@code relay}, then asks {@code messages}; bounded by {@code config}'s publish-timeout. */
    public ReplicaCatchUp(OutboxRelay relay, MessageServiceClient messages, ConversationConfig config) {
        this.relay = relay;
        this.messages = messages;
        this.publishTimeout = config.message().publishTimeout();
    }

    /**
     * Waits (bounded) until the committed outbox row {@code outboxId} about {@code conversationId} is published, then
     * until the message-service has applied it.
     *
     * @param outboxId      the row to wait for; null when nothing of this request's is waiting to be published (then
     *                      only the message-service is asked)
     * @param authorization the caller's {@code Authorization} header, forwarded to the message-service; null when
     *                      there is no caller (a change made from an event): then nothing is awaited
     * @return an item once done or given up; never a failure
     */
    public Uni<Void> await(Long outboxId, UUID conversationId, String authorization) {
        if (authorization == null) {
            // no caller waits (a change made from an event): the relay publishes it without holding anyone back
            relay.wakeUp();
            return Uni.createFrom().voidItem();
        }
        Uni<Boolean> published;
        if (outboxId == null) {
            published = Uni.createFrom().item(true);
        } else {
            relay.wakeUp();
            published = relay.awaitPublished(outboxId, publishTimeout);
        }
        return published
                .chain(done -> {
                    if (!done) {
                        Log.warnf(
                                "event of conversation %s (outbox %d) not published within %s; answering anyway",
                                conversationId, outboxId, publishTimeout);
                        return Uni.createFrom().item(false);
                    }
                    return messages.syncReplica(conversationId, authorization);
                })
                .onFailure()
                .recoverWithItem(false)
                .replaceWithVoid();
    }
}
