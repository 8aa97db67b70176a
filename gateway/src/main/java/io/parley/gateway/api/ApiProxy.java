package io.parley.gateway.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.httpproxy.HttpProxy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * Forwards {@code /api/**} to the service that owns the path, with status, headers and body as they are
 * (problem+json included). The services verify the caller's token themselves.
 */
@ApplicationScoped
public class ApiProxy {

    private static final Pattern MESSAGE_PATHS = Pattern.compile("^/api/conversations/[^/]+/(messages|read)(/.*)?$");

    private final SocketAddress conversations;
    private final SocketAddress messages;
    private final SocketAddress notifications;

    public ApiProxy(@ConfigProperty(name = "parley.conversation.url") URI conversations,
                    @ConfigProperty(name = "parley.message.url") URI messages,
                    @ConfigProperty(name = "parley.notification.url") URI notifications) {
        this.conversations = address(conversations);
        this.messages = address(messages);
        this.notifications = address(notifications);
    }

    void install(@Observes Router router, Vertx vertx) {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(64)
                .setTcpNoDelay(true));
        HttpProxy proxy = HttpProxy.reverseProxy(client)
                .originSelector(request -> Future.succeededFuture(owner(request.path())));
        router.route("/api/*").order(-100).handler(context -> proxy.handle(context.request()));
    }

    /** The service that owns {@code path}. */
    SocketAddress owner(String path) {
        if (path.startsWith("/api/push/") || path.equals("/api/push")) {
            return notifications;
        }
        if (MESSAGE_PATHS.matcher(path).matches()) {
            return messages;
        }
        return conversations;
    }

    private static SocketAddress address(URI uri) {
        return SocketAddress.inetSocketAddress(uri.getPort(), uri.getHost());
    }
}
