package io.parley.message.domain;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How long the ids of consumed events are kept ({@code parley.processed-events.*}; env var
 * {@code PARLEY_PROCESSED_EVENTS_RETENTION}), with its default: the one place it is defined. The same setting, with the
 * same default, as in the conversation- and notification-service.
 */
@ConfigMapping(prefix = "parley.processed-events")
public interface ProcessedEventsConfig {

    /**
     * How long a consumed event's id is remembered, so that a redelivery of it is dropped; far beyond any window in
     * which Kafka can deliver it again (docs/architecture.md, "Event contract").
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
