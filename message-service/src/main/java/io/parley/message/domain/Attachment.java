package io.parley.message.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * An uploaded file (a row of {@code attachment}), where its bytes are, and to which message it is attached.
 *
 * @param size          bytes
 * @param sha256        lowercase hex
 * @param width         pixels, null unless an image whose header could be read
 * @param height        pixels, likewise
 * @param thumbnailKey  the thumbnail's store key, null when there is none
 * @param thumbnailType image/jpeg or image/png, null when there is none
 * @param thumbnailSize the thumbnail's bytes, null when there is none
 * @param messageId     the message it is attached to, null until a send attaches it
 * @param deletedAt     when it was deleted (cancelled, its message deleted, or expired), null while live
 */
public record Attachment(
        UUID id,
        UUID conversationId,
        String uploader,
        String name,
        String contentType,
        long size,
        String sha256,
        Integer width,
        Integer height,
        String storageKey,
        String thumbnailKey,
        String thumbnailType,
        Long thumbnailSize,
        Instant createdAt,
        UUID messageId,
        Instant deletedAt) {}
