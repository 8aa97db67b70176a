package io.parley.message.api;

import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The shapes of bodies this service reads as free JSON (to name a wrong part by its path) or writes as maps, for its
 * OpenAPI document only: the code that reads and writes them is {@link ReadResource}, {@link Attachments} and
 * {@code domain.AttachmentJson}.
 */
final class Schemas {

    private Schemas() {}

    /** Body of {@code POST /api/conversations/{id}/read}. */
    @Schema(name = "ReadRequest")
    record ReadRequest(
            @Schema(required = true, minimum = "0", description = "The seq of the last message read")
            long seq) {}

    /** Answer of {@code GET /api/conversations/{id}/read}. */
    @Schema(name = "ReadPositions")
    record ReadPositions(
            @Schema(
                    required = true,
                    description = "Each reader's position (the seq of the last message they read), by user id")
            java.util.Map<String, Long> positions) {}

    /** An upload a message refers to. */
    @Schema(name = "AttachmentRef")
    record AttachmentRef(
            @Schema(required = true, format = "uuid") UUID id) {}

    /** Body of {@code POST /api/conversations/{id}/messages}. */
    @Schema(name = "SendMessageRequest")
    record SendMessageRequest(
            @Schema(
                    required = true,
                    format = "uuid",
                    description = "Chosen by the client; the same one again " + "answers the stored message")
            String clientMessageId,

            @Schema(maxLength = 8000, description = "Required unless there are attachments")
            String content,

            @Schema(description = "The message's type, text by default")
            String type,

            @Schema(maxItems = 10) AttachmentRef[] attachments) {}

    /** An uploaded file, as the upload, its meta and a message's attachments answer it. */
    @Schema(name = "Attachment")
    record Attachment(
            @Schema(required = true, format = "uuid") UUID id,
            @Schema(required = true, format = "uuid") UUID conversationId,

            @Schema(required = true, description = "A safe display name")
            String name,

            @Schema(required = true, description = "Detected from the bytes")
            String contentType,

            @Schema(required = true, description = "Bytes") long size,

            @Schema(required = true, description = "Hex SHA-256 of the bytes")
            String sha256,

            @Schema(description = "Pixels, images only") Integer width,
            @Schema(description = "Pixels, images only") Integer height,

            @Schema(required = true, description = "GET it for the bytes")
            String url,

            @Schema(description = "Images only") String thumbnailUrl,
            @Schema(required = true) Instant createdAt) {}
}
