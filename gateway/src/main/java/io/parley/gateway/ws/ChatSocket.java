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
import io.parley.gateway.delivery.Utf8Guard;
import io.parley.gateway.presence.PresenceRegistry;
import io.parley.gateway.upstream.MessageServiceClient;
import io.parley.kit.Role;
import io.parley.kit.Text;
import io.quarkus.logging.Log;
import io.quarkus.security.Authenticated;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The client's WebSocket: authenticated on the HTTP upgrade, JSON text frames as docs/api.md describes. */
@WebSocket(path = "/ws")
@Authenticated
public class ChatSocket {

    private static final UserData.TypedKey<Session> SESSION = new UserData.TypedKey<>("session");
    private static final int REPLAY_PAGE = 200;
    private static final CloseReason TOO_BIG = new CloseReason(1009, "a frame is at most 64 KiB");
    private static final CloseReason NO_ROLE = new CloseReason(1008, "the token names no known role");

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

    /**
     * Registers the connection (presence, deliveries) and sends the welcome. A token with no known role never gets
     * here (the upgrade is refused with 403 by {@code RoleRequired}); should one, it is closed with 1008.
     */
    @OnOpen
    public Uni<Void> onOpen() {
        String userId = jwt.getSubject();
        java.util.Optional<Role> found = Role.find(jwt.getGroups());
        if (found.isEmpty()) {
            return connection.close(NO_ROLE);
        }
        Role role = found.get();
        // The injected connection is a proxy bound to the current callback; deliveries from Kafka need the connection
        // itself.
        WebSocketConnection self = openConnections.findByConnectionId(connection.id()).orElseThrow();
        io.vertx.core.http.HttpConnection tcp = backpressure.take(self);
        Utf8Guard.install(tcp);
        Session session = new Session(self, userId, role.wire(), jwt.getRawToken(), jwt.getExpirationTime(), tcp);
        boolean resumesFirst = resumesFirst(connection.handshakeRequest().query());
        if (resumesFirst) {
            session.holdUntilResume();
        }
        connection.userData().put(SESSION, session);
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

    /**
     * Answers a frame with at most one frame; some frames (typing, read) have no answer when they work. A frame that
     * cannot be handled for a reason of the gateway's own is answered {@code unavailable}, never by closing.
     */
    @OnTextMessage
    public Uni<Void> onText(String text) {
        Session session = connection.userData().get(SESSION);
        if (session != null) {
            session.heard();
        }
        return Uni.createFrom().deferred(() -> answer(session, text))
                .onFailure().recoverWithItem(e -> {
                    Log.errorf(e, "frame not handled on connection %s", connection.id());
                    return Frames.error(null, "unavailable", "The frame was not handled; send it again.");
                })
                .chain(frame -> frame == null ? Uni.createFrom().voidItem() : connection.sendText(frame));
    }

    /** A pong (the answer to the server's pings, or one the client sends on its own): the client is still there. */
    @OnPongMessage
    public void onPong(Buffer data) {
        Session session = connection.userData().get(SESSION);
        if (session != null) {
            session.heard();
        }
    }

    private Uni<String> answer(Session session, String text) {
        JsonNode frame;
        try {
            frame = Frames.json().readTree(text);
        } catch (Exception e) {
            return reply(Frames.error(null, "invalid", "The frame is not JSON."));
        }
        if (frame == null || !frame.isObject()) {
            return reply(Frames.error(null, "invalid", "A frame is a JSON object with a type."));
        }
        JsonNode refNode = frame.get("ref");
        String ref = null;
        if (refNode != null && !refNode.isNull()) {
            if (!refNode.isTextual() && !(refNode.isIntegralNumber() && refNode.canConvertToLong())) {
                return reply(Frames.invalid(null, "ref", "ref must be a string or a whole number."));
            }
            String why = Text.whyNot(refNode.asText());
            if (why != null) {
                return reply(Frames.invalid(null, "ref", "ref " + why + "."));
            }
            ref = refNode.asText();
        }
        JsonNode typeNode = frame.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            return reply(Frames.invalid(ref, "type", "A frame is a JSON object with a type."));
        }
        String typeWhy = Text.whyNot(typeNode.asText());
        if (typeWhy != null) {
            return reply(Frames.invalid(ref, "type", "type " + typeWhy + "."));
        }
        String type = typeNode.asText();
        return switch (type) {
            case "ping" -> reply(ref == null ? Frames.of("pong")
                    : Frames.json().createObjectNode().put("type", "pong").put("ref", ref).toString());
            case "send" -> send(session, ref, frame);
            case "auth" -> auth(session, ref, frame);
            case "typing" -> typing(session, ref, frame);
            case "read" -> read(session, ref, frame);
            case "resume" -> resume(session, ref, frame);
            default -> reply(Frames.invalid(ref, "type", "Unknown frame type: " + type));
        };
    }

