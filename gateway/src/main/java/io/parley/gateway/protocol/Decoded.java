package io.parley.gateway.protocol;

/** What {@link FrameCodec#decode} made of a text frame: a client frame, or the error frame that answers it. */
public sealed interface Decoded {

    /** A frame that can be handled. */
    record Frame(ClientFrame frame) implements Decoded {}

    /**
     * A frame that cannot be handled, and its answer.
     *
     * @param type  the frame's {@code type} if it is a known one (the fault is in another field), else null
     * @param error the answer: {@code invalid} naming the field, or {@code not_found} for an id that is not a UUID
     */
    record Refused(String type, ServerFrame.Error error) implements Decoded {}
}
