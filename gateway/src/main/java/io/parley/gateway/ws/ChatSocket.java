package io.parley.gateway.ws;

import io.parley.events.Role;
import io.parley.gateway.delivery.Backpressure;
import io.parley.gateway.delivery.Session;
import io.parley.gateway.delivery.SessionRegistry;
import io.parley.gateway.delivery.Typing;
import io.parley.gateway.delivery.Utf8Guard;
import io.parley.gateway.metrics.GatewayMetrics;
import io.parley.gateway.presence.PresenceRegistry;
import io.parley.gateway.protocol.ClientFrame;
import io.parley.gateway.protocol.Decoded;
import io.parley.gateway.protocol.FrameCodec;
import io.parley.gateway.protocol.ServerFrame;
import io.quarkus.logging.Log;
import io.quarkus.security.Authenticated;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The client's WebSocket: authenticated on the HTTP upgrade, JSON text frames as docs/api.md describes. It keeps the
 * connection's life (open, pongs, errors, close) and dispatches each decoded frame ({@link FrameCodec}) to its
 * handler: {@link SendHandler}, {@link ResumeHandler}, {@link AuthHandler}, {@link ReadHandler}, {@link Typing}.
 *
 * <p>Every callback takes the connection as a parameter rather than through the injectable {@code WebSocketConnection},
 * a proxy that needs the connection's session context: frames a client pipelined behind a frame over the limit reach
 * {@code @OnTextMessage} (and then {@code @OnClose}) after Quarkus has ended that context, and the proxy failed there,
 * which closed the connection with 1011 instead of 1009 and left its session and presence behind.
 */
@WebSocket(path = "/ws")
@Authenticated
public class ChatSocket {

    private static final UserData.TypedKey<Session> SESSION = new UserData.TypedKey<>("session");
    private static final CloseReason TOO_BIG = new CloseReason(1009, "a frame is at most 64 KiB");
    private static final CloseReason NO_ROLE = new CloseReason(1008, "the token names no known role");

    private final JsonWebToken jwt;
    private final PresenceRegistry presence;
    private final SessionRegistry sessions;
    private final UpgradeLimits limits;
    private final Typing typing;
    private final Backpressure backpressure;
    private final io.vertx.core.Vertx vertx;
    private final SendHandler sends;
    private final ResumeHandler resumes;
    private final AuthHandler auths;
    private final ReadHandler reads;
    private final GatewayMetrics metrics;
    /**
     * How long after the welcome live messages wait for the resume of a client that connected with
     * {@code ?resume=1}: generous, since a loaded gateway may take seconds to read it, and only a client that
     * promised a resume and did not send one waits that long.
     */
    static final Duration RESUME_WAIT = Duration.ofSeconds(30);

    public ChatSocket(
            JsonWebToken jwt,
            PresenceRegistry presence,
            SessionRegistry sessions,
            UpgradeLimits limits,
            Typing typing,
            Backpressure backpressure,
            io.vertx.core.Vertx vertx,
            SendHandler sends,
            ResumeHandler resumes,
            AuthHandler auths,
            ReadHandler reads,
            GatewayMetrics metrics) {
        this.jwt = jwt;
        this.presence = presence;
        this.sessions = sessions;
        this.limits = limits;
        this.typing = typing;
        this.backpressure = backpressure;
        this.vertx = vertx;
        this.sends = sends;
        this.resumes = resumes;
        this.auths = auths;
        this.reads = reads;
        this.metrics = metrics;
    }

