package io.parley.gateway.delivery;

import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.WebSocketBase;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the gateway needs to drop a client that stopped reading, which websockets-next does not expose: whether the
 * connection's outbound queue is full (Vert.x's {@code writeQueueFull} on the WebSocket under the connection), and
 * the HTTP connection under it, to cut a connection whose close frame cannot get through its full queue.
 * The HTTP connection is captured at the upgrade, keyed by the request's Sec-WebSocket-Key.
 */
@ApplicationScoped
public class Backpressure {

    private static final Method UNDERLYING = underlyingAccessor();

    private final Map<String, HttpConnection> upgrading = new ConcurrentHashMap<>();

    void capture(@Observes Router router) {
        router.route("/ws").order(-200).handler(context -> {
            String key = context.request().getHeader("Sec-WebSocket-Key");
            if (key != null) {
                HttpConnection connection = context.request().connection();
                upgrading.put(key, connection);
                connection.closeHandler(v -> upgrading.remove(key));
            }
            context.next();
        });
    }

    /** The HTTP connection under an open WebSocket, found by its handshake key (once). */
    public HttpConnection take(WebSocketConnection connection) {
        String key = connection.handshakeRequest().header("Sec-WebSocket-Key");
        return key == null ? null : upgrading.remove(key);
    }

    /** The Vert.x WebSocket under {@code connection}, or null if this Quarkus version hides it. */
    static WebSocketBase underlying(WebSocketConnection connection) {
        if (UNDERLYING == null) {
            return null;
        }
        try {
            return (WebSocketBase) UNDERLYING.invoke(connection);
        } catch (ReflectiveOperationException | ClassCastException e) {
            return null;
        }
    }

    private static Method underlyingAccessor() {
        try {
            Method method = Class.forName("io.quarkus.websockets.next.runtime.WebSocketConnectionBase")
                    .getDeclaredMethod("webSocket");
            method.setAccessible(true);
            return method;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
