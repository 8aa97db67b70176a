package io.parley.kit;

import io.smallrye.mutiny.Uni;
import java.util.UUID;

/**
 * Whether a caller may see a conversation, as the service that answers paths under {@code /api/conversations/{id}}
 * decides it (a participant, and every admin for a support conversation). A bean of this type turns on
 * {@link HiddenConversations} in that service.
 */
public interface ConversationVisibility {

    /**
     * @param conversationId the conversation the path names
     * @param caller         who asks
     * @return true when the caller may see it; false when it is unknown or not theirs (never told apart)
     */
    Uni<Boolean> visible(UUID conversationId, Caller caller);
}
