package io.parley.gateway.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.databind.JsonNode;
import io.parley.events.ConversationKind;
import io.parley.events.TypingState;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Every frame the server sends on {@code /ws}, as docs/api.md's WebSocket section describes it: a JSON object whose
 * {@code type} is the record's {@link JsonTypeName}, followed by the record's components in order. Components marked
 * {@link JsonInclude.Include#NON_NULL} are left out when null; the others are always present (null included).
 * Encoded by {@link FrameCodec#encode}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
public sealed interface ServerFrame {

    /** The first frame of a connection: {@code {type: welcome, userId, connectionId}}. */
    @JsonTypeName("welcome")
    record Welcome(String userId, String connectionId) implements ServerFrame {}

    /** The answer to a {@code ping}: {@code {type: pong, ref?}}. */
    @JsonTypeName("pong")
    record Pong(@JsonInclude(JsonInclude.Include.NON_NULL) String ref) implements ServerFrame {}

    /** A stored send: {@code {type: ack, ref, message}}, the message as the message-service answered it. */
    @JsonTypeName("ack")
    record Ack(String ref, JsonNode message) implements ServerFrame {}

    /**
     * {@code {type: error, ref?, code, message, field?, conversationId?, retryAfterMs?}}: what went wrong with a frame
     * (or one conversation of it). {@code code} is one of {@code invalid}, {@code unauthorized}, {@code forbidden},
     * {@code not_found}, {@code conflict}, {@code too_large}, {@code rate_limited}, {@code unavailable}.
     */
    @JsonTypeName("error")
    record Error(
            @JsonInclude(JsonInclude.Include.NON_NULL) String ref,
            String code,
            String message,
            @JsonInclude(JsonInclude.Include.NON_NULL) String field,
            @JsonInclude(JsonInclude.Include.NON_NULL) String conversationId,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long retryAfterMs)
            implements ServerFrame {

        /** {@code {type: error, ref?, code, message}}. */
        public static Error of(String ref, String code, String message) {
            return new Error(ref, code, message, null, null, null);
        }

        /** {@code {type: error, ref?, code, message, conversationId}}: an error about one conversation of a frame. */
        public static Error about(String ref, String code, String message, String conversationId) {
            return new Error(ref, code, message, null, conversationId, null);
        }

        /** {@code {type: error, ref?, code: invalid, message, field}}: the frame's {@code field} is missing or wrong. */
        public static Error invalid(String ref, String field, String message) {
            return new Error(ref, "invalid", message, field, null, null);
        }

        /**
         * {@code {type: error, ref?, code: invalid, message, field, conversationId}}: the part of a frame about one
         * conversation (a position of a resume) is wrong; the rest of the frame goes on.
         */
        public static Error invalid(String ref, String field, String message, String conversationId) {
            return new Error(ref, "invalid", message, field, conversationId, null);
        }

        /**
         * {@code {type: error, ref?, code, message, field}}: a service refused the frame ({@code invalid},
         * {@code conflict}, ...) because of its part {@code field}, e.g. {@code attachments[0]}.
         */
        public static Error refused(String ref, String code, String field, String message) {
            return new Error(ref, code, message, field, null, null);
        }

        /** {@code {type: error, ref, code: rate_limited, message, retryAfterMs}}: too many sends. */
        public static Error rateLimited(String ref, long retryAfterMs) {
            return new Error(ref, "rate_limited", "Too many sends; retry after the delay.", null, null, retryAfterMs);
        }

        /**
         * The error code of a service's refusal, by its HTTP status: 400 and other 4xx {@code invalid}, 401
         * {@code unauthorized}, 403 {@code forbidden}, 404 and 410 {@code not_found}, 409 {@code conflict}, 413
         * {@code too_large}, 429 {@code rate_limited}; only a 5xx (or anything that is not a client error) is
         * {@code unavailable}, which tells the client to send the same frame again.
         */
        public static String codeOf(int status) {
            return switch (status) {
                case 401 -> "unauthorized";
                case 403 -> "forbidden";
                case 404, 410 -> "not_found";
                case 409 -> "conflict";
                case 413 -> "too_large";
                case 429 -> "rate_limited";
                default -> status >= 400 && status < 500 ? "invalid" : "unavailable";
            };
        }
    }

    /** {@code {type: message.created, message}}: a new message, as the client's Message resource. */
    @JsonTypeName("message.created")
    record MessageCreated(JsonNode message) implements ServerFrame {}

    /** {@code {type: message.updated, message}}: an edited message, as it is after the edit. */
    @JsonTypeName("message.updated")
    record MessageUpdated(JsonNode message) implements ServerFrame {}

    /** {@code {type: message.deleted, message}}: a deleted message, as it is after the deletion. */
    @JsonTypeName("message.deleted")
    record MessageDeleted(JsonNode message) implements ServerFrame {}

    /** {@code {type: read, conversationId, userId, seq}}: a reader's position moved forward. */
    @JsonTypeName("read")
    record Read(UUID conversationId, String userId, long seq) implements ServerFrame {}

    /** {@code {type: typing, conversationId, userId, state}}: {@code state} is {@code start} or {@code stop}. */
    @JsonTypeName("typing")
    record Typing(UUID conversationId, String userId, TypingState state) implements ServerFrame {}

    /**
     * {@code {type: presence, userId, online, lastSeenAt, name}}: {@code lastSeenAt} is null while online; {@code name}
     * is the user's display name from the token they came online with (null when unknown, and in an offline change).
     */
    @JsonTypeName("presence")
    record Presence(String userId, boolean online, Instant lastSeenAt, String name) implements ServerFrame {}

    /**
     * {@code {type: unread, conversationId, count, total, at}}: a user's new unread counts, as read at {@code at} (the
     * conversation-service's clock). Frames of different conversations travel on different Kafka partitions and may
     * arrive out of order: a client keeps, per conversation and for the total, the latest {@code at} it applied and
     * ignores an older one.
     */
    @JsonTypeName("unread")
    record Unread(UUID conversationId, long count, long total, Instant at) implements ServerFrame {}

    /** {@code {type: conversation.created, conversation: {id, type, title, participants, createdBy, createdAt}}}. */
    @JsonTypeName("conversation.created")
    record ConversationCreated(Conversation conversation) implements ServerFrame {}

    /** The conversation of a {@link ConversationCreated}; {@code title} is null for a direct conversation. */
    record Conversation(
            UUID id,
            ConversationKind type,
            String title,
            List<String> participants,
            String createdBy,
            Instant createdAt) {}

    /** {@code {type: participant.added, conversationId, userId, participants}}: the participants after it. */
    @JsonTypeName("participant.added")
    record ParticipantAdded(UUID conversationId, String userId, List<String> participants) implements ServerFrame {}

    /** {@code {type: participant.removed, conversationId, userId, participants}}: the participants after it. */
    @JsonTypeName("participant.removed")
    record ParticipantRemoved(UUID conversationId, String userId, List<String> participants) implements ServerFrame {}

    /** {@code {type: authenticated, expiresAt, ref?}}: an {@code auth} frame's token replaced the connection's. */
    @JsonTypeName("authenticated")
    record Authenticated(
            Instant expiresAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) String ref) implements ServerFrame {}

    /** {@code {type: resumed, ref?}}: the end of a resume's replay. */
    @JsonTypeName("resumed")
    record Resumed(
            @JsonInclude(JsonInclude.Include.NON_NULL) String ref) implements ServerFrame {}
}
