package io.parley.gateway.upstream;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.util.UUID;

/** The conversation-service's REST API, called with the connection's own token. */
@ApplicationScoped
public class ConversationServiceClient {

    private final UpstreamHttp http;

    public ConversationServiceClient(Vertx vertx, @ConfigProperty(name = "parley.conversation.url") URI base) {
        this.http = new UpstreamHttp(vertx, base);
    }

    /** The conversation as the caller sees it; 404 when they may not. */
    public Uni<UpstreamHttp.Answer> get(String token, UUID conversationId) {
        return http.call(HttpMethod.GET, "/api/conversations/" + conversationId, token, null);
    }
}
