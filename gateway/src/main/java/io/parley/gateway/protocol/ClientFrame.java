package io.parley.gateway.protocol;

import io.parley.events.TypingState;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Every frame a client sends on {@code /ws}, as docs/api.md's WebSocket section describes it, once decoded and
 * checked by {@link FrameCodec#decode}: every text is one that can be stored (no NUL, no unpaired surrogate), every
 * {@code ref} is the frame's {@code ref} as text (a whole number as its digits) or null when it has none.
 */
public sealed interface ClientFrame {

    /** The frame's {@code ref}, echoed in its answers; null when it has none. */
    String ref();

    /** {@code {type: ping, ref?}}. */
    record Ping(String ref) implements ClientFrame {}

    /**
     * {@code {type: send, ref, conversationId, clientMessageId, content?, attachments?}}.
     *
     * @param ref             never null: a send needs one
     * @param clientMessageId a UUID, as the client wrote it (passed on unchanged)
     * @param content         null when the frame has none (allowed only with attachments)
     * @param attachments     the ids of the uploads to attach, in order; empty when none
     */
    record Send(String ref, UUID conversationId, String clientMessageId, String content, List<UUID> attachments)
            implements ClientFrame {}

    /**
     * {@code {type: resume, ref?, positions: {conversationId: lastSeq}}}.
     *
     * @param positions the positions that can be replayed, in the frame's order; a conversation written twice (in
     *                  another letter case) once, with the lower position
     * @param faults    the answers to the positions that cannot be replayed (a key that is not a UUID, holds text that
     *                  cannot be stored, or whose value is not a whole number from 0), in the frame's order
     */
    record Resume(String ref, Map<UUID, Long> positions, List<ServerFrame.Error> faults) implements ClientFrame {}

    /** {@code {type: typing, ref?, conversationId, state}}; {@code state} is {@code start} or {@code stop}. */
    record Typing(String ref, UUID conversationId, TypingState state) implements ClientFrame {}

    /** {@code {type: read, ref?, conversationId, seq}}; {@code seq} is a whole number from 0. */
    record Read(String ref, UUID conversationId, long seq) implements ClientFrame {}

    /** {@code {type: auth, ref?, token}}; {@code token} is not blank (not yet verified). */
    record Auth(String ref, String token) implements ClientFrame {}
}
