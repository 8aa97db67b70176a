package io.parley.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;

/**
 * The kind of a device that receives alerts: a Web Push subscription ({@code webpush}), an FCM device token
 * ({@code fcm}) or an APNs device token ({@code apns}). Sent by clients as a push subscription's {@code kind}.
 */
public enum PushKind {
    WEBPUSH,
    FCM,
    APNS;

    /** The push kind spelled {@code wire} exactly; empty for null or any other text. */
    public static Optional<PushKind> find(String wire) {
        return Words.find(PushKind.class, wire);
    }

    /**
     * The push kind spelled {@code wire}: how JSON is read into one, and how a stored column is read.
     *
     * @throws IllegalArgumentException for any other text, or null
     */
    @JsonCreator
    public static PushKind fromWire(String wire) {
        return Words.of(PushKind.class, wire, "push kind");
    }

    /** The push kind as every wire spells it: {@code webpush}, {@code fcm} or {@code apns}. */
    @JsonValue
    public String wire() {
        return Words.spell(this);
    }
}
