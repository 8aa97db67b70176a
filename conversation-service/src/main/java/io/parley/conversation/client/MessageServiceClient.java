package io.parley.conversation.client;

import io.parley.conversation.ConversationConfig;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;

/**
 * The message-service's internal API, as this service uses it: {@code POST /internal/replica/sync}, which answers
 * {@code 204} once the message-service's replica of membership has applied every conversation event published so far
 * for a conversation. Non-blocking (Vert.x HTTP client); a call never fails, it answers whether the replica is known
 * to be up to date.
 */
@ApplicationScoped
public class MessageServiceClient {

    private static final String SYNC_PATH = "/internal/replica/sync";

    private final HttpClient http;
    private final URI base;
    private final Duration timeout;

    /** A client of the message-service at {@code parley.message.url}, each call bounded by its sync-timeout. */
    public MessageServiceClient(Vertx vertx, ConversationConfig config) {
        this.base = config.message().url();
        this.timeout = config.message().syncTimeout();
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(true)
                .setMaxPoolSize(16)
                .setTcpNoDelay(true)
                .setConnectTimeout((int) Math.max(1, timeout.toMillis())));
    }

    /**
     * Asks the message-service to apply what was published for {@code conversationId}, on behalf of the caller whose
     * {@code authorization} header (as it came, {@code Bearer ...}) is forwarded.
     *
     * @return true on {@code 204}; false on any other answer, on a refused connection, or when no answer came within
     *         {@code parley.message.sync-timeout}
     */
    public Uni<Boolean> syncReplica(UUID conversationId, String authorization) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(host())
                .setPort(port())
                .setURI(path())
                .setSsl("https".equals(base.getScheme()))
                .setIdleTimeout(Math.max(1, timeout.toMillis()))
                .putHeader("Content-Type", "application/json");
        if (authorization != null) {
            options.putHeader("Authorization", authorization);
        }
        Buffer body = Buffer.buffer(new JsonObject()
                .put("conversationId", conversationId.toString())
                .encode());
        return http.request(options)
                .chain(request -> request.send(body))
                .chain(response -> response.body().map(ignored -> response.statusCode()))
                .map(status -> {
                    if (status != 204) {
                        Log.warnf("message-service replica sync of %s answered %d", conversationId, status);
                    }
                    return status == 204;
                })
                .ifNoItem()
                .after(timeout)
                .fail()
                .onFailure()
                .recoverWithItem(failure -> {
                    Log.warnf("message-service replica sync of %s failed: %s", conversationId, failure.toString());
                    return false;
                });
    }

    private String host() {
        return base.getHost();
    }

    private int port() {
        if (base.getPort() > 0) {
            return base.getPort();
        }
        return "https".equals(base.getScheme()) ? 443 : 80;
    }

    private String path() {
        String prefix = base.getRawPath() == null ? "" : base.getRawPath();
        if (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        return prefix + SYNC_PATH;
    }
}
