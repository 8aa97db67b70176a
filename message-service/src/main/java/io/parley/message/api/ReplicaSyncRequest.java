package io.parley.message.api;

/** Body of {@code POST /internal/replica/sync}: the conversation (a UUID) whose events the replica must hold. */
public record ReplicaSyncRequest(String conversationId) {}
