package io.parley.notification.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.interaso.webpush.VapidKeys;
import com.interaso.webpush.WebPush;
import io.parley.events.PushKind;
import io.parley.notification.domain.PushSubscription;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The Web Push request the sender builds: its headers (RFC 8030, 8292) and its aes128gcm body (RFC 8188, 8291). */
class WebPushSenderTest {

    @Test
    void theRequestIsEncryptedForTheSubscriptionAndKeptADayUnderItsTopic() throws Exception {
        VapidKeys keys = VapidKeys.generate();
        WebPush push = new WebPush("mailto:push@parley.invalid", keys);
        PushSubscription device = new PushSubscription(
                UUID.randomUUID(),
                "alice",
                PushKind.WEBPUSH,
                "https://push.example/send/abc",
                subscriberKey(),
                base64Url(new byte[16]));
        String payload = "{\"title\":\"Alice\",\"body\":\"hi\"}";

        WebPushSender.PushRequest request = WebPushSender.request(push, "the.jwt.token", device, payload, "topic1");

        assertThat(request.headers())
                .containsEntry("TTL", String.valueOf(24 * 60 * 60))
                .containsEntry("Topic", "topic1")
                .containsEntry("Content-Encoding", "aes128gcm");
        assertThat(request.headers().get("Urgency")).isEqualToIgnoringCase("normal");
        assertThat(request.headers().get("Authorization"))
                .startsWith("vapid ")
                .contains("t=the.jwt.token")
                .contains(
                        "k=" + Base64.getUrlEncoder().withoutPadding().encodeToString(keys.getApplicationServerKey()));
        byte[] body = request.body();
        // header: salt (16), record size (4), key id length (1) and the sender's ephemeral P-256 point (65)
        assertThat(body[20]).isEqualTo((byte) 65);
        assertThat(body[21]).isEqualTo((byte) 0x04);
        // then the payload, a padding delimiter and the 16-byte tag: nothing of the text in clear
        assertThat(body.length).isEqualTo(86 + payload.length() + 1 + 16);
        assertThat(new String(Arrays.copyOfRange(body, 86, body.length), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("Alice");
    }

    @Test
    void twoRequestsOfOnePayloadDifferInTheirKeys() throws Exception {
        WebPush push = new WebPush("mailto:push@parley.invalid", VapidKeys.generate());
        PushSubscription device = new PushSubscription(
                UUID.randomUUID(),
                "alice",
                PushKind.WEBPUSH,
                "https://push.example/send/abc",
                subscriberKey(),
                base64Url(new byte[16]));

        byte[] one = WebPushSender.request(push, "t", device, "same", "topic").body();
        byte[] two = WebPushSender.request(push, "t", device, "same", "topic").body();

        assertThat(one).isNotEqualTo(two);
    }

    /** A browser's p256dh: an uncompressed P-256 point, base64url. */
    private static String subscriberKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        ECPublicKey key = (ECPublicKey) generator.generateKeyPair().getPublic();
        byte[] point = new byte[65];
        point[0] = 0x04;
        copy(key.getW().getAffineX().toByteArray(), point, 1);
        copy(key.getW().getAffineY().toByteArray(), point, 33);
        return base64Url(point);
    }

    private static void copy(byte[] coordinate, byte[] into, int at) {
        int length = Math.min(coordinate.length, 32);
        System.arraycopy(coordinate, coordinate.length - length, into, at + 32 - length, length);
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
