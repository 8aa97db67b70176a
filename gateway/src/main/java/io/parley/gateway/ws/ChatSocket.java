package io.parley.gateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.parley.gateway.delivery.Backpressure;
import io.parley.gateway.delivery.Frames;
import io.parley.gateway.delivery.SendRateLimiter;
import io.parley.gateway.delivery.Session;
import io.parley.gateway.delivery.SessionRegistry;
import io.parley.gateway.delivery.Typing;
import io.parley.gateway.presence.PresenceRegistry;
import io.parley.gateway.upstream.MessageServiceClient;
import io.parley.kit.Role;
import io.quarkus.logging.Log;
import io.quarkus.security.Authenticated;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The client's WebSocket: authenticated on the HTTP upgrade, JSON text frames as docs/api.md describes. */
@WebSocket(path = "/ws")
@Authenticated
public class ChatSocket {

    private static final UserData.TypedKey<Session> SESSION = new UserData.TypedKey<>("session");
    private static final UserData.TypedKey<String> ROLE = UserData.TypedKey.forString("role");
    private static final int REPLAY_PAGE = 200;
    private static final CloseReason TOO_BIG = new CloseReason(1009, "a frame is at most 64 KiB");

    private final WebSocketConnection connection;
    private final JsonWebToken jwt;
    private final PresenceRegistry presence;
    private final SessionRegistry sessions;
    private final MessageServiceClient messages;
    private final OpenConnections openConnections;
    private final SendRateLimiter rateLimiter;
    private final JWTParser parser;
    private final Typing typing;
    private final Backpressure backpressure;
    private final io.vertx.core.Vertx vertx;
    /**
     * How long after the welcome live messages wait for the resume of a client that connected with
     * {@code ?resume=1}: generous, since a loaded gateway may take seconds to read it, and only a client that
     * promised a resume and did not send one waits that long.
     */
    static final long RESUME_WAIT_MS = 30_000;

    public ChatSocket(WebSocketConnection connection, JsonWebToken jwt, PresenceRegistry presence,
                      SessionRegistry sessions, MessageServiceClient messages, OpenConnections openConnections,
                      SendRateLimiter rateLimiter, JWTParser parser, Typing typing, Backpressure backpressure,
                      io.vertx.core.Vertx vertx) {
        this.vertx = vertx;
        this.typing = typing;
        this.backpressure = backpressure;
        this.connection = connection;
        this.openConnections = openConnections;
        this.rateLimiter = rateLimiter;
        this.parser = parser;
        this.jwt = jwt;
        this.presence = presence;
        this.sessions = sessions;
        this.messages = messages;
    }

