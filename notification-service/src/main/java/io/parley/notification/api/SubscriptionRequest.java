package io.parley.notification.api;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.parley.kit.StrictText;

/**
 * Body of {@code POST /api/push/subscriptions}: a Web Push subscription, or an FCM or APNs token. Its strings are read
 * as sent ({@link StrictText.StringOnly}: a JSON string and nothing else, not the services' strict reading, which
 * refuses the first string holding U+0000 or an unpaired surrogate while reading), so that the resource's check names every part that is wrong at once,
 * those included (docs/api.md).
 */
public record SubscriptionRequest(
        String kind,

        @JsonDeserialize(using = StrictText.StringOnly.class)
        String endpoint,

        Keys keys,

        @JsonDeserialize(using = StrictText.StringOnly.class)
        String token) {

    public record Keys(
            @JsonDeserialize(using = StrictText.StringOnly.class)
            String p256dh,

            @JsonDeserialize(using = StrictText.StringOnly.class)
            String auth) {}
}
