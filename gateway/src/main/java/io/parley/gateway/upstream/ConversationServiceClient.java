package io.parley.gateway.upstream;

import io.parley.gateway.config.GatewayConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** The conversation-service's REST API, called with the connection's own token. */
@ApplicationScoped
public class ConversationServiceClient {

    private final UpstreamHttp http;

    /** Calls the conversation-service at {@code parley.conversation.url}. */
    public ConversationServiceClient(Vertx vertx, GatewayConfig config) {
        this.http = new UpstreamHttp(vertx, config.conversation().url());
    }

    /** The conversation as the caller sees it; 404 when they may not. */
    public Uni<UpstreamHttp.Answer> get(String token, UUID conversationId) {
        return http.call(HttpMethod.GET, "/api/conversations/" + conversationId, token, null);
    }
}
