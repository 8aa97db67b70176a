package io.parley.gateway.delivery;

import io.parley.events.ConversationKind;
import io.parley.events.Role;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The open connections of this gateway instance, by user, and those of admins. */
@ApplicationScoped
public class SessionRegistry {

    private final Map<String, Set<Session>> byUser = new ConcurrentHashMap<>();
    private final Set<Session> admins = ConcurrentHashMap.newKeySet();
    /** Every registered connection, flat: the every-second check walks it without a stream per user. */
    private final Set<Session> open = ConcurrentHashMap.newKeySet();

    /**
     * Registers an open connection: it receives deliveries from now on (every support event too if an admin's), and is
     * pinged, its silence counted from now ({@link Session#startLiveness}).
     */
    public void add(Session session) {
        synchronized (session) {
            if (session.removed || !session.connection().isOpen()) {
                return; // closed before its registration: nothing may hold it
            }
            session.registered = true;
            session.startLiveness();
            open.add(session);
            byUser.computeIfAbsent(session.userId(), u -> ConcurrentHashMap.newKeySet())
                    .add(session);
            if (session.isAdmin()) {
                admins.add(session);
            }
        }
    }

    /** Forgets a closed connection: nothing is delivered to it any more. */
    public void remove(Session session) {
        synchronized (session) {
            session.registered = false;
            session.removed = true;
            open.remove(session);
            byUser.computeIfPresent(session.userId(), (u, sessions) -> {
                sessions.remove(session);
                return sessions.isEmpty() ? null : sessions;
            });
            admins.remove(session);
        }
    }

    /**
     * Replaces the token of {@code session} with a fresh one of the same user and applies what it decides at once:
     * its expiry, and its role, so that a connection whose new token is not an admin's stops receiving support
     * conversations' messages, typing, presence and read receipts (and one whose new token is an admin's starts).
     *
     * @param token     the fresh token, raw
     * @param expiresAt its {@code exp}, in epoch seconds
     * @param role      its role
     */
    public void renew(Session session, String token, long expiresAt, Role role) {
        synchronized (session) {
            session.renew(token, expiresAt, role);
            if (session.isAdmin() && session.registered) {
                admins.add(session);
            } else {
                admins.remove(session);
            }
        }
    }

    /** The open connections of {@code userId} on this instance (none, or a null id from a malformed event: empty). */
    public Collection<Session> of(String userId) {
        if (userId == null) {
            return List.of();
        }
        Set<Session> sessions = byUser.get(userId);
        return sessions == null ? List.of() : sessions;
    }

    /** The open connections on this instance whose current token is an admin's. */
    public Collection<Session> admins() {
        return admins;
    }

    /**
     * Runs {@code action} for every connection of this instance that an event of a conversation goes to: each of its
     * participants', and every admin's for a support conversation.
     */
    public void forEachInConversation(
            Collection<String> participants,
            ConversationKind conversationType,
            java.util.function.Consumer<Session> action) {
        for (String userId : participants) {
            of(userId).forEach(action);
        }
        if (conversationType == ConversationKind.SUPPORT) {
            admins.forEach(action);
        }
    }

    /** Every open connection of this instance. */
    public java.util.stream.Stream<Session> all() {
        return open.stream();
    }

    /** Runs {@code action} for every open connection of this instance. */
    public void forEach(java.util.function.Consumer<Session> action) {
        open.forEach(action);
    }

    /** How many connections of this instance are open. */
    public int count() {
        return open.size();
    }

    /** Whether {@code userId} has an open connection on this instance. */
    public boolean hasAny(String userId) {
        return userId != null && byUser.containsKey(userId);
    }
}