    /**
     * What is wrong with the frame's text field {@code field}, naming it, or null when it is a string that can be
     * stored and answered back exactly (no NUL, no unpaired surrogate).
     */
    static String textProblem(JsonNode frame, String type, String field) {
        JsonNode value = frame.get(field);
        if (value == null || value.isNull()) {
            return type + " needs " + field + ".";
        }
        if (!value.isTextual()) {
            return field + " must be a string.";
        }
        String why = Text.whyNot(value.asText());
        return why == null ? null : field + " " + why + ".";
    }

    private Uni<String> send(Session session, String ref, JsonNode frame) {
        if (ref == null) {
            return reply(Frames.invalid(null, "ref", "send needs ref."));
        }
        for (String field : List.of("conversationId", "clientMessageId")) {
            String problem = textProblem(frame, "send", field);
            if (problem != null) {
                return reply(Frames.invalid(ref, field, problem));
            }
        }
        AttachmentRefs.Result attachments = AttachmentRefs.read(frame.get("attachments"));
        if (attachments.field() != null) {
            return reply(Frames.invalid(ref, attachments.field(), attachments.problem()));
        }
        JsonNode contentNode = frame.get("content");
        boolean contentGiven = contentNode != null && !contentNode.isNull();
        // content may be left out when files are sent: the message-service decides whether the message says enough
        if (contentGiven || attachments.ids().isEmpty()) {
            String problem = textProblem(frame, "send", "content");
            if (problem != null) {
                return reply(Frames.invalid(ref, "content", problem));
            }
        }
        String conversationText = frame.get("conversationId").asText();
        UUID conversationId = uuid(conversationText);
        if (conversationId == null) {
            return reply(Frames.error(ref, "not_found", "No such conversation.", conversationText));
        }
        if (uuid(frame.get("clientMessageId").asText()) == null) {
            return reply(Frames.invalid(ref, "clientMessageId", "clientMessageId must be a UUID."));
        }
        double wait = rateLimiter.acquire(session.userId());
        if (wait > 0) {
            return reply(Frames.json().createObjectNode().put("type", "error").put("ref", ref)
                    .put("code", "rate_limited").put("message", "Too many sends; retry after the delay.")
                    .put("retryAfterMs", (long) Math.ceil(wait * 1000)).toString());
        }
        JsonObject body = new JsonObject()
                .put("clientMessageId", frame.get("clientMessageId").asText());
        if (contentGiven) {
            body.put("content", contentNode.asText());
        }
        if (!attachments.ids().isEmpty()) {
            body.put("attachments", AttachmentRefs.body(attachments.ids()));
        }
        return messages.send(session.token(), conversationId, body).map(answer -> {
            if (answer.ok() && !answer.body().isEmpty()) {
                return Frames.ack(ref, answer.body().getMap());
            }
            String code = Frames.code(answer.status());
            if (answer.ok() || code.equals("unavailable")) {
                return Frames.error(ref, "unavailable", "The message-service did not store the message; send it "
                        + "again with the same clientMessageId.");
            }
            String detail = answer.body().getString("detail", "Refused.");
            String field = AttachmentRefs.fieldOf(detail);
            return field == null ? Frames.error(ref, code, detail) : Frames.refused(ref, code, field, detail);
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
        String problem = textProblem(frame, "read", "conversationId");
        if (problem != null) {
            return reply(Frames.invalid(ref, "conversationId", problem));
        }
        JsonNode seq = frame.get("seq");
        if (seq == null || !seq.isIntegralNumber() || !seq.canConvertToLong() || seq.asLong() < 0) {
            return reply(Frames.invalid(ref, "seq", "read needs seq, a whole number from 0."));
        }
        String conversationText = frame.get("conversationId").asText();
        UUID conversationId = uuid(conversationText);
        if (conversationId == null) {
            return reply(Frames.error(ref, "not_found", "No such conversation.", conversationText));
        }
        return messages.read(session.token(), conversationId, seq.asLong()).map(answer -> {
            if (answer.ok()) {
                return (String) null;
            }
            String code = Frames.code(answer.status());
            return Frames.error(ref, code, code.equals("unavailable")
                    ? "The read position was not stored; send it again."
                    : answer.body().getString("detail", "Refused."));
        }).onFailure().recoverWithItem(e -> {
            Log.warnf("read through the message-service failed: %s", e.toString());
            return Frames.error(ref, "unavailable", "The read position was not stored; send it again.");
        });
    }

    private Uni<String> typing(Session session, String ref, JsonNode frame) {
        for (String field : List.of("conversationId", "state")) {
            String problem = textProblem(frame, "typing", field);
            if (problem != null) {
                return reply(Frames.invalid(ref, field, problem));
            }
        }
        String state = frame.get("state").asText();
        if (!(state.equals("start") || state.equals("stop"))) {
            return reply(Frames.invalid(ref, "state", "state is start or stop."));
        }
        String conversationText = frame.get("conversationId").asText();
        UUID conversationId = uuid(conversationText);
        if (conversationId == null) {
            return reply(Frames.error(ref, "not_found", "No such conversation.", conversationText));
        }
        return typing.publish(session, ref, conversationId, state);
    }

    /**
     * Replaces the connection's token with a fresh one of the same user, and everything the token decides with it:
     * the role (an admin's connection whose new token is a client's stops receiving support conversations at once),
     * and the expiry. A token of another user, or one that names no known role, is refused with {@code forbidden}
     * and the connection keeps its token until that expires.
     */
    private Uni<String> auth(Session session, String ref, JsonNode frame) {
        String problem = textProblem(frame, "auth", "token");
        if (problem != null) {
            return reply(Frames.invalid(ref, "token", problem));
        }
        String token = frame.get("token").asText();
        if (token.isBlank()) {
            return reply(Frames.invalid(ref, "token", "auth needs a token."));
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
        java.util.Optional<Role> role = Role.find(fresh.getGroups());
        if (role.isEmpty()) {
            return reply(Frames.error(ref, "forbidden", "The token names no known role (client, expert, admin)."));
        }
        sessions.renew(session, token, fresh.getExpirationTime(), role.get().wire());
        ObjectNode ok = Frames.json().createObjectNode().put("type", "authenticated")
                .put("expiresAt", java.time.Instant.ofEpochSecond(fresh.getExpirationTime()).toString());
        if (ref != null) {
            ok.put("ref", ref);
        }
        return reply(ok.toString());
    }

    /**
     * Sends every message after each given position, in seq order, then {@code resumed}. Live messages of those
     * conversations wait during the replay and follow it, none twice. Each position stands on its own: a key that is
     * not a UUID names no conversation ({@code not_found} with the key as sent), a key holding text that cannot be
     * stored or a value that is not a whole number from 0 is {@code invalid}, a conversation the caller may not see
     * is {@code not_found}, one whose history cannot be read now is {@code unavailable} (each error carries the
     * resume's ref and the conversation's id); every other conversation is replayed, and {@code resumed} follows.
     */
    private Uni<String> resume(Session session, String ref, JsonNode frame) {
        JsonNode positions = frame.get("positions");
        if (positions == null || !positions.isObject()) {
            session.releaseHold(); // a resume that cannot be read holds nothing back
            return reply(Frames.invalid(ref, "positions", "resume needs positions: {conversationId: lastSeq}."));
        }
        Map<UUID, Long> wanted = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = positions.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = entry.getKey();
            String why = Text.whyNot(key);
            if (why != null) {
                // not echoed: a string that cannot be encoded cannot be answered back as it was sent
                session.sendNow(Frames.invalid(ref, "positions", "A key of positions " + why + "."));
                continue;
            }
            UUID conversationId = uuid(key);
            if (conversationId == null) {
                session.sendNow(Frames.error(ref, "not_found", "No such conversation.", key));
                continue;
            }
            JsonNode seq = entry.getValue();
            if (seq == null || !seq.isIntegralNumber() || !seq.canConvertToLong() || seq.asLong() < 0) {
                session.sendNow(Frames.invalid(ref, "positions",
                        "The position of " + key + " must be a whole number from 0.", key));
                continue;
            }
            // one conversation written two ways (letter case): replayed once, from the lower position
            wanted.merge(conversationId, seq.asLong(), Math::min);
        }
        // Every conversation of the resume holds its live frames from now on, until its own replay is done.
        wanted.forEach(session::startReplay);
        session.releaseHold();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Map.Entry<UUID, Long> position : wanted.entrySet()) {
            chain = chain.chain(() -> replay(session, ref, position.getKey(), position.getValue()));
        }
        return chain.replaceWith(() -> {
            ObjectNode resumed = Frames.json().createObjectNode().put("type", "resumed");
            return (ref == null ? resumed : resumed.put("ref", ref)).toString();
        });
    }

    /** Replays one conversation; an answer other than its history is an error frame about it, never a failure. */
    private Uni<Void> replay(Session session, String ref, UUID conversationId, long afterSeq) {
        return page(session, ref, conversationId, afterSeq)
                .onFailure().recoverWithItem(e -> {
                    Log.warnf("replay of %s failed: %s", conversationId, e.toString());
                    session.sendNow(Frames.error(ref, "unavailable", "Cannot resume conversation " + conversationId
                            + " now; resume it again.", conversationId.toString()));
                    return null;
                })
                .eventually(() -> session.endReplay(conversationId));
    }

    private Uni<Void> page(Session session, String ref, UUID conversationId, long afterSeq) {
        return messages.after(session.token(), conversationId, afterSeq, REPLAY_PAGE).chain(answer -> {
            if (!answer.ok()) {
                String code = Frames.code(answer.status());
                session.sendNow(Frames.error(ref, code, "unavailable".equals(code)
                        ? "Cannot resume conversation " + conversationId + " now; resume it again."
                        : "Cannot resume conversation " + conversationId + ".", conversationId.toString()));
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
            return answer.body().getBoolean("hasMore", false) && next > afterSeq
                    ? page(session, ref, conversationId, next)
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
        return presence.closed(session.userId(), session.role(), connection.id())
                .onFailure().invoke(e -> Log.warnf(e, "presence of %s not updated on close", session.userId()));
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
