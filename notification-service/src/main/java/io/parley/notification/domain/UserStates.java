package io.parley.notification.domain;

import io.parley.events.Event;
import io.parley.events.PresenceChanged;
import io.parley.events.UnreadChanged;
import io.parley.notification.store.DeliveryStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
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
public class UserStates {

    private final Pool pool;
    private final DeliveryStore store;

    public UserStates(Pool pool, DeliveryStore store) {
        this.pool = pool;
        this.store = store;
    }

    /**
     * A presence change: the user is online or offline from its time on (an older change than the one stored changes
     * nothing).
     *
     * @param change the gateway's event
     * @return completion once stored
     */
    public Uni<Void> presence(PresenceChanged change) {
        return store.presence(pool, change.userId(), change.online(), change.occurredAt());
    }

    /**
     * Users' totals, for the badge: the latest of each user in the batch (see {@link #latestTotals}), stored unless an
     * even later one is.
     *
     * @param batch a poll's inbox events; others (and null) are skipped
     * @return completion once stored
     */
    public Uni<Void> unread(List<Event> batch) {
        Map<String, Total> totals = latestTotals(batch);
        if (totals.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return store.unreadTotals(
                pool,
                new ArrayList<>(totals.keySet()),
                totals.values().stream().map(Total::total).toList(),
                totals.values().stream().map(Total::at).toList());
    }

    /** A user's total unread as counted at {@code at}. */
    public record Total(long total, Instant at) {}

    /**
     * The latest total of each user that the batch's {@code unread.changed} events name (totals of one user come from
     * several partitions, keyed by conversation, so they may be consumed out of order: the one counted last wins; of
     * two counted at the same time, the later in the batch). Pure.
     *
     * @param batch a poll's events, in order; other types and nulls are skipped
     * @return user id to total, in the order users first appear
     */
    public static Map<String, Total> latestTotals(List<Event> batch) {
        Map<String, Total> totals = new LinkedHashMap<>();
        for (Event event : batch) {
            if (event instanceof UnreadChanged unread) {
                unread.counts()
                        .forEach(count -> totals.merge(
                                count.userId(),
                                new Total(count.total(), unread.occurredAt()),
                                (had, next) -> next.at().isBefore(had.at()) ? had : next));
            }
        }
        return totals;
    }
}
