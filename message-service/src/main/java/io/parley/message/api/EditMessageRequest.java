package io.parley.message.api;

/** Body of {@code PATCH /api/conversations/{id}/messages/{messageId}}. */
public record EditMessageRequest(String content) {}
