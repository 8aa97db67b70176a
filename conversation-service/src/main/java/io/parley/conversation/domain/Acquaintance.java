package io.parley.conversation.domain;

import io.parley.conversation.client.PresenceRoutedProducer;
import io.parley.conversation.store.ConversationStore;
import io.parley.events.ConversationKind;
import io.parley.events.PresenceChanged;
import io.parley.events.PresenceRouted;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Presence between users who have just come to share a conversation (a new conversation, a participant added):
 * presence frames otherwise go out only when a user's first connection opens or their last one closes, so two users
 * online who start a conversation would not see each other online until one of them reconnects. Each participant
 * online now is announced, as an {@code online} routed to those who did not share a conversation with them through
 * this one before: all the others for a new conversation; the added user, and the added user to all the others, for
 * an addition. A group larger than {@link PresenceRouting#PRESENCE_GROUP_LIMIT} shares no presence. Soft state: a
 * failure is logged, never the answer's.
 */
@ApplicationScoped
public class Acquaintance {

    private final ConversationStore store;
    private final PresenceRoutedProducer routed;

    public Acquaintance(ConversationStore store, PresenceRoutedProducer routed) {
        this.store = store;
        this.routed = routed;
    }

    /**
     * Announces who of {@code conversation}'s participants is online to those {@code newcomers} newly share it with.
     *
     * @param conversation the conversation as it is now
     * @param newcomers    the participants who just joined it (every participant when it was just created)
     * @return completes once the announcements are handed to Kafka, or were given up (logged); never fails
     */
    public Uni<Void> introduce(Conversation conversation, List<String> newcomers) {
        List<String> members = conversation.participants();
        if (members.size() < 2
                || (conversation.kind() == ConversationKind.GROUP
                        && members.size() > PresenceRouting.PRESENCE_GROUP_LIMIT)) {
            return Uni.createFrom().voidItem();
        }
        return store.onlineAmong(members)
                .map(online -> announcements(members, newcomers, online))
                .chain(routed::publish)
                .onFailure()
                .recoverWithItem(e -> {
                    Log.warnf("presence in conversation %s not announced: %s", conversation.id(), e.toString());
                    return null;
                });
    }

    /** The routed {@code online} of each user in {@code online} to those it is new to (see {@link #introduce}). */
    static List<PresenceRouted> announcements(
            List<String> members, List<String> newcomers, List<ConversationStore.Online> online) {
        List<PresenceRouted> out = new ArrayList<>();
        for (ConversationStore.Online o : online) {
            List<String> to = members.stream()
                    .filter(m -> !m.equals(o.userId()))
                    .filter(m -> newcomers.contains(o.userId()) || newcomers.contains(m))
                    .toList();
            if (!to.isEmpty()) {
                out.add(PresenceRouted.of(
                        PresenceChanged.of(o.userId(), o.role(), true, o.since(), o.name()), to, false));
            }
        }
        return out;
    }
}
