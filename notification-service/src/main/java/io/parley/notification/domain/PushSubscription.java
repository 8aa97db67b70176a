package io.parley.notification.domain;

import java.util.UUID;

/** A device to alert: a Web Push endpoint with its keys, or an FCM or APNs device token. */
public record PushSubscription(UUID id, String userId, String kind, String address, String p256dh, String auth) {

    public static final String WEBPUSH = "webpush";
    public static final String FCM = "fcm";
    public static final String APNS = "apns";
}
