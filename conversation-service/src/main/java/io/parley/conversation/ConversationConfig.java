package io.parley.conversation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;

/**
 * The conversation-service's own settings ({@code parley.message.*}, {@code parley.inbox.*}; as environment variables
 * {@code PARLEY_MESSAGE_URL}, {@code PARLEY_MESSAGE_PUBLISH_TIMEOUT}, {@code PARLEY_MESSAGE_SYNC_TIMEOUT},
 * {@code PARLEY_INBOX_MOVES_KEPT}, {@code PARLEY_PROCESSED_EVENTS_RETENTION}). Each default is declared here and nowhere else; application.properties only says
 * what each setting is for (and sets the test profile's). {@code parley.outbox.*} belongs to service-kit's relay.
 */
@ConfigMapping(prefix = "parley")
public interface ConversationConfig {

    /** How this service reaches the message-service after a change of membership. */
    Message message();

    /** The inbox read model. */
    Inbox inbox();

    /** The ids of consumed events, kept to drop redeliveries. */
    ProcessedEvents processedEvents();

    /** {@code parley.message.*}. */
    interface Message {

        /** The message-service's base URL (scheme, host and port). */
        @WithDefault("http://127.0.0.1:8082")
        URI url();

        /** How long an answer waits for the change's event to be acknowledged by Kafka. */
        @WithDefault("3s")
        Duration publishTimeout();

        /** How long an answer then waits for the message-service to say that its replica has applied it. */
        @WithDefault("3s")
        Duration syncTimeout();
    }

    /** {@code parley.inbox.*}. */
    interface Inbox {

        /**
         * How long moves in the conversation list are kept: a reader paging through the list within this time sees
         * each conversation exactly once, however many messages arrive meanwhile.
         */
        @WithDefault("1h")
        Duration movesKept();
    }

    /** {@code parley.processed-events.*}. */
    interface ProcessedEvents {

        /**
         * How long a consumed event's id is remembered, so that a redelivery of it is dropped; far beyond any window
         * in which Kafka can deliver it again (docs/architecture.md, "Event contract").
         */
        @WithDefault("7d")
        Duration retention();

        /**
         * How often ids older than the retention are deleted (ten minutes by default; a soak test shortens it with the
         * retention, docs/benchmarks.md).
         */
        @WithDefault("10m")
        Duration pruneInterval();
    }
}
