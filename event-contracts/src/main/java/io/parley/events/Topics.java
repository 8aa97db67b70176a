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
    /** Typing indicators, keyed by conversation id; never stored: the topic keeps them one minute. */
    public static final String TYPING = "parley.typing-events";

    /** Unread counts for the gateways to tell each user's connections, keyed by conversation id. */
    public static final String INBOX = "parley.inbox-events";

    /**
     * A user's own settings that another service answers in its views ({@code mute.changed}, from the
     * notification-service to the conversation-service), keyed by user id.
     */
    public static final String USERS = "parley.user-events";

    /** A topic, its partition count, and how long it keeps records (null: the broker's default). */
    public record Spec(String name, int partitions, Long retentionMs) {}

    public static final List<Spec> ALL = List.of(
            new Spec(CONVERSATIONS, 6, null),
            new Spec(MESSAGES, 12, null),
            new Spec(PRESENCE, 6, null),
            new Spec(TYPING, 6, 60_000L),
            new Spec(INBOX, 6, null),
            new Spec(USERS, 6, null));

    private Topics() {}
}
