package io.parley.conversation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The conversation-service's own metrics ({@code parley_*} on the management interface's {@code /q/metrics};
 * docs/operations.md says what each means): how long the inbox takes to apply a batch of message events, and how many
 * it applies. Its outbox's lag and depth are service-kit's ({@code parley_outbox_*}), its consumers' lag Kafka's
 * client metrics.
 */
@Startup
@ApplicationScoped
public class ConversationMetrics {

    private final Timer inboxBatches;
    private final Counter inboxEvents;

    public ConversationMetrics(MeterRegistry registry) {
        inboxBatches = Timer.builder("parley.inbox.batch")
                .description("Applying one poll's batch of message events to the inbox, in one transaction, until its "
                        + "unread counts are handed to the producer")
                .serviceLevelObjectives(
                        Duration.ofMillis(5),
                        Duration.ofMillis(10),
                        Duration.ofMillis(25),
                        Duration.ofMillis(50),
                        Duration.ofMillis(100),
                        Duration.ofMillis(250),
                        Duration.ofMillis(500),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(5))
                .register(registry);
        inboxEvents = Counter.builder("parley.inbox.events")
                .description("Message events and read moves applied to the inbox")
                .register(registry);
    }

    /** A batch of {@code events} inbox events was applied in {@code nanos}. */
    public void inboxBatch(int events, long nanos) {
        inboxBatches.record(nanos, TimeUnit.NANOSECONDS);
        inboxEvents.increment(events);
    }
}
