package io.parley.gateway.delivery;

import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.net.SocketAddress;
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
 * The HTTP connection is captured at the upgrade, keyed by the TCP connection's two addresses (remote and local host
 * and port), which no two open connections share; never by a header that the client chooses (two clients may send
 * the same Sec-WebSocket-Key, and one would then be handed the other's connection).
 */
@ApplicationScoped
public class Backpressure {

    private static final Method UNDERLYING = underlyingAccessor();

    /** One TCP connection: its remote and local address. */
    record Key(String remoteHost, int remotePort, String localHost, int localPort) {

        /** The key of the connection between {@code remote} and {@code local}, or null if either is unknown. */
        static Key of(SocketAddress remote, SocketAddress local) {
            if (remote == null || local == null) {
                return null;
            }
            return new Key(remote.hostAddress(), remote.port(), local.hostAddress(), local.port());
        }
    }

    private final Map<Key, HttpConnection> upgrading = new ConcurrentHashMap<>();

    void capture(@Observes Router router) {
        router.route("/ws").order(-200).handler(context -> {
            HttpConnection connection = context.request().connection();
            Key key = Key.of(connection.remoteAddress(), connection.localAddress());
            if (key != null && upgrading.put(key, connection) == null) {
                connection.closeHandler(v -> upgrading.remove(key, connection));
            }
            context.next();
        });
    }

    /** The HTTP connection under an open WebSocket, found by its TCP addresses (once); null if unknown. */
    public HttpConnection take(WebSocketConnection connection) {
        WebSocketBase socket = underlying(connection);
        if (socket == null) {
            return null;
        }
        Key key = Key.of(socket.remoteAddress(), socket.localAddress());
        return key == null ? null : upgrading.remove(key);
    }

    /**
     * Cuts the TCP connection under a WebSocket. Neither {@link HttpConnection#close()} nor a close of the Netty
     * channel would: once upgraded, Vert.x turns either into a close frame and waits for the client's answer, which a
     * client that is gone, or that does not read, never sends. The close is therefore asked of the first handler of
     * the channel's pipeline, which passes it straight to the socket; Vert.x then sees the connection end, as when
     * the client drops it, and the connection's close callbacks run.
     */
    static void cut(HttpConnection tcp) {
        if (tcp instanceof io.vertx.core.net.impl.ConnectionBase base) {
            io.netty.channel.ChannelHandlerContext first =
                    base.channel().pipeline().firstContext();
            if (first != null) {
                first.close();
                return;
            }
        }
        tcp.close();
    }

    /**
     * The bytes written to {@code tcp} that the network has not taken yet (Netty's outbound buffer of the channel): a
     * client that stops reading makes them grow. 0 when unknown or closed.
     */
    static long queuedBytes(HttpConnection tcp) {
        if (tcp instanceof io.vertx.core.net.impl.ConnectionBase base) {
            io.netty.channel.ChannelOutboundBuffer buffer =
                    base.channel().unsafe().outboundBuffer();
            return buffer == null ? 0 : buffer.totalPendingWriteBytes();
        }
        return 0;
    }

    /** The event loop of the channel under {@code tcp}, or null when unknown. */
    static io.netty.channel.EventLoop eventLoop(HttpConnection tcp) {
        return tcp instanceof io.vertx.core.net.impl.ConnectionBase base
                ? base.channel().eventLoop()
                : null;
    }

    /** The Vert.x WebSocket under {@code connection}, or null if this Quarkus version hides it. */
    static WebSocketBase underlying(WebSocketConnection connection) {
        if (UNDERLYING == null) {
            return null;
        }
        try {
            return (WebSocketBase) UNDERLYING.invoke(connection);
        } catch (ReflectiveOperationException | ClassCastException | IllegalArgumentException e) {
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
