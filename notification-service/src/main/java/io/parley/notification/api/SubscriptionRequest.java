package io.parley.notification.api;

/** Body of {@code POST /api/push/subscriptions}: a Web Push subscription, or an FCM or APNs token. */
public record SubscriptionRequest(String kind, String endpoint, Keys keys, String token) {

    public record Keys(String p256dh, String auth) {}
}
