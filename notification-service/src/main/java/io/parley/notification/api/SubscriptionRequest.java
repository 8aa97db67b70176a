package io.parley.notification.api;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;

/**
 * Body of {@code POST /api/push/subscriptions}: a Web Push subscription, or an FCM or APNs token. Its strings are read
 * as sent (Jackson's own deserializer, not the services' strict one, which refuses the first string holding U+0000
 * or an unpaired surrogate while reading), so that the resource's check names every part that is wrong at once,
 * those included (docs/api.md).
 */
public record SubscriptionRequest(
        String kind,
        @JsonDeserialize(using = StringDeserializer.class) String endpoint,
        Keys keys,
        @JsonDeserialize(using = StringDeserializer.class) String token) {

    public record Keys(
            @JsonDeserialize(using = StringDeserializer.class)
            String p256dh,

            @JsonDeserialize(using = StringDeserializer.class)
            String auth) {}
}
