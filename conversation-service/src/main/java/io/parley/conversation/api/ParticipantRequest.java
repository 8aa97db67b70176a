package io.parley.conversation.api;

/** Body of {@code POST /api/conversations/{id}/participants}. */
public record ParticipantRequest(String userId) {}
