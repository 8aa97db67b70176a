package io.parley.gateway.upstream;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import java.net.URI;

/** JSON calls to one service's REST API, made with the connection's own token. */
public final class UpstreamHttp {

    /** An answer: its status and JSON body. */
    public record Answer(int status, JsonObject body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final HttpClient http;
    private final URI base;

    UpstreamHttp(Vertx vertx, URI base) {
        this.base = base;
        this.http = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(64).setTcpNoDelay(true));
    }

    Uni<Answer> call(HttpMethod method, String path, String token, JsonObject body) {
        RequestOptions options = new RequestOptions()
                .setMethod(method)
                .setHost(base.getHost())
                .setPort(base.getPort())
                .setURI(path)
                .putHeader("Authorization", "Bearer " + token)
                .putHeader("Content-Type", "application/json");
        // the trace current here (a send frame's span) goes on with the service's request (W3C Trace Context);
        // nothing is added when no span is being recorded
        W3CTraceContextPropagator.getInstance().inject(Context.current(), options, RequestOptions::putHeader);
        return http.request(options)
                .chain(request -> body == null ? request.send() : request.send(Buffer.buffer(body.encode())))
                .chain(response -> response.body().map(b -> new Answer(response.statusCode(), json(b))));
    }

    /**
     * The body as a JSON object; empty when it is empty or not a JSON object (a proxy's HTML page, say): the status
     * alone then says what happened, so that a refusal is never taken for a failure to answer.
     */
    static JsonObject json(Buffer body) {
        if (body == null || body.length() == 0) {
            return new JsonObject();
        }
        try {
            return new JsonObject(body.toString());
        } catch (RuntimeException e) {
            return new JsonObject();
        }
    }
}
