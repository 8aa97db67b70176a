package io.parley.gateway.delivery;

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

    public void add(Session session) {
        byUser.computeIfAbsent(session.userId(), u -> ConcurrentHashMap.newKeySet()).add(session);
        if (session.isAdmin()) {
            admins.add(session);
        }
    }

    public void remove(Session session) {
        byUser.computeIfPresent(session.userId(), (u, sessions) -> {
            sessions.remove(session);
            return sessions.isEmpty() ? null : sessions;
        });
        admins.remove(session);
    }

    public Collection<Session> of(String userId) {
        Set<Session> sessions = byUser.get(userId);
        return sessions == null ? List.of() : sessions;
    }

    public Collection<Session> admins() {
        return admins;
    }

    /**
     * Runs {@code action} for every connection of this instance that an event of a conversation goes to: each of its
     * participants', and every admin's for a support conversation.
     */
    public void forEachInConversation(Collection<String> participants, String conversationType,
                                      java.util.function.Consumer<Session> action) {
        for (String userId : participants) {
            of(userId).forEach(action);
        }
        if ("support".equals(conversationType)) {
            admins.forEach(action);
        }
    }

    /** Every open connection of this instance. */
    public java.util.stream.Stream<Session> all() {
        return byUser.values().stream().flatMap(Set::stream);
    }

    public boolean hasAny(String userId) {
        return byUser.containsKey(userId);
    }
}
