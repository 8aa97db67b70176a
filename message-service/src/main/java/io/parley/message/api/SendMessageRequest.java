package io.parley.message.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Body of {@code POST /api/conversations/{id}/messages}. {@code attachments} ({@code [{"id": upload id}]}) is read as a
 * JSON tree and checked part by part ({@link Attachments}), so that a wrong part is named by its full path.
 */
public record SendMessageRequest(String clientMessageId, String content, String type, JsonNode attachments) {}
