package io.parley.notification.events;

import io.parley.events.Event;
import io.parley.events.PresenceChanged;
import io.parley.events.UnreadChanged;
import io.parley.notification.store.DeliveryStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an alert depends on besides messages: whether its user is online (the gateways' presence changes) and the
 * user's total unread (the conversation-service's counts, shown as the badge). Both are states that a later event
 * replaces, so a redelivered event is harmless and needs no bookkeeping.
 */
@ApplicationScoped
public class UserStateConsumer {

    private final DeliveryStore store;

    public UserStateConsumer(DeliveryStore store) {
        this.store = store;
    }

    @Incoming("presence-events")
    public Uni<Void> presence(Event event) {
        if (!(event instanceof PresenceChanged change)) {
            return Uni.createFrom().voidItem();
        }
        return store.presence(store.pool(), change.userId(), change.online(), change.occurredAt());
    }

    @Incoming("unread-events")
    public Uni<Void> unread(List<Event> batch) {
        Map<String, Long> totals = new LinkedHashMap<>();
        for (Event event : batch) {
            if (event instanceof UnreadChanged unread) {
                unread.counts().forEach(count -> totals.put(count.userId(), count.total()));
            }
        }
        if (totals.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return store.unreadTotals(store.pool(), new ArrayList<>(totals.keySet()), new ArrayList<>(totals.values()));
    }
}
