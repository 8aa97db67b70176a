package io.parley.message.events;

import io.parley.events.Event;
import io.parley.message.domain.MembershipReplica;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Feeds the membership replica ({@link MembershipReplica}) from {@code parley.conversation-events}. */
@ApplicationScoped
public class ConversationEventsConsumer {

    private final MembershipReplica replica;

    public ConversationEventsConsumer(MembershipReplica replica) {
        this.replica = replica;
    }

    /**
     * Applies one record of {@code parley.conversation-events} and acknowledges it once committed; a failure nacks it
     * (the channel's failure strategy decides what follows).
     *
     * @param record the record: its payload is null when the connector could not read it
     * @return completion once acknowledged (or nacked)
     */
    @Incoming("conversation-events")
    @SuppressWarnings("unchecked")
    public Uni<Void> consume(Message<Event> record) {
        IncomingKafkaRecordMetadata<String, Event> where =
                record.getMetadata(IncomingKafkaRecordMetadata.class).orElse(null);
        return replica.apply(
                        record.getPayload(),
                        where == null ? null : where.getPartition(),
                        where == null ? -1 : where.getOffset())
                .onItemOrFailure()
                .transformToUni((done, failure) -> failure == null
                        ? Uni.createFrom().completionStage(record.ack())
                        : Uni.createFrom().completionStage(record.nack(failure)));
    }
}
