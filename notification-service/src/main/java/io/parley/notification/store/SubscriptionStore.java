package io.parley.notification.store;

import io.parley.notification.domain.PushSubscription;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Users' devices that receive alerts ({@code push_subscription}). Every method is one statement on the caller's
 * client.
 */
@ApplicationScoped
public class SubscriptionStore {

    /**
     * Stores the subscription, or updates the one with the same address (a device that re-registers, or that
     * changed hands), and answers the id it has. A device that changed hands loses, in the same statement, the
     * deliveries still on their way to it for its former user: what was written for one user never reaches another.
     */
    public Uni<UUID> upsert(SqlClient client, PushSubscription s) {
        return client.preparedQuery("""
                        WITH handed_over AS (
                            DELETE FROM push_delivery d USING push_subscription p
                            WHERE d.subscription_id = p.id AND p.kind = $3 AND p.address = $4 AND p.user_id <> $2)
                        INSERT INTO push_subscription (id, user_id, kind, address, p256dh, auth)
                        VALUES ($1, $2, $3, $4, $5, $6)
                        ON CONFLICT (kind, address) DO UPDATE
                        SET user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth
                        RETURNING id""")
                .execute(Tuple.from(
                        new Object[] {s.id(), s.userId(), s.kind().wire(), s.address(), s.p256dh(), s.auth()}))
                .map(rows -> rows.iterator().next().getUUID("id"));
    }

    /** Deletes the user's own subscription; false when they have none with that id. */
    public Uni<Boolean> delete(SqlClient client, UUID id, String userId) {
        return client.preparedQuery("DELETE FROM push_subscription WHERE id = $1 AND user_id = $2")
                .execute(Tuple.of(id, userId))
                .map(rows -> rows.rowCount() == 1);
    }
}
