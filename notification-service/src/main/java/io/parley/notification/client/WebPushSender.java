package io.parley.notification.client;

import com.interaso.webpush.VapidKeys;
import com.interaso.webpush.WebPush;
import io.parley.notification.domain.NotificationConfig;
import io.parley.notification.domain.PushSubscription;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Web Push (RFC 8030) with the payload encrypted as aes128gcm (RFC 8291) and VAPID (RFC 8292), by the
 * com.interaso:webpush library; the request itself goes through Vert.x, so a slow push service holds no thread.
 */
@ApplicationScoped
public class WebPushSender {

    private final Optional<WebPush> webPush;
    private final Optional<VapidKeys> keys;
    /** How long a VAPID token is valid, and how long one is reused (then signed again, well before it expires). */
    private static final Duration TOKEN_LIFETIME = Duration.ofHours(12);

    private static final Duration TOKEN_REUSE = Duration.ofHours(1);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http;
    private final Vertx vertx;
    private final Map<String, Token> tokens = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param vertx  the HTTP client's Vert.x
     * @param config {@code parley.push.vapid.*}: the keys (or their file) and the subject; without keys Web Push is off
     */
    public WebPushSender(Vertx vertx, NotificationConfig.Push config) {
        NotificationConfig.Vapid vapid = config.vapid();
        Optional<String> publicKey = vapid.publicKey();
        Optional<String> privateKey = vapid.privateKey();
        Optional<String> keysFile = vapid.keysFile();
        String subject = vapid.subject();
        if (publicKey.isPresent() && privateKey.isPresent()) {
            keys = Optional.of(VapidKeys.create(publicKey.get(), privateKey.get()));
        } else if (keysFile.isPresent()) {
            keys = Optional.of(VapidKeys.load(Path.of(keysFile.get()), true));
        } else {
            Log.warn("No VAPID keys (PARLEY_PUSH_VAPID_PUBLIC_KEY and _PRIVATE_KEY, or _KEYS_FILE): Web Push is off");
            keys = Optional.empty();
        }
        webPush = keys.map(k -> new WebPush(subject, k));
        this.vertx = vertx;
        http = vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(true)
                .setConnectTimeout((int) PushTimes.CONNECT_TIMEOUT.toMillis())
                .setIdleTimeout((int) IDLE_TIMEOUT.toSeconds())
                .setMaxPoolSize(64));
    }

    /**
     * @return the VAPID public key for browsers' pushManager.subscribe (the uncompressed point, base64url); empty
     *         when Web Push is off
     */
    public Optional<String> applicationServerKey() {
        return keys.map(k -> Base64.getUrlEncoder().withoutPadding().encodeToString(k.getApplicationServerKey()));
    }

    /**
     * Sends {@code payload} to the subscription's endpoint; {@code topic} collapses alerts (a newer one with the same
     * topic replaces an undelivered older one).
     *
     * @return the push service's answer as an outcome (never a failure: unreachable is an outcome too)
     */
    public Uni<PushOutcome> send(PushSubscription subscription, String payload, String topic) {
        if (webPush.isEmpty()) {
            return Uni.createFrom().item(PushOutcome.notConfigured());
        }
        // The encryption (a key pair and an ECDH agreement per push) runs on a worker thread, not the event loop.
        return vertx.executeBlocking(
                        () -> {
                            WebPush push = webPush.get();
                            PushRequest built =
                                    request(push, token(push, subscription.address()), subscription, payload, topic);
                            RequestOptions request = new RequestOptions()
                                    .setMethod(HttpMethod.POST)
                                    .setAbsoluteURI(subscription.address())
                                    .setTimeout(PushTimes.REQUEST_TIMEOUT.toMillis());
                            built.headers().forEach(request::putHeader);
                            return Map.entry(request, built.body());
                        },
                        false)
                .chain(prepared ->
                        http.request(prepared.getKey()).chain(r -> r.send(Buffer.buffer(prepared.getValue()))))
                .map(response -> PushOutcome.of(response.statusCode(), response.getHeader("Retry-After")))
                .onFailure()
                .recoverWithItem(e -> PushOutcome.unreachable(e.toString()));
    }

    /**
     * The VAPID token for a push service (the endpoint's origin), signed once and reused for an hour: it is valid
     * for twelve.
     */
    private String token(WebPush push, String endpoint) {
        String audience = push.getAudience(endpoint);
        Instant now = Instant.now();
        Token cached = tokens.get(audience);
        if (cached == null || cached.signedAt().isBefore(now.minus(TOKEN_REUSE))) {
            cached = new Token(push.getToken(audience, (int) TOKEN_LIFETIME.toSeconds()), now);
            tokens.put(audience, cached);
        }
        return cached.jwt();
    }

    private record Token(String jwt, Instant signedAt) {}

    /** A Web Push request but its URL: the headers (VAPID authorization, TTL, Topic, Urgency...) and the body. */
    record PushRequest(Map<String, String> headers, byte[] body) {}

    /**
     * The request for one push: {@code payload} encrypted for the subscription's keys (aes128gcm), kept a day
     * ({@link PushTimes#TTL}) by the push service, collapsed by {@code topic}, normal urgency. Pure but for the
     * encryption's random key.
     */
    static PushRequest request(
            WebPush push, String token, PushSubscription subscription, String payload, String topic) {
        Map<String, String> headers =
                push.getHeadersWithToken(token, (int) PushTimes.TTL.toSeconds(), topic, WebPush.Urgency.Normal);
        byte[] body = push.getBody(
                payload.getBytes(StandardCharsets.UTF_8),
                Base64.getUrlDecoder().decode(subscription.p256dh()),
                Base64.getUrlDecoder().decode(subscription.auth()));
        return new PushRequest(headers, body);
    }
}
