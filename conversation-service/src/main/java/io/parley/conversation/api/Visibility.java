package io.parley.conversation.api;

import io.parley.conversation.domain.ConversationService;
import io.parley.kit.Caller;
import io.parley.kit.ConversationVisibility;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/** Who may see a conversation here, for {@link io.parley.kit.HiddenConversations}: as {@code GET /api/conversations/{id}}. */
@ApplicationScoped
public class Visibility implements ConversationVisibility {

    private final ConversationService conversations;

    public Visibility(ConversationService conversations) {
        this.conversations = conversations;
    }

    @Override
    public Uni<Boolean> visible(UUID conversationId, Caller caller) {
        return conversations.findVisible(conversationId, caller).map(Optional::isPresent);
    }
}
