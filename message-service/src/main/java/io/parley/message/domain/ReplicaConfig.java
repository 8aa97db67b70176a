package io.parley.message.domain;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The settings of the membership replica ({@code parley.replica.*}), with their defaults: the one place they are
 * defined. Documented in application.properties; env vars are {@code PARLEY_REPLICA_*}. (Files have theirs in
 * {@link FilesConfig}; the outbox's, {@code parley.outbox.*}, are the service-kit's.)
 */
@ConfigMapping(prefix = "parley.replica")
public interface ReplicaConfig {

    /** How long {@code POST /internal/replica/sync} waits for the replica to catch up before it answers 503. */
    @WithDefault("3s")
    Duration syncTimeout();
}
