package io.parley.notification.push;

import com.interaso.webpush.VapidKeys;
import com.interaso.webpush.WebPush;
import io.parley.notification.domain.PushSubscription;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Web Push (RFC 8030) with the payload encrypted as aes128gcm (RFC 8291) and VAPID (RFC 8292), by the
 * com.interaso:webpush library; the request itself goes through Vert.x, so a slow push service holds no thread.
 */
@ApplicationScoped
public class WebPushSender {

    /** How long a push service keeps an alert for a device that is offline: a day. */
    static final int TTL_SECONDS = 24 * 60 * 60;

    private final Optional<WebPush> webPush;
    private final Optional<VapidKeys> keys;
    private static final int TOKEN_LIFETIME_SECONDS = 12 * 60 * 60;
    private static final long TOKEN_REUSE_MS = 60 * 60 * 1000L;

    private final HttpClient http;
    private final Vertx vertx;
    private final Map<String, Token> tokens = new java.util.concurrent.ConcurrentHashMap<>();

    public WebPushSender(Vertx vertx,
                         @ConfigProperty(name = "parley.push.vapid.public-key") Optional<String> publicKey,
                         @ConfigProperty(name = "parley.push.vapid.private-key") Optional<String> privateKey,
                         @ConfigProperty(name = "parley.push.vapid.keys-file") Optional<String> keysFile,
                         @ConfigProperty(name = "parley.push.vapid.subject") String subject) {
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
        http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000)
                .setIdleTimeout(60).setMaxPoolSize(64));
    }

    /** The VAPID public key for browsers' pushManager.subscribe: the uncompressed point, base64url. */
    public Optional<String> applicationServerKey() {
        return keys.map(k -> Base64.getUrlEncoder().withoutPadding().encodeToString(k.getApplicationServerKey()));
    }

    /**
     * Sends {@code payload} to the subscription's endpoint; {@code topic} collapses alerts (a newer one with the same
     * topic replaces an undelivered older one). Answers the push service's status and Retry-After.
     */
    public Uni<PushOutcome> send(PushSubscription subscription, String payload, String topic) {
        if (webPush.isEmpty()) {
            return Uni.createFrom().item(PushOutcome.notConfigured());
        }
        // The encryption (a key pair and an ECDH agreement per push) runs on a worker thread, not the event loop.
        return vertx.executeBlocking(() -> {
                    WebPush push = webPush.get();
                    Map<String, String> headers = push.getHeadersWithToken(token(push, subscription.address()),
                            TTL_SECONDS, topic, WebPush.Urgency.Normal);
                    byte[] body = push.getBody(payload.getBytes(StandardCharsets.UTF_8),
                            Base64.getUrlDecoder().decode(subscription.p256dh()),
                            Base64.getUrlDecoder().decode(subscription.auth()));
                    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST)
                            .setAbsoluteURI(subscription.address()).setTimeout(10_000);
                    headers.forEach(request::putHeader);
                    return Map.entry(request, body);
                }, false)
                .chain(prepared -> http.request(prepared.getKey())
                        .chain(r -> r.send(Buffer.buffer(prepared.getValue()))))
                .map(response -> PushOutcome.of(response.statusCode(), response.getHeader("Retry-After")))
                .onFailure().recoverWithItem(e -> PushOutcome.unreachable(e.toString()));
    }

    /**
     * The VAPID token for a push service (the endpoint's origin), signed once and reused for an hour: it is valid
     * for twelve.
     */
    private String token(WebPush push, String endpoint) {
        String audience = push.getAudience(endpoint);
        long now = System.currentTimeMillis();
        Token cached = tokens.get(audience);
        if (cached == null || cached.signedAt() < now - TOKEN_REUSE_MS) {
            cached = new Token(push.getToken(audience, TOKEN_LIFETIME_SECONDS), now);
            tokens.put(audience, cached);
        }
        return cached.jwt();
    }

    private record Token(String jwt, long signedAt) {
    }

    /** A topic for the conversation: at most 32 characters of the URL-safe base64 alphabet (RFC 8030). */
    static String topic(UUID conversationId) {
        return conversationId.toString().replace("-", "");
    }
}
