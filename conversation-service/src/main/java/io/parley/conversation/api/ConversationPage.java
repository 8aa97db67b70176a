package io.parley.conversation.api;

import java.util.List;

/** A page of {@code GET /api/conversations}; {@code nextCursor} is null on the last page. */
public record ConversationPage(List<ConversationView> items, String nextCursor) {}
