package io.parley.gateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.gateway.presence.PresenceRegistry;
import io.parley.kit.Role;
import io.quarkus.logging.Log;
import io.quarkus.security.Authenticated;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The client's WebSocket: authenticated on the HTTP upgrade, JSON text frames as docs/api.md describes. */
@WebSocket(path = "/ws")
@Authenticated
public class ChatSocket {

    private static final UserData.TypedKey<String> USER_ID = UserData.TypedKey.forString("userId");
    private static final UserData.TypedKey<String> ROLE = UserData.TypedKey.forString("role");

    private final WebSocketConnection connection;
    private final JsonWebToken jwt;
    private final PresenceRegistry presence;
    private final ObjectMapper json;

    public ChatSocket(WebSocketConnection connection, JsonWebToken jwt, PresenceRegistry presence, ObjectMapper json) {
        this.connection = connection;
        this.jwt = jwt;
        this.presence = presence;
        this.json = json;
    }

    @OnOpen
    public Uni<String> onOpen() {
        String userId = jwt.getSubject();
        String role = Role.of(jwt.getGroups()).wire();
        connection.userData().put(USER_ID, userId);
        connection.userData().put(ROLE, role);
        ObjectNode welcome = json.createObjectNode()
                .put("type", "welcome")
                .put("userId", userId)
                .put("connectionId", connection.id());
        return presence.opened(userId, role, connection.id()).replaceWith(welcome.toString());
    }

    @OnTextMessage
    public String onText(String frame) {
        JsonNode node;
        try {
            node = json.readTree(frame);
        } catch (Exception e) {
            return error("invalid", "The frame is not JSON.");
        }
        String type = node.path("type").asText("");
        if ("ping".equals(type)) {
            return json.createObjectNode().put("type", "pong").toString();
        }
        return error("invalid", "Unknown frame type: " + type);
    }

    @OnClose
    public Uni<Void> onClose() {
        String userId = connection.userData().get(USER_ID);
        return presence.closed(userId, connection.userData().get(ROLE), connection.id())
                .onFailure().invoke(e -> Log.warnf(e, "presence of %s not updated on close", userId));
    }

    private String error(String code, String message) {
        return json.createObjectNode().put("type", "error").put("code", code).put("message", message).toString();
    }
}
