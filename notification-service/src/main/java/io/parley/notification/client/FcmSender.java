package io.parley.notification.client;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import io.parley.notification.domain.NotificationConfig;
import io.parley.notification.domain.PushSubscription;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Firebase Cloud Messaging through its HTTP v1 API: an OAuth2 access token from the service account's credentials
 * (Google's auth library signs the assertion, fetches and refreshes the token), then one request per device through
 * Vert.x. The collapse key (Android) and apns-collapse-id (iOS through FCM) are the conversation, and the badge is the
 * user's total unread.
 */
@ApplicationScoped
public class FcmSender {

    private static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";

    private final Optional<GoogleCredentials> credentials;
    private final String projectId;
    private final String url;
    private final HttpClient http;
    private final Vertx vertx;

    /**
     * @param vertx  the HTTP client's Vert.x
     * @param config {@code parley.push.fcm.*}: the service account's key file (without it FCM is off), the project, the
     *               API's URL
     */
    public FcmSender(Vertx vertx, NotificationConfig.Push config) {
        Optional<String> credentialsFile = config.fcm().credentialsFile();
        Optional<String> projectId = config.fcm().projectId();
        String url = config.fcm().url();
        this.vertx = vertx;
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        if (credentialsFile.isEmpty()) {
            Log.info("No FCM service account (PARLEY_PUSH_FCM_CREDENTIALS_FILE): FCM alerts are off");
            this.credentials = Optional.empty();
            this.projectId = null;
        } else {
            try (InputStream in = Files.newInputStream(Path.of(credentialsFile.get()))) {
                ServiceAccountCredentials account = ServiceAccountCredentials.fromStream(in);
                this.credentials = Optional.of(account.createScoped(List.of(SCOPE)));
                this.projectId = projectId.orElse(account.getProjectId());
            } catch (IOException e) {
                throw new UncheckedIOException("FCM credentials not readable: " + credentialsFile.get(), e);
            }
        }
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(true)
                .setConnectTimeout((int) PushTimes.CONNECT_TIMEOUT.toMillis())
                .setMaxPoolSize(32));
    }

    /**
     * Sends the alert to the device's FCM token.
     *
     * @param alert       the alert's JSON (title, body, badge and the fields for the app)
     * @param collapseKey the conversation's key: a newer alert replaces an undelivered older one
     * @return FCM's answer as an outcome (never a failure: unreachable is an outcome too)
     */
    public Uni<PushOutcome> send(PushSubscription device, JsonObject alert, String collapseKey) {
        if (credentials.isEmpty()) {
            return Uni.createFrom().item(PushOutcome.notConfigured());
        }
        // The token comes from the credentials' cache; a refresh is a blocking HTTP call, kept off the event loop.
        return vertx.executeBlocking(
                        () -> {
                            credentials.get().refreshIfExpired();
                            return credentials.get().getAccessToken().getTokenValue();
                        },
                        false)
                .chain(token -> http.request(new RequestOptions()
                                .setMethod(HttpMethod.POST)
                                .setAbsoluteURI(url + "/v1/projects/" + projectId + "/messages:send")
                                .putHeader("Authorization", "Bearer " + token)
                                .putHeader("Content-Type", "application/json; charset=UTF-8")
                                .setTimeout(PushTimes.REQUEST_TIMEOUT.toMillis()))
                        .chain(r -> r.send(Buffer.buffer(message(device.address(), alert, collapseKey)
                                        .encode()))
                                .chain(response -> response.body()
                                        .map(body -> outcome(
                                                response.statusCode(),
                                                response.getHeader("Retry-After"),
                                                body.toString())))))
                .onFailure()
                .recoverWithItem(e -> PushOutcome.unreachable(e.toString()));
    }

    /**
     * The FCM v1 request body: the alert's fields as string data for the app, a visible notification (title, body),
     * Android's collapse key, tag and count, and the apns-collapse-id and badge for iOS.
     */
    static JsonObject message(String token, JsonObject alert, String collapseKey) {
        JsonObject data = new JsonObject();
        alert.forEach(field -> {
            if (field.getValue() != null) {
                data.put(field.getKey(), String.valueOf(field.getValue()));
            }
        });
        JsonObject notification = new JsonObject().put("title", alert.getString("title"));
        if (alert.getString("body") != null) {
            notification.put("body", alert.getString("body"));
        }
        long badge = alert.getLong("badge", 0L);
        return new JsonObject()
                .put(
                        "message",
                        new JsonObject()
                                .put("token", token)
                                .put("data", data)
                                .put("notification", notification)
                                .put(
                                        "android",
                                        new JsonObject()
                                                .put("collapse_key", collapseKey)
                                                .put(
                                                        "notification",
                                                        new JsonObject()
                                                                .put("tag", collapseKey)
                                                                .put("notification_count", badge)))
                                .put(
                                        "apns",
                                        new JsonObject()
                                                .put("headers", new JsonObject().put("apns-collapse-id", collapseKey))
                                                .put(
                                                        "payload",
                                                        new JsonObject()
                                                                .put("aps", new JsonObject().put("badge", badge)))));
    }

    /** FCM v1 answers: 200 taken; 404 or UNREGISTERED, the token is gone; 429 and 5xx, retry; the rest refused. */
    static PushOutcome outcome(int status, String retryAfter, String body) {
        if (status == 200) {
            return PushOutcome.of(200, null);
        }
        if (status == 404 || errorCode(body).filter("UNREGISTERED"::equals).isPresent()) {
            return PushOutcome.of(410, null);
        }
        return PushOutcome.of(status, retryAfter);
    }

    private static Optional<String> errorCode(String body) {
        try {
            JsonArray details = new JsonObject(body)
                    .getJsonObject("error", new JsonObject())
                    .getJsonArray("details", new JsonArray());
            for (Object detail : details) {
                if (detail instanceof JsonObject d && d.getString("errorCode") != null) {
                    return Optional.of(d.getString("errorCode"));
                }
            }
        } catch (RuntimeException notJson) {
            // no code to read
        }
        return Optional.empty();
    }
}
