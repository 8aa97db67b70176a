package io.parley.gateway.upstream;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.util.UUID;

/** The message-service's REST API, called with the connection's own token. */
@ApplicationScoped
public class MessageServiceClient {

    /** An answer: its status and JSON body. */
    public record Answer(int status, JsonObject body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final HttpClient http;
    private final URI base;

    public MessageServiceClient(Vertx vertx, @ConfigProperty(name = "parley.message.url") URI base) {
        this.base = base;
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(64)
                .setTcpNoDelay(true));
    }

    public Uni<Answer> send(String token, UUID conversationId, JsonObject body) {
        return call(HttpMethod.POST, "/api/conversations/" + conversationId + "/messages", token, body);
    }

    public Uni<Answer> after(String token, UUID conversationId, long afterSeq, int limit) {
        return call(HttpMethod.GET, "/api/conversations/" + conversationId + "/messages?afterSeq=" + afterSeq
                + "&limit=" + limit, token, null);
    }

    private Uni<Answer> call(HttpMethod method, String path, String token, JsonObject body) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost(base.getHost()).setPort(base.getPort())
                .setURI(path).putHeader("Authorization", "Bearer " + token)
                .putHeader("Content-Type", "application/json");
        return http.request(options)
                .chain(request -> body == null ? request.send() : request.send(Buffer.buffer(body.encode())))
                .chain(response -> response.body().map(b -> new Answer(response.statusCode(),
                        b.length() == 0 ? new JsonObject() : new JsonObject(b.toString()))));
    }
}
