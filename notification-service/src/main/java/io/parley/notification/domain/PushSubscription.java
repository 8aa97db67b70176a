package io.parley.notification.domain;

import io.parley.events.PushKind;
import java.util.UUID;

/** A device to alert: a Web Push endpoint with its keys, or an FCM or APNs device token. */
public record PushSubscription(UUID id, String userId, PushKind kind, String address, String p256dh, String auth) {}
