package io.parley.events;

import java.util.List;

/**
 * The Kafka topics of the system, with the partition counts the local stack and the tests create.
 * docs/architecture.md documents who produces and who consumes each.
 */
public final class Topics {

    /** Conversation and membership events, keyed by conversation id. */
    public static final String CONVERSATIONS = "parley.conversation-events";
    /** Message events, keyed by conversation id: per-conversation order is partition order. */
    public static final String MESSAGES = "parley.message-events";
    /** Presence changes, keyed by user id. */
    public static final String PRESENCE = "parley.presence-events";

    public record Spec(String name, int partitions) {
    }

    public static final List<Spec> ALL = List.of(
            new Spec(CONVERSATIONS, 6),
            new Spec(MESSAGES, 12),
            new Spec(PRESENCE, 6));

    private Topics() {
    }
}
