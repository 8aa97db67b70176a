package io.parley.conversation.client;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;

/**
 * How this service reaches the message-service after a change of membership ({@code parley.message.*}; environment:
 * {@code PARLEY_MESSAGE_URL}, {@code PARLEY_MESSAGE_PUBLISH_TIMEOUT}, {@code PARLEY_MESSAGE_SYNC_TIMEOUT}).
 */
@ConfigMapping(prefix = "parley.message")
public interface MessageServiceConfig {

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
