package io.parley.notification.domain;

import io.parley.notification.client.WebPushSender;
import io.parley.notification.store.SubscriptionStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/** Users' devices that receive alerts: Web Push subscriptions and FCM / APNs device tokens. */
@ApplicationScoped
public class Subscriptions {

    private final Pool pool;
    private final SubscriptionStore store;
    private final WebPushSender webPush;

    public Subscriptions(Pool pool, SubscriptionStore store, WebPushSender webPush) {
        this.pool = pool;
        this.store = store;
        this.webPush = webPush;
    }

    /**
     * Stores the subscription, or updates the one with the same address (a device that re-registers, or that changed
     * hands).
     *
     * @param subscription a checked subscription
     * @return the id it has (the same id for the same endpoint or token again)
     */
    public Uni<UUID> subscribe(PushSubscription subscription) {
        return store.upsert(pool, subscription);
    }

    /**
     * Deletes a subscription of the user.
     *
     * @return false when the user has none with that id
     */
    public Uni<Boolean> unsubscribe(UUID id, String userId) {
        return store.delete(pool, id, userId);
    }

    /** @return the key browsers pass to pushManager.subscribe; empty when Web Push is not configured */
    public Optional<String> applicationServerKey() {
        return webPush.applicationServerKey();
    }
}
