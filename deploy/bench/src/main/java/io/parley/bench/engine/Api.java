package io.parley.bench.engine;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What the benchmarks share besides WebSocket frames: JSON calls to a service's REST API with a bearer token (a
 * non-2xx answer fails the call), and the wait of an open loop until a send is due.
 */
public final class Api {

    private final HttpClient http;

    /** An HTTP client of up to 32 keep-alive connections on {@code vertx}. */
    public Api(Vertx vertx) {
        this.http = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(32));
    }

    /** GET {@code path} at {@code base} with the bearer {@code token}; the answer's JSON body. */
    public Future<JsonObject> get(URI base, String path, String token) {
        return call(HttpMethod.GET, base, path, token, null);
    }

    /** POST {@code body} to {@code path} at {@code base} with the bearer {@code token}; the answer's JSON body. */
    public Future<JsonObject> post(URI base, String path, String token, JsonObject body) {
        return call(HttpMethod.POST, base, path, token, body);
    }

    /** The same as {@link #post}, waiting up to {@code seconds} for the answer. */
    public JsonObject postAndWait(URI base, String path, String token, JsonObject body, int seconds) throws Exception {
        return post(base, path, token, body)
                .toCompletionStage()
                .toCompletableFuture()
                .get(seconds, TimeUnit.SECONDS);
    }

    private Future<JsonObject> call(HttpMethod method, URI base, String path, String token, JsonObject body) {
        RequestOptions options = new RequestOptions()
                .setMethod(method)
                .setHost(base.getHost())
                .setPort(base.getPort())
                .setURI(path)
                .putHeader("Authorization", "Bearer " + token);
        if (body != null) {
            options.putHeader("Content-Type", "application/json");
        }
        return http.request(options)
                .compose(r -> (body == null ? r.send() : r.send(body.toBuffer()))
                        .compose(response -> response.body().map(b -> {
                            if (response.statusCode() >= 300) {
                                throw new IllegalStateException(
                                        method + " " + path + " answered " + response.statusCode() + ": " + b);
                            }
                            return b.toJsonObject();
                        })));
    }

    /** Parks until {@code dueNanos} (System.nanoTime), in slices of at most 0.2 ms: the open loop's pacing. */
    public static void waitUntil(long dueNanos) {
        long wait;
        while ((wait = dueNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(Math.min(wait, 200_000));
        }
    }
}
