package io.parley.notification.events;

import io.parley.events.Event;
import io.parley.events.PresenceChanged;
import io.parley.events.UnreadChanged;
import io.parley.notification.store.DeliveryStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Instant;
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

    /**
     * A presence change: the user is online or offline from its time on (an older change than the one stored changes
     * nothing).
     *
     * @param event a presence event; others (and null) are skipped
     * @return completion once stored
     */
    @Incoming("presence-events")
    public Uni<Void> presence(Event event) {
        if (!(event instanceof PresenceChanged change)) {
            return Uni.createFrom().voidItem();
        }
        return store.presence(store.pool(), change.userId(), change.online(), change.occurredAt());
    }

    /**
     * Users' totals, for the badge: the latest of each user in the batch, stored unless an even later one is (totals
     * of one user come from several partitions, keyed by conversation, so they may be consumed out of order).
     *
     * @param batch a poll's inbox events; others (and null) are skipped
     * @return completion once stored
     */
    @Incoming("unread-events")
    public Uni<Void> unread(List<Event> batch) {
        Map<String, Total> totals = new LinkedHashMap<>();
        for (Event event : batch) {
            if (event instanceof UnreadChanged unread) {
                unread.counts().forEach(count -> totals.merge(count.userId(),
                        new Total(count.total(), unread.occurredAt()),
                        (had, next) -> next.at().isBefore(had.at()) ? had : next));
            }
        }
        if (totals.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return store.unreadTotals(store.pool(), new ArrayList<>(totals.keySet()),
                totals.values().stream().map(Total::total).toList(),
                totals.values().stream().map(Total::at).toList());
    }

    private record Total(long total, Instant at) {
    }
}
