package io.parley.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.events.PresenceChanged;
import io.parley.events.Role;
import io.parley.events.Topics;
import io.parley.gateway.presence.PresenceRegistry;
import io.parley.infra.EventTap;
import io.parley.infra.InfraTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** A user connected only to an instance that died goes offline once the instance stops beating. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class DeadInstanceTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Inject
    Pool pool;

    @Inject
    PresenceRegistry presence;

    @Test
    void theConnectionsOfASilentInstanceAreRemovedAndTheirUsersGoOffline() {
        String instance = "crashed-" + UUID.randomUUID();
        String user = "user-" + UUID.randomUUID();
        try (EventTap tap = EventTap.open(kafka, Topics.PRESENCE)) {
            // What a crashed instance leaves behind: its last heartbeat, and a connection it never closed.
            pool.preparedQuery("INSERT INTO gateway_instance (id, heartbeat_at) VALUES ($1, now())")
                    .executeAndAwait(Tuple.of(instance));
            pool.preparedQuery("INSERT INTO presence_connection (connection_id, user_id, instance_id, role) "
                            + "VALUES ($1, $2, $3, 'expert')")
                    .executeAndAwait(Tuple.of(UUID.randomUUID().toString(), user, instance));
            assertThat(presence.connections(user).await().indefinitely()).isEqualTo(1);

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(presence.connections(user).await().indefinitely()).isZero();
                // offline, with the role of the connection's token, as every other change (a change without one
                // stopped the conversation-service's presence channel)
                assertThat(tap.events(PresenceChanged.class, e -> e.userId().equals(user)))
                        .singleElement()
                        .satisfies(e -> assertThat(e.online()).isFalse())
                        .satisfies(e -> assertThat(e.role()).isEqualTo(Role.EXPERT));
            });
            // This live instance keeps beating and is never taken for dead.
            assertThat(pool.preparedQuery("SELECT count(*) FROM gateway_instance WHERE id = $1")
                            .executeAndAwait(Tuple.of(presence.instanceId()))
                            .iterator()
                            .next()
                            .getLong(0))
                    .isEqualTo(1);
        }
    }

    @Test
    void aGatewayStartedAgainUnderTheSameIdForgetsTheConnectionsItsPredecessorLeft() {
        String user = "user-" + UUID.randomUUID();
        try (EventTap tap = EventTap.open(kafka, Topics.PRESENCE)) {
            // What a crashed instance whose id is fixed (a pod's name) leaves behind for its successor: a connection
            // under the successor's own id, which beats and is never swept as dead.
            pool.preparedQuery("INSERT INTO presence_connection (connection_id, user_id, instance_id, role) "
                            + "VALUES ($1, $2, $3, 'client')")
                    .executeAndAwait(Tuple.of(UUID.randomUUID().toString(), user, presence.instanceId()));
            assertThat(presence.connections(user).await().indefinitely()).isEqualTo(1);

            presence.forgetPredecessor().await().atMost(Duration.ofSeconds(10));

            assertThat(presence.connections(user).await().indefinitely()).isZero();
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(tap.events(
                                    PresenceChanged.class, e -> e.userId().equals(user)))
                            .singleElement()
                            .satisfies(e -> assertThat(e.online()).isFalse())
                            .satisfies(e -> assertThat(e.role()).isEqualTo(Role.CLIENT)));
        }
    }
}
