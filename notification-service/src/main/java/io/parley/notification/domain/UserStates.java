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
     * A poll's presence changes: each user is online or offline from the time of their latest change in the batch on
     * (see {@link #latestPresence}); one stored earlier with an even later time wins. One statement for the batch.
     *
     * @param batch a poll's presence events; others (the conversation-service's {@code presence.routed}) and nulls are
     *              skipped
     * @return completion once stored
     */
    public Uni<Void> presence(List<Event> batch) {
        Map<String, PresenceChanged> latest = latestPresence(batch);
        if (latest.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return store.presence(
                pool,
                new ArrayList<>(latest.keySet()),
                latest.values().stream().map(PresenceChanged::online).toList(),
                latest.values().stream().map(PresenceChanged::occurredAt).toList());
    }

    /**
     * The latest presence change of each user in the batch (the one that occurred last; of two at the same time, the
     * later in the batch). Pure.
     *
     * @param batch a poll's events, in order; other types and nulls are skipped
     * @return user id to change, in the order users first appear
     */
    public static Map<String, PresenceChanged> latestPresence(List<Event> batch) {
        Map<String, PresenceChanged> latest = new LinkedHashMap<>();
        for (Event event : batch) {
            if (event instanceof PresenceChanged change) {
                latest.merge(
                        change.userId(),
                        change,
                        (had, next) -> next.occurredAt().isBefore(had.occurredAt()) ? had : next);
            }
        }
        return latest;
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
