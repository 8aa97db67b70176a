package io.parley.gateway.delivery;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only once every delivery consumer has its partitions. Each instance reads the delivery topics from their end,
 * so an event published before its consumer joined would never reach this instance's connections: until then the
 * instance says it is not ready, and neither the local stack nor a load balancer sends clients to it. Clients that
 * come straight to it (one instance, restarted) get 503 with Retry-After on {@code /ws} until then: a connection
 * accepted earlier could resume and then miss what is published before the consumers join.
 */
@ApplicationScoped
@Identifier("delivery-consumers")
@jakarta.enterprise.inject.Default
@Readiness
public class ConsumersReady implements KafkaConsumerRebalanceListener, HealthCheck {

    /** The delivery channels (messages, typing, presence, unread, conversations), each in a consumer group of its own. */
    static final int CHANNELS = 5;

    private final Set<String> assignedGroups = ConcurrentHashMap.newKeySet();

    /**
     * Per partition of the delivery topics (each channel reads a topic of its own), the offset after the last record
     * handled: where this instance goes on when its consumer joins again. Bounded by the topics' partitions.
     */
    private final Map<TopicPartition, Long> next = new ConcurrentHashMap<>();

    /**
     * Hands {@code record}'s value to {@code handler} (nothing when it could not be read) and notes the record as
     * handled, even when the handler throws (a record that cannot be delivered is not delivered twice either).
     */
    public <V> void handle(ConsumerRecord<?, V> record, java.util.function.Consumer<V> handler) {
        try {
            if (record.value() != null) {
                handler.accept(record.value());
            }
        } finally {
            next.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1, Math::max);
        }
    }

    /**
     * A partition given to this instance's consumer. The first time: from the topic's end (this instance's
     * connections only need what is published from now on). After that (the group was joined again, as when the
     * broker restarted: the instance commits no offsets, so "latest" would skip whatever was published meanwhile),
     * from the record after the last one handled.
     */
    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(partition -> {
            Long after = next.get(partition);
            if (after != null) {
                consumer.seek(partition, after);
            }
        });
        if (!partitions.isEmpty()) {
            // "latest" is only a policy until the consumer has asked the broker for the end offset, which it does
            // lazily, in a later poll: an event published in between would be skipped. Resolve it now, so that
            // "ready" means every event published from here on reaches this instance.
            partitions.forEach(consumer::position);
            assignedGroups.add(consumer.groupMetadata().groupId());
        }
    }

    void refuseSocketsUntilReady(@Observes Router router) {
        router.route("/ws").order(-300).handler(context -> {
            if (ready()) {
                context.next();
            } else {
                context.response()
                        .setStatusCode(503)
                        .putHeader("Retry-After", "1")
                        .putHeader("Content-Type", "application/problem+json")
                        .end("{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
                                + "\"detail\":\"This gateway is starting; connect again in a second.\"}");
            }
        });
    }

    boolean ready() {
        return assignedGroups.size() >= CHANNELS;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("delivery consumers assigned")
                .status(ready())
                .withData("assigned", assignedGroups.size())
                .withData("channels", CHANNELS)
                .build();
    }
}
