package io.parley.notification.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The shapes of bodies this service reads as free JSON or writes as maps, for its OpenAPI document only: the code
 * that reads and writes them is in {@link MuteResource}, {@link SubscriptionResource} and {@link VapidKeyResource}.
 */
final class Schemas {

    private Schemas() {}

    /** Body of {@code PUT /api/push/mutes/{conversationId}}; no body, or no until, mutes until unmuted. */
    @Schema(name = "MuteRequest")
    record MuteRequest(
            @Schema(description = "ISO-8601 with an offset, in the future")
            Instant until) {}

    /** The answer of {@code GET /api/push/mutes}. */
    @Schema(name = "Mutes")
    record Mutes(@Schema(required = true) List<MuteResource.Mute> items) {}

    /** The answer of {@code POST /api/push/subscriptions}. */
    @Schema(name = "Subscription")
    record Subscription(
            @Schema(required = true, format = "uuid") UUID id) {}

    /** The answer of {@code GET /api/push/vapid-public-key}. */
    @Schema(name = "VapidPublicKey")
    record VapidPublicKey(
            @Schema(required = true, description = "The uncompressed P-256 point, base64url")
            String publicKey) {}
}
