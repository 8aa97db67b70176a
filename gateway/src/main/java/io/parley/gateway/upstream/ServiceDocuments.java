package io.parley.gateway.upstream;

import io.parley.gateway.config.GatewayConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI documents of the three services behind the gateway, as each serves it at
 * {@code GET /q/openapi?format=json}.
 */
@ApplicationScoped
public class ServiceDocuments {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http;
    private final Map<String, URI> services = new LinkedHashMap<>();

    /** Asks the services at {@code parley.conversation.url}, {@code parley.message.url}, {@code parley.notification.url}. */
    public ServiceDocuments(Vertx vertx, GatewayConfig config) {
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
        services.put("conversation-service", config.conversation().url());
        services.put("message-service", config.message().url());
        services.put("notification-service", config.notification().url());
    }

    /**
     * @return each service's document by the service's name, in the order conversation-service, message-service,
     * notification-service; fails when one cannot be had (not answering, not 200, not JSON) within 5 seconds
     */
    public Uni<Map<String, JsonObject>> fetch() {
        List<String> names = List.copyOf(services.keySet());
        return Uni.join()
                .all(names.stream().map(name -> fetch(services.get(name))).toList())
                .andFailFast()
                .map(documents -> {
                    Map<String, JsonObject> byService = new LinkedHashMap<>();
                    for (int i = 0; i < names.size(); i++) {
                        byService.put(names.get(i), documents.get(i));
                    }
                    return byService;
                });
    }

    private Uni<JsonObject> fetch(URI base) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(base.getHost())
                .setPort(base.getPort())
                .setURI("/q/openapi?format=json")
                .putHeader("Accept", "application/json");
        return http.request(options)
                .chain(request -> request.send())
                .chain(response -> response.body().map(body -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException(base + " answered " + response.statusCode());
                    }
                    return new JsonObject(body.toString());
                }))
                .ifNoItem()
                .after(TIMEOUT)
                .fail();
    }
}
