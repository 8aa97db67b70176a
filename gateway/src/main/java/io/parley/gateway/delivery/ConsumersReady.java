package io.parley.gateway.delivery;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
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
@Readiness
public class ConsumersReady implements KafkaConsumerRebalanceListener, HealthCheck {

    /** The delivery channels (messages, typing, presence, unread, conversations), each in a consumer group of its own. */
    static final int CHANNELS = 5;

    private final Set<String> assignedGroups = ConcurrentHashMap.newKeySet();

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
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
