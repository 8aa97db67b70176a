package io.parley.conversation.domain;

import io.parley.conversation.store.ConversationStore;
import io.parley.events.PresenceChanged;
import io.parley.events.PresenceRouted;
import io.parley.events.Role;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Presence, as the owner of membership sees it. A client or expert who connects has a support conversation from that
 * moment (idempotent: a change seen again creates nothing). Every change is routed to the users who share a
 * support or direct conversation or a group of at most {@link #PRESENCE_GROUP_LIMIT} members with its user, and to
 * every admin when the user has a support conversation. Each user's latest
 * change is kept ({@code presence_state}), so that a user who comes online is told who of theirs is online already.
 */
@ApplicationScoped
public class PresenceRouting {

    /**
     * The most members a group may have for its members to share presence. Past it, one member's change would go to
     * every member, and the group coming online (a gateway's restart) to its size squared: 1,000 members, a million
     * frames. Chat services bound presence in large groups alike (Discord's {@code large_threshold}, 50 to 250).
     */
    public static final int PRESENCE_GROUP_LIMIT = 100;

    private final Pool pool;
    private final ConversationStore store;
    private final ConversationService conversations;

    /** Routes from the conversations in {@code store}; support conversations are made by {@code conversations}. */
    public PresenceRouting(Pool pool, ConversationStore store, ConversationService conversations) {
        this.pool = pool;
        this.store = store;
        this.conversations = conversations;
    }

    /**
     * Takes a poll's changes into account (a client or expert coming online gets their support conversation, made
     * once per user) and routes each: two reads for the batch whatever its size (support owners, contacts), plus
     * one creation per client or expert coming online who has no support conversation yet; then records each user's
     * latest change and, for the users coming online, reads who of theirs is online already (one read, and one more
     * when an admin is among them).
     *
     * @param changes presence changes, in their order
     * @return the same changes, in the same order, each with its recipients, then what the users coming online are
     *         told of who is online already, for the gateways to deliver
     */
    public Uni<List<PresenceRouted>> route(List<PresenceChanged> changes) {
        if (changes.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<String> users =
                changes.stream().map(PresenceChanged::userId).distinct().toList();
        List<String> comingOnline = changes.stream()
                .filter(c -> c.online() && (c.role() == Role.CLIENT || c.role() == Role.EXPERT))
                .map(PresenceChanged::userId)
                .distinct()
                .toList();
        // one read of who owns a support conversation; the clients and experts coming online who do not get theirs
        // made, after which every one of them owns one
        return store.supportOwners(pool, users).chain(found -> {
            Uni<Void> made = Uni.createFrom().voidItem();
            for (String user : comingOnline) {
                if (!found.contains(user)) {
                    made = made.chain(() -> conversations.support(user, null).replaceWithVoid());
                }
            }
            Set<String> owners = new HashSet<>(found);
            owners.addAll(comingOnline);
            return made.chain(() -> store.contacts(users, PRESENCE_GROUP_LIMIT)).chain(contacts -> {
                List<PresenceRouted> routed = new ArrayList<>(changes.stream()
                        .map(c -> PresenceRouted.of(
                                c, contacts.getOrDefault(c.userId(), List.of()), owners.contains(c.userId())))
                        .toList());
                return store.recordPresence(latestNamed(changes))
                        .chain(() -> alreadyOnline(changes, contacts))
                        .map(told -> {
                            routed.addAll(told);
                            return routed;
                        });
            });
        });
    }

    /** Each user's last change of the poll, in the order of the users' first changes. */
    static List<PresenceChanged> latest(List<PresenceChanged> changes) {
        Map<String, PresenceChanged> last = new LinkedHashMap<>();
        changes.forEach(c -> last.put(c.userId(), c));
        return List.copyOf(last.values());
    }

    /**
     * Each user's last change of the poll ({@link #latest}), with the last display name their changes carry (an
     * {@code offline} after an {@code online} in the same poll carries none, and the name is kept all the same).
     */
    static List<PresenceChanged> latestNamed(List<PresenceChanged> changes) {
        Map<String, PresenceChanged> last = new LinkedHashMap<>();
        for (PresenceChanged c : changes) {
            PresenceChanged had = last.get(c.userId());
            last.put(c.userId(), c.name() == null && had != null && had.name() != null ? c.withName(had.name()) : c);
        }
        return List.copyOf(last.values());
    }

    /**
     * For each user whose last change of the poll is {@code online}: the users they share a conversation with (for an
     * admin, the clients and experts with a support conversation) who are online already and have no change in this
     * poll, each as one routed {@code online} change to those users only, so that a connection that opens learns who
     * is there instead of waiting for their next change. Keyed by the user it is about, it travels in order with
     * that user's own changes.
     */
    private Uni<List<PresenceRouted>> alreadyOnline(List<PresenceChanged> changes, Map<String, List<String>> contacts) {
        Set<String> inPoll = new HashSet<>();
        changes.forEach(c -> inPoll.add(c.userId()));
        List<PresenceChanged> arriving =
                latest(changes).stream().filter(PresenceChanged::online).toList();
        if (arriving.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<String> admins = arriving.stream()
                .filter(c -> c.role() == Role.ADMIN)
                .map(PresenceChanged::userId)
                .toList();
        Set<String> theirContacts = new HashSet<>();
        arriving.forEach(c -> theirContacts.addAll(contacts.getOrDefault(c.userId(), List.of())));
        theirContacts.removeAll(inPoll);
        Uni<List<ConversationStore.Online>> ofContacts = theirContacts.isEmpty()
                ? Uni.createFrom().item(List.of())
                : store.onlineAmong(List.copyOf(theirContacts));
        Uni<List<ConversationStore.Online>> ofSupport =
                admins.isEmpty() ? Uni.createFrom().item(List.of()) : store.onlineSupportOwners();
        return ofContacts.chain(online -> ofSupport.map(supportOnline -> {
            // who is told about whom: the user online already -> the arriving users to tell
            Map<String, Set<String>> tell = new LinkedHashMap<>();
            Map<String, ConversationStore.Online> about = new HashMap<>();
            online.forEach(o -> about.put(o.userId(), o));
            for (PresenceChanged arrival : arriving) {
                for (String contact : contacts.getOrDefault(arrival.userId(), List.of())) {
                    if (about.containsKey(contact)) {
                        tell.computeIfAbsent(contact, k -> new LinkedHashSet<>())
                                .add(arrival.userId());
                    }
                }
            }
            for (ConversationStore.Online owner : supportOnline) {
                if (inPoll.contains(owner.userId())) {
                    continue;
                }
                about.put(owner.userId(), owner);
                tell.computeIfAbsent(owner.userId(), k -> new LinkedHashSet<>()).addAll(admins);
            }
            List<PresenceRouted> told = new ArrayList<>();
            tell.forEach((userId, recipients) -> {
                ConversationStore.Online o = about.get(userId);
                told.add(PresenceRouted.of(
                        PresenceChanged.of(userId, o.role(), true, o.since(), o.name()),
                        List.copyOf(recipients),
                        false));
            });
            return told;
        }));
    }
}
