package io.parley.gateway.upstream;

import io.parley.gateway.config.GatewayConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** The message-service's REST API, called with the connection's own token. */
@ApplicationScoped
public class MessageServiceClient {

    private final UpstreamHttp http;

    /** Calls the message-service at {@code parley.message.url}. */
    public MessageServiceClient(Vertx vertx, GatewayConfig config) {
        this.http = new UpstreamHttp(vertx, config.message().url());
    }

    public Uni<UpstreamHttp.Answer> send(String token, UUID conversationId, JsonObject body) {
        return http.call(HttpMethod.POST, "/api/conversations/" + conversationId + "/messages", token, body);
    }

    public Uni<UpstreamHttp.Answer> read(String token, UUID conversationId, long seq) {
        return http.call(
                HttpMethod.POST,
                "/api/conversations/" + conversationId + "/read",
                token,
                new JsonObject().put("seq", seq));
    }

    public Uni<UpstreamHttp.Answer> after(String token, UUID conversationId, long afterSeq, int limit) {
        return http.call(
                HttpMethod.GET,
                "/api/conversations/" + conversationId + "/messages?afterSeq=" + afterSeq + "&limit=" + limit,
                token,
                null);
    }
}
