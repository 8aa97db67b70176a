package io.parley.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.UUID;

/**
 * An event on a Kafka topic. The JSON carries {@code type} as a discriminator, and every event carries
 * {@code eventId} (consumers drop duplicates by it), {@code occurredAt} and the schema {@code version} of its type.
 * A consumer that meets a higher version than it knows reads the fields it knows and ignores the rest.
 */
@JsonTypeInfo(
        use = JsonTypeInfo.Id.NAME,
        include = JsonTypeInfo.As.EXISTING_PROPERTY,
        property = "type",
        visible = true)
@JsonSubTypes({
    @JsonSubTypes.Type(value = ConversationCreated.class, name = ConversationCreated.TYPE),
    @JsonSubTypes.Type(value = ParticipantAdded.class, name = ParticipantAdded.TYPE),
    @JsonSubTypes.Type(value = ParticipantRemoved.class, name = ParticipantRemoved.TYPE),
    @JsonSubTypes.Type(
            value = MessageEvent.class,
            names = {MessageEvent.CREATED, MessageEvent.UPDATED, MessageEvent.DELETED}),
    @JsonSubTypes.Type(value = PresenceChanged.class, name = PresenceChanged.TYPE),
    @JsonSubTypes.Type(value = TypingChanged.class, name = TypingChanged.TYPE),
    @JsonSubTypes.Type(value = PresenceRouted.class, name = PresenceRouted.TYPE),
    @JsonSubTypes.Type(value = ReadMoved.class, name = ReadMoved.TYPE),
    @JsonSubTypes.Type(value = UnreadChanged.class, name = UnreadChanged.TYPE),
    @JsonSubTypes.Type(value = MuteChanged.class, name = MuteChanged.TYPE),
})
public sealed interface Event
        permits ConversationEvent,
                MessageEvent,
                PresenceChanged,
                PresenceRouted,
                TypingChanged,
                ReadMoved,
                UnreadChanged,
                MuteChanged {

    UUID eventId();

    String type();

    Instant occurredAt();

    int version();

    /** The Kafka record key: the conversation id for conversation and message events, the user id for presence and mutes. */
    @JsonIgnore
    String key();
}