    /**
     * Registers the connection (presence, deliveries) and sends the welcome. A token with no known role never gets
     * here (the upgrade is refused with 403 by {@code RoleRequired}); should one, it is closed with 1008. A connection
     * beyond the user's limit that raced past the upgrade's check ({@link UpgradeLimits}) is closed with 1008 too.
     */
    @OnOpen
    public Uni<Void> onOpen(WebSocketConnection connection) {
        String userId = jwt.getSubject();
        java.util.Optional<Role> found = Role.find(jwt.getGroups());
        if (found.isEmpty()) {
            return connection.close(NO_ROLE);
        }
        Role role = found.get();
        // The connection itself (a callback parameter), not the injectable session-scoped proxy: deliveries from Kafka
        // use it outside any callback.
        WebSocketConnection self = connection;
        io.vertx.core.http.HttpConnection tcp = backpressure.take(self);
        Utf8Guard.install(tcp);
        if (!limits.tryOpen(userId)) {
            // raced past the upgrade's check (UpgradeLimits) with other upgrades of the same user
            return connection.close(UpgradeLimits.TOO_MANY);
        }
        Session session = new Session(self, userId, role, jwt.getRawToken(), jwt.getExpirationTime(), tcp, metrics);
        boolean resumesFirst = resumesFirst(connection.handshakeRequest().query());
        if (resumesFirst) {
            session.holdUntilResume();
        }
        connection.userData().put(SESSION, session);
        String welcome = FrameCodec.encode(new ServerFrame.Welcome(userId, connection.id()));
        // welcome is the first frame: the connection receives deliveries only once it is written.
        Object name = jwt.getClaim("name");
        return presence.opened(userId, role, connection.id(), name instanceof String text ? text : null)
                .invoke(() -> metrics.frameSent(welcome))
                .chain(() -> self.sendText(welcome))
                // the client answers the welcome with its resume; if none comes, live messages flow after a while
                .invoke(() -> {
                    if (resumesFirst) {
                        vertx.setTimer(RESUME_WAIT.toMillis(), id -> session.releaseHold());
                    }
                })
                .invoke(() -> sessions.add(session));
    }