    @OnOpen
    public Uni<Void> onOpen() {
        String userId = jwt.getSubject();
        Role role = Role.of(jwt.getGroups());
        // The injected connection is a proxy bound to the current callback; deliveries from Kafka need the connection
        // itself.
        WebSocketConnection self = openConnections.findByConnectionId(connection.id()).orElseThrow();
        Session session = new Session(self, userId, role == Role.ADMIN, jwt.getRawToken(), jwt.getExpirationTime(),
                backpressure.take(self));
        boolean resumesFirst = resumesFirst(connection.handshakeRequest().query());
        if (resumesFirst) {
            session.holdUntilResume();
        }
        connection.userData().put(SESSION, session);
        connection.userData().put(ROLE, role.wire());
        String welcome = Frames.json().createObjectNode()
                .put("type", "welcome")
                .put("userId", userId)
                .put("connectionId", connection.id())
                .toString();
        // welcome is the first frame: the connection receives deliveries only once it is written.
        return presence.opened(userId, role.wire(), connection.id())
                .chain(() -> self.sendText(welcome))
                // the client answers the welcome with its resume; if none comes, live messages flow after a while
                .invoke(() -> {
                    if (resumesFirst) {
                        vertx.setTimer(RESUME_WAIT_MS, id -> session.releaseHold());
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

    /** Answers a frame with at most one frame; some frames (typing, read) have no answer when they work. */
    @OnTextMessage
    public Uni<Void> onText(String text) {
        return answer(text).chain(frame -> frame == null ? Uni.createFrom().voidItem() : connection.sendText(frame));
    }

    private Uni<String> answer(String text) {
        Session session = connection.userData().get(SESSION);
        JsonNode frame;
        try {
            frame = Frames.json().readTree(text);
        } catch (Exception e) {
            return reply(Frames.error(null, "invalid", "The frame is not JSON."));
        }
        if (frame == null || !frame.isObject()) {
            return reply(Frames.error(null, "invalid", "A frame is a JSON object with a type."));
        }
        String ref = frame.hasNonNull("ref") ? frame.get("ref").asText() : null;
        String type = frame.path("type").asText("");
        return switch (type) {
            case "ping" -> reply(Frames.of("pong"));
            case "send" -> send(session, ref, frame);
            case "auth" -> auth(session, ref, frame);
            case "typing" -> typing(session, ref, frame);
            case "read" -> read(session, ref, frame);
            case "resume" -> resume(session, ref, frame);
            default -> reply(Frames.error(ref, "invalid", "Unknown frame type: " + type));
        };
    }

    private Uni<String> send(Session session, String ref, JsonNode frame) {
        UUID conversationId = uuid(frame.path("conversationId").asText(null));
        if (ref == null || conversationId == null || !frame.hasNonNull("clientMessageId")
                || !frame.path("content").isTextual()) {
            return reply(Frames.error(ref, "invalid",
                    "send needs ref, conversationId, clientMessageId and content."));
        }
        double wait = rateLimiter.acquire(session.userId());
        if (wait > 0) {
            return reply(Frames.json().createObjectNode().put("type", "error").put("ref", ref)
                    .put("code", "rate_limited").put("message", "Too many sends; retry after the delay.")
                    .put("retryAfterMs", (long) Math.ceil(wait * 1000)).toString());
        }
        JsonObject body = new JsonObject()
                .put("clientMessageId", frame.get("clientMessageId").asText())
                .put("content", frame.get("content").asText());
        return messages.send(session.token(), conversationId, body).map(answer -> {
            if (answer.ok()) {
                return Frames.ack(ref, answer.body().getMap());
            }
            return Frames.error(ref, code(answer.status()), answer.body().getString("detail", "Refused."));
        }).onFailure().recoverWithItem(e -> {
            Log.warnf("send through the message-service failed: %s", e.toString());
            return Frames.error(ref, "unavailable", "The message was not stored; send it again with the same "
                    + "clientMessageId.");
        });
    }

    /**
     * Moves the reader's position; nothing answers a read that worked: the read event that follows goes to every
     * connection of the conversation, and the reader's new counts to each of the reader's connections.
     */
    private Uni<String> read(Session session, String ref, JsonNode frame) {
        UUID conversationId = uuid(frame.path("conversationId").asText(null));
        JsonNode seq = frame.get("seq");
        if (conversationId == null || seq == null || !seq.isIntegralNumber() || !seq.canConvertToLong()
                || seq.asLong() < 0) {
            return reply(Frames.error(ref, "invalid", "read needs conversationId and seq, a whole number from 0."));
        }
        return messages.read(session.token(), conversationId, seq.asLong()).map(answer -> answer.ok()
                ? null
                : Frames.error(ref, code(answer.status()), answer.body().getString("detail", "Refused.")))
                .onFailure().recoverWithItem(e -> {
                    Log.warnf("read through the message-service failed: %s", e.toString());
                    return Frames.error(ref, "unavailable", "The read position was not stored; send it again.");
                });
    }

    private Uni<String> typing(Session session, String ref, JsonNode frame) {
        UUID conversationId = uuid(frame.path("conversationId").asText(null));
        String state = frame.path("state").asText("");
        if (conversationId == null || !(state.equals("start") || state.equals("stop"))) {
            return reply(Frames.error(ref, "invalid", "typing needs conversationId and state start or stop."));
        }
        return typing.publish(session, ref, conversationId, state);
    }

    /** Replaces the connection's token with a fresh one of the same user, before the old one expires. */
    private Uni<String> auth(Session session, String ref, JsonNode frame) {
        String token = frame.path("token").asText(null);
        if (token == null || token.isBlank()) {
            return reply(Frames.error(ref, "invalid", "auth needs a token."));
        }
        JsonWebToken fresh;
        try {
            fresh = parser.parse(token);
        } catch (Exception e) {
            return reply(Frames.error(ref, "unauthorized", "The token is not valid."));
        }
        if (!session.userId().equals(fresh.getSubject())) {
            return reply(Frames.error(ref, "forbidden", "The token is another user's."));
        }
        session.renew(token, fresh.getExpirationTime());
        ObjectNode ok = Frames.json().createObjectNode().put("type", "authenticated")
                .put("expiresAt", java.time.Instant.ofEpochSecond(fresh.getExpirationTime()).toString());
        if (ref != null) {
            ok.put("ref", ref);
        }
        return reply(ok.toString());
    }

    /**
     * Sends every message after each given position, in seq order, then {@code resumed}. Live messages of those
     * conversations wait during the replay and follow it, none twice.
     */
    private Uni<String> resume(Session session, String ref, JsonNode frame) {
        JsonNode positions = frame.path("positions");
        if (!positions.isObject()) {
            session.releaseHold(); // a resume that cannot be read holds nothing back
            return reply(Frames.error(ref, "invalid", "resume needs positions: {conversationId: lastSeq}."));
        }
        List<Map.Entry<UUID, Long>> wanted = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = positions.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            UUID conversationId = uuid(entry.getKey());
            if (conversationId == null || !entry.getValue().canConvertToLong() || entry.getValue().asLong() < 0) {
                session.releaseHold();
                return reply(Frames.error(ref, "invalid", "positions maps conversation ids to seqs."));
            }
            wanted.add(Map.entry(conversationId, entry.getValue().asLong()));
        }
        // Every conversation of the resume holds its live frames from now on, until its own replay is done.
        wanted.forEach(position -> session.startReplay(position.getKey(), position.getValue()));
        session.releaseHold();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Map.Entry<UUID, Long> position : wanted) {
            chain = chain.chain(() -> replay(session, position.getKey(), position.getValue()));
        }
        return chain.replaceWith(() -> {
            ObjectNode resumed = Frames.json().createObjectNode().put("type", "resumed");
            return (ref == null ? resumed : resumed.put("ref", ref)).toString();
        });
    }

    private Uni<Void> replay(Session session, UUID conversationId, long afterSeq) {
        return page(session, conversationId, afterSeq)
                .eventually(() -> session.endReplay(conversationId));
    }

    private Uni<Void> page(Session session, UUID conversationId, long afterSeq) {
        return messages.after(session.token(), conversationId, afterSeq, REPLAY_PAGE).chain(answer -> {
            if (!answer.ok()) {
                session.sendNow(Frames.error(null, code(answer.status()),
                        "Cannot resume conversation " + conversationId + "."));
                return Uni.createFrom().voidItem();
            }
            long last = afterSeq;
            for (Object item : answer.body().getJsonArray("items")) {
                JsonObject message = (JsonObject) item;
                long seq = message.getLong("seq");
                session.replayed(conversationId, seq, Frames.json().createObjectNode()
                        .put("type", "message.created")
                        .set("message", Frames.json().valueToTree(message.getMap())).toString());
                last = seq;
            }
            long next = last;
            return answer.body().getBoolean("hasMore", false)
                    ? page(session, conversationId, next)
                    : Uni.createFrom().voidItem();
        });
    }

    /**
     * A message over the size limit is the client's doing: close with 1009 (message too big), as the contract says,
     * without an error in the log. Anything else closes with 1011 and is logged.
     */
    @OnError
    public Uni<Void> onError(IllegalStateException failure) {
        if (failure.getMessage() != null && failure.getMessage().contains("max message size")) {
            return connection.close(TOO_BIG);
        }
        Log.errorf(failure, "closing connection %s", connection.id());
        return connection.close(new CloseReason(1011, "server error"));
    }

    @OnClose
    public Uni<Void> onClose() {
        Session session = connection.userData().get(SESSION);
        if (session == null) {
            return Uni.createFrom().voidItem();
        }
        sessions.remove(session);
        if (!sessions.hasAny(session.userId())) {
            rateLimiter.forget(session.userId());
        }
        return presence.closed(session.userId(), connection.userData().get(ROLE), connection.id())
                .onFailure().invoke(e -> Log.warnf(e, "presence of %s not updated on close", session.userId()));
    }

    private static String code(int status) {
        return switch (status) {
            case 400 -> "invalid";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 413 -> "too_large";
            case 429 -> "rate_limited";
            default -> status == 409 ? "conflict" : "unavailable";
        };
    }

    private static UUID uuid(String value) {
        if (value == null) {
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Uni<String> reply(String frame) {
        return Uni.createFrom().item(frame);
    }
}
