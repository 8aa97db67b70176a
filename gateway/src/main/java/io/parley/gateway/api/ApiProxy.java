package io.parley.gateway.api;

import io.parley.gateway.config.GatewayConfig;
import io.parley.kit.BodySizeLimit;
import io.parley.kit.LingeringClose;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.httpproxy.HttpProxy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * Forwards {@code /api/**} to the service that owns the path, with status, headers and body as they are
 * (problem+json included). The services verify the caller's token themselves.
 *
 * <p>Bodies are piped both ways with back-pressure (Vert.x {@link HttpProxy}): an upload reaches its service while
 * it is still being sent, and a download reaches the client while the service is still writing it; neither is ever
 * held whole here. Request headers ({@code Range}, {@code If-None-Match}, {@code If-Range}, ...) and response
 * statuses and headers ({@code 206}, {@code 304}, {@code 416}, {@code Content-Range}, {@code ETag},
 * {@code Content-Disposition}, ...) pass unchanged; only the hop-by-hop headers of RFC 9110 section 7.6.1 are not
 * forwarded.
 *
 * <p>A request whose {@code Content-Length} is over {@code parley.gateway.max-body-size} is answered {@code 413}
 * problem+json here, without reaching any service; its connection is closed once the rest of the body is
 * discarded. This route runs before Quarkus's
 * own body limit ({@code quarkus.http.limits.max-body-size}), which therefore never applies to {@code /api}. A body
 * sent without a length (chunked) is forwarded as it comes: the service it reaches counts it (the message-service
 * answers {@code 413} for a file over {@code parley.files.max-size}).
 */
@ApplicationScoped
public class ApiProxy {

    private static final Pattern MESSAGE_PATHS =
            Pattern.compile("^/api/conversations/[^/]+/(messages|read|attachments)(/.*)?$|^/api/attachments(/.*)?$");

    private final SocketAddress conversations;
    private final SocketAddress messages;
    private final SocketAddress notifications;
    private final long maxBodySize;

    /**
     * @param config the services' URLs ({@code parley.*.url}) and the largest {@code Content-Length} forwarded
     *               ({@code parley.gateway.max-body-size}, 32 MiB by default: a file of the message-service's 25 MiB
     *               limit and its multipart envelope)
     */
    @Inject
    public ApiProxy(GatewayConfig config) {
        this(
                config.conversation().url(),
                config.message().url(),
                config.notification().url(),
                config.gateway().maxBodySize());
    }

    /**
     * @param conversations the conversation-service's base URL
     * @param messages      the message-service's base URL
     * @param notifications the notification-service's base URL
     * @param maxBodySize   the largest {@code Content-Length} forwarded
     */
    ApiProxy(URI conversations, URI messages, URI notifications, MemorySize maxBodySize) {
        this.conversations = address(conversations);
        this.messages = address(messages);
        this.notifications = address(notifications);
        this.maxBodySize = maxBodySize.asLongValue();
    }

    void install(@Observes Router router, Vertx vertx) {
        HttpClient client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(64).setTcpNoDelay(true));
        HttpProxy proxy =
                HttpProxy.reverseProxy(client).originSelector(request -> Future.succeededFuture(owner(request.path())));
        router.route("/api/*").order(-100).handler(context -> {
            HttpServerRequest request = context.request();
            if (tooLarge(request.getHeader("Content-Length"), maxBodySize)) {
                refuseTooLarge(request);
                return;
            }
            proxy.handle(request);
        });
    }

    /**
     * The service that owns {@code path}: the notification-service for {@code /api/push/**}; the message-service for
     * a conversation's {@code messages}, {@code read} and {@code attachments} (and what is under them) and for
     * {@code /api/attachments/**}; the conversation-service for everything else.
     */
    SocketAddress owner(String path) {
        if (path.startsWith("/api/push/") || path.equals("/api/push")) {
            return notifications;
        }
        if (MESSAGE_PATHS.matcher(path).matches()) {
            return messages;
        }
        return conversations;
    }

    /**
     * Whether a {@code Content-Length} header value announces more than {@code limit} bytes (a number beyond 64 bits
     * does). An absent value, or one that is not a decimal number, is not judged here (the HTTP server refuses a
     * malformed length before this route).
     */
    static boolean tooLarge(String contentLength, long limit) {
        return BodySizeLimit.announcedLength(contentLength) > limit;
    }

    /**
     * {@code 413} problem+json (RFC 9457); the rest of the body is read and discarded, then the connection is closed
     * ({@link LingeringClose}).
     */
    private void refuseTooLarge(HttpServerRequest request) {
        LingeringClose.refuse(
                request,
                413,
                "Request Entity Too Large",
                "The request body is larger than " + maxBodySize + " bytes, the gateway's limit.");
    }

    private static SocketAddress address(URI uri) {
        return SocketAddress.inetSocketAddress(uri.getPort(), uri.getHost());
    }
}
