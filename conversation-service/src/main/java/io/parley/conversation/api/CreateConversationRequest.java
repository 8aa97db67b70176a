package io.parley.conversation.api;

import java.util.List;

/** Body of {@code POST /api/conversations}. */
public record CreateConversationRequest(String type, List<String> participants, String title) {}