    /** {@code resume=1} (or {@code true}) in the handshake's query: the client sends {@code resume} first. */
    static boolean resumesFirst(String query) {
        if (query == null) {
            return false;
        }
        for (String pair : query.split("&")) {
            if (pair.equals("resume=1") || pair.equals("resume=true")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Answers a frame with at most one frame; some frames (typing, read) have no answer when they work. A frame that
     * cannot be handled for a reason of the gateway's own is answered {@code unavailable}, never by closing.
     */
    @OnTextMessage
    public Uni<Void> onText(String text, WebSocketConnection connection) {
        Session session = connection.userData().get(SESSION);
        if (session != null) {
            session.spoke();
        }
        return Uni.createFrom()
                .deferred(() -> answer(session, text))
                .onFailure()
                .recoverWithItem(e -> {
                    Log.errorf(e, "frame not handled on connection %s", connection.id());
                    return ServerFrame.Error.of(null, "unavailable", "The frame was not handled; send it again.");
                })
                .chain(frame -> frame == null
                        ? Uni.createFrom().voidItem()
                        : write(session, connection, FrameCodec.encode(frame)));
    }

    /**
     * An answer, written behind the frames the connection was given before it (a resume's replay comes before its
     * {@code resumed}): through the session's queue, or straight on the connection before it has a session.
     */
    private Uni<Void> write(Session session, WebSocketConnection connection, String text) {
        if (session != null) {
            session.sendNow(text);
            return Uni.createFrom().voidItem();
        }
        metrics.frameSent(text);
        return connection.sendText(text);
    }

    /** A pong (the answer to the server's pings, or one the client sends on its own): the client is still there. */
    @OnPongMessage
    @NonBlocking // on the connection's event loop: a void callback would otherwise go to a worker thread, every pong
    public void onPong(Buffer data, WebSocketConnection connection) {
        Session session = connection.userData().get(SESSION);
        if (session != null) {
            session.heard();
        }
    }

    /**
     * Decodes the frame and hands it to its handler; a frame that cannot be decoded is answered with its refusal
     * (and a resume that cannot be read holds nothing back).
     */
    private Uni<ServerFrame> answer(Session session, String text) {
        Decoded decoded = FrameCodec.decode(text);
        if (decoded instanceof Decoded.Refused refused) {
            metrics.frameReceived(refused.type());
            if ("resume".equals(refused.type())) {
                resumes.refused(session);
            } else if ("send".equals(refused.type())) {
                metrics.sendAnswered(refused.error().code());
            }
            return reply(refused.error());
        }
        ClientFrame frame = ((Decoded.Frame) decoded).frame();
        if (frame instanceof ClientFrame.Ping ping) {
            metrics.frameReceived("ping");
            return reply(new ServerFrame.Pong(ping.ref()));
        } else if (frame instanceof ClientFrame.Send send) {
            metrics.frameReceived("send");
            return sends.handle(session, send)
                    .invoke(answer ->
                            metrics.sendAnswered(answer instanceof ServerFrame.Error error ? error.code() : "ack"));
        } else if (frame instanceof ClientFrame.Auth auth) {
            metrics.frameReceived("auth");
            return reply(auths.handle(session, auth));
        } else if (frame instanceof ClientFrame.Typing t) {
            metrics.frameReceived("typing");
            return typing.publish(session, t.ref(), t.conversationId(), t.state());
        } else if (frame instanceof ClientFrame.Read read) {
            metrics.frameReceived("read");
            return reads.handle(session, read);
        } else if (frame instanceof ClientFrame.Resume resume) {
            metrics.frameReceived("resume");
            return resumes.handle(session, resume);
        }
        throw new IllegalStateException("no handler for " + frame.getClass().getSimpleName());
    }

    /**
     * A message over the size limit is the client's doing: close with 1009 (message too big), as the contract says,
     * without an error in the log. Anything else closes with 1011 and is logged.
     */
    @OnError
    public Uni<Void> onError(IllegalStateException failure, WebSocketConnection connection) {
        CloseReason reason =
                failure.getMessage() != null && failure.getMessage().contains("max message size")
                        ? TOO_BIG
                        : new CloseReason(1011, "server error");
        if (reason != TOO_BIG) {
            Log.errorf(failure, "closing connection %s", connection.id());
        }
        Session session = connection.userData().get(SESSION);
        if (session != null) {
            session.closing((short) reason.getCode());
        }
        return connection.close(reason);
    }

    /**
     * A frame the WebSocket decoder refused (over the 1 MiB a frame is read to, or not a valid frame): the client's
     * doing, so no error is logged; the decoder has already cut the connection, and a close is tried in case it has
     * not. {@link #onClose} forgets it.
     */
    @OnError
    public Uni<Void> onCorruptFrame(
            io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException failure,
            WebSocketConnection connection) {
        Log.debugf("connection %s sent a frame the decoder refused: %s", connection.id(), failure.getMessage());
        Session session = connection.userData().get(SESSION);
        if (session != null) {
            session.closing((short) TOO_BIG.getCode());
        }
        if (!connection.isOpen()) {
            return Uni.createFrom().voidItem();
        }
        return connection.close(TOO_BIG).onFailure().recoverWithNull();
    }

    /**
     * Forgets the connection (deliveries, presence) and counts its close by code: the gateway's own when it closed the
     * connection, else the client's, else 1006 (no close frame).
     */
    @OnClose
    public Uni<Void> onClose(WebSocketConnection connection) {
        Session session = connection.userData().get(SESSION);
        CloseReason reason = connection.closeReason();
        Short byGateway = session == null ? null : session.closedWith();
        metrics.closed(byGateway != null ? byGateway : reason == null ? null : (short) reason.getCode());
        if (session == null) {
            return Uni.createFrom().voidItem();
        }
        sessions.remove(session);
        limits.closed(session.userId());
        return presence.closed(session.userId(), session.role(), connection.id())
                .onFailure()
                .invoke(e -> Log.warnf(e, "presence of %s not updated on close", session.userId()));
    }

    private static Uni<ServerFrame> reply(ServerFrame frame) {
        return Uni.createFrom().item(frame);
    }
}
