package io.parley.message.api;

import java.util.List;
import java.util.Map;

/** Body of {@code POST /api/conversations/{id}/messages}. */
public record SendMessageRequest(String clientMessageId, String content, String type,
                                 List<Map<String, Object>> attachments) {
}
