package io.parley.notification;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

/**
 * Stands in for Google on loopback: the OAuth2 token endpoint of a service account (it verifies the RS256 assertion
 * with the account's public key and issues access tokens) and the FCM HTTP v1 send endpoint (it accepts a request only
 * with a token it issued, and answers UNREGISTERED for tokens the test marks gone). Tests read what it received at
 * {@code GET /recorded} and mark a token gone with {@code POST /gone/{token}}: plain HTTP, so the service's and the
 * test's class loaders need not share anything.
 */
public class FcmStandIn implements QuarkusTestResourceLifecycleManager {

    static final String PROJECT = "parley-test";
    private static final String ACCOUNT = "push@parley-test.iam.gserviceaccount.com";

    private Vertx vertx;
    private HttpServer server;
    private KeyPair account;
    private final Set<String> issued = ConcurrentHashMap.newKeySet();
    private final Set<String> gone = ConcurrentHashMap.newKeySet();
    private final CopyOnWriteArrayList<JsonObject> recorded = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<String> failures = new CopyOnWriteArrayList<>();

    @Override
    public Map<String, String> start() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            account = generator.generateKeyPair();
            vertx = Vertx.vertx();
            server = vertx.createHttpServer()
                    .requestHandler(request -> request.body().onSuccess(body -> handle(request, body.toString())))
                    .listen(0, "127.0.0.1")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            String base = "http://127.0.0.1:" + server.actualPort();
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(account.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            JsonObject credentials = new JsonObject()
                    .put("type", "service_account")
                    .put("project_id", PROJECT)
                    .put("private_key_id", "key-1")
                    .put("private_key", pem)
                    .put("client_email", ACCOUNT)
                    .put("client_id", "1")
                    .put("token_uri", base + "/token");
            Path file = Files.createTempFile("fcm-service-account-", ".json");
            Files.writeString(file, credentials.encodePrettily());
            Map<String, String> config = new HashMap<>();
            config.put("parley.push.fcm.credentials-file", file.toString());
            config.put("parley.push.fcm.url", base);
            return config;
        } catch (Exception e) {
            throw new IllegalStateException("FCM stand-in did not start", e);
        }
    }

    private void handle(HttpServerRequest request, String body) {
        String path = request.path();
        if (path.equals("/token")) {
            token(request, body);
        } else if (path.equals("/v1/projects/" + PROJECT + "/messages:send")) {
            send(request, body);
        } else if (path.equals("/recorded")) {
            request.response()
                    .putHeader("Content-Type", "application/json")
                    .end(new JsonObject()
                            .put("messages", new JsonArray(new java.util.ArrayList<>(recorded)))
                            .put("failures", new JsonArray(new java.util.ArrayList<>(failures)))
                            .encode());
        } else if (path.startsWith("/gone/")) {
            gone.add(path.substring("/gone/".length()));
            request.response().setStatusCode(204).end();
        } else {
            request.response().setStatusCode(404).end();
        }
    }

    /** RFC 7523: a JWT assertion signed by the service account, for an access token. */
    private void token(HttpServerRequest request, String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(
                    URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        try {
            if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))) {
                throw new IllegalStateException("grant_type " + form.get("grant_type"));
            }
            JwtClaims claims = new JwtConsumerBuilder()
                    .setVerificationKey(account.getPublic())
                    .setExpectedIssuer(ACCOUNT)
                    // the audience is Google's token endpoint, wherever the request is sent
                    .setExpectedAudience("https://oauth2.googleapis.com/token")
                    .setRequireExpirationTime()
                    .build()
                    .processToClaims(form.get("assertion"));
            if (!String.valueOf(claims.getClaimValue("scope")).contains("firebase.messaging")) {
                throw new IllegalStateException("scope " + claims.getClaimValue("scope"));
            }
            String token = "fcm-token-" + UUID.randomUUID();
            issued.add(token);
            request.response()
                    .putHeader("Content-Type", "application/json")
                    .end(new JsonObject()
                            .put("access_token", token)
                            .put("expires_in", 3600)
                            .put("token_type", "Bearer")
                            .encode());
        } catch (Exception e) {
            failures.add("token: " + e);
            System.err.println("FCM stand-in refused a token request: " + e);
            request.response().setStatusCode(400).end("{\"error\":\"invalid_grant\"}");
        }
    }

    private void send(HttpServerRequest request, String body) {
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !issued.contains(authorization.replaceFirst("^Bearer ", ""))) {
            failures.add("send without an issued token: " + authorization);
            request.response().setStatusCode(401).end();
            return;
        }
        JsonObject message = new JsonObject(body).getJsonObject("message");
        if (gone.contains(message.getString("token"))) {
            request.response()
                    .setStatusCode(404)
                    .putHeader("Content-Type", "application/json")
                    .end(new JsonObject()
                            .put(
                                    "error",
                                    new JsonObject()
                                            .put("code", 404)
                                            .put("status", "NOT_FOUND")
                                            .put(
                                                    "details",
                                                    new JsonArray()
                                                            .add(new JsonObject()
                                                                    .put(
                                                                            "@type",
                                                                            "type.googleapis.com/google.firebase.fcm.v1.FcmError")
                                                                    .put("errorCode", "UNREGISTERED"))))
                            .encode());
            return;
        }
        recorded.add(message);
        request.response()
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject()
                        .put("name", "projects/" + PROJECT + "/messages/" + UUID.randomUUID())
                        .encode());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
        if (vertx != null) {
            vertx.close();
        }
    }
}
