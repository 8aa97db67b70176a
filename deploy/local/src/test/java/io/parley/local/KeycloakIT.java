package io.parley.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Identities from a real provider (issue 17): the local stack trusts a Keycloak realm that the test starts, by
 * configuration alone (README, "Tokens of common providers"): its JWKS URL, its issuer, its audience and the role in
 * {@code realm_access.roles}. Its tokens work on REST and {@code /ws} with the role they carry; a token for another
 * audience is refused on both. Then the realm's signing key is rotated while connections are open (a new key added
 * with a higher priority, the old one made passive, then removed): tokens of the new key work at once (the gateway
 * and the services fetch the JWKS again for a {@code kid} they do not know), a connection whose old-key token expires
 * is closed with 1008 while one that sent an {@code auth} frame with a new token goes on, and an old-key token that
 * has not expired, and that the stack has not seen, is refused once the JWKS is fetched again after the old key's
 * removal (at most {@code SMALLRYE_JWT_JWKS_REFRESH_INTERVAL} minutes: 1 here). A token verified before the removal
 * stays accepted while the services remember it (until its expiry, at most 5 minutes: {@code CachingJwtPrincipalFactory}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeycloakIT {

    private static final String REALM = "parley";
    private static final String AUDIENCE = "parley";
    /** A realm's access tokens live this long (seconds): past the JWKS refresh that follows the old key's removal. */
    private static final int LIFESPAN = 100;
    /** The tokens of the client {@code parley-app-short} (seconds): a connection on one is closed soon. */
    private static final int SHORT_LIFESPAN = 15;
    /** The app's client (authorization code with PKCE), named to the gateway by {@code PARLEY_WEB_OIDC_CLIENT_ID}. */
    private static final String WEB_CLIENT = "parley-web";
    /**
     * Its tokens' lifespan (seconds): oidc-client-ts renews 60 s before the end, so the browser scenario sees a silent
     * renewal some 15 s after signing in.
     */
    private static final int WEB_LIFESPAN = 75;

    private static final Path WEB =
            Path.of(System.getProperty("user.dir")).resolve("../../web").normalize();

    static KeycloakServer keycloak;
    static StackUnderTest stack;
    static long began;
    static Map<String, String> userIds;

    @BeforeAll
    static void start() throws Exception {
        began = System.nanoTime();
        keycloak = new KeycloakServer();
        keycloak.start(); // starts alongside the stack: the services fetch the JWKS only at their first token
        stack = new StackUnderTest();
        stack.env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", keycloak.jwksUrl(REALM));
        stack.env.put("MP_JWT_VERIFY_ISSUER", keycloak.issuer(REALM));
        stack.env.put("MP_JWT_VERIFY_AUDIENCES", AUDIENCE);
        stack.env.put("PARLEY_JWT_ROLE_CLAIM", "realm_access/roles");
        // the JWKS is fetched again every minute (README's default is 10): the old key's removal is seen within one
        stack.env.put("SMALLRYE_JWT_JWKS_REFRESH_INTERVAL", "1");
        // the app signs in with the realm (GET /config.json; README, "configuration")
        stack.env.put("PARLEY_WEB_OIDC_AUTHORITY", keycloak.issuer(REALM));
        stack.env.put("PARLEY_WEB_OIDC_CLIENT_ID", WEB_CLIENT);
        long stackStart = System.nanoTime();
        stack.start();
        System.out.println("[keycloak-it] stack ready in " + (System.nanoTime() - stackStart) / 1_000_000 + " ms");
        keycloak.awaitReady();
        userIds = realm();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (stack != null) {
                stack.stop();
                stack.close();
            }
        } finally {
            if (keycloak != null) {
                keycloak.close();
            }
            System.out.println("[keycloak-it] whole class took " + (System.nanoTime() - began) / 1_000_000 + " ms");
        }
    }

    /**
     * The realm: roles {@code client}, {@code expert}, {@code admin}; users lee (client), kim (expert), ada (admin)
     * and nia (no Parley role); public clients with the password grant: {@code parley-app} and
     * {@code parley-app-short} (an audience mapper adds {@code parley} to their tokens' {@code aud}), and
     * {@code other-app} (Keycloak's default audience only, {@code account}); and the web app's public client
     * {@link #WEB_CLIENT}: authorization code with PKCE (S256) only, back to the gateway's address only, with the
     * {@code parley} audience.
     *
     * @return each user's id (the tokens' {@code sub}) by username
     */
    private static Map<String, String> realm() throws Exception {
        keycloak.admin(
                "POST",
                "",
                new JsonObject()
                        .put("id", REALM)
                        .put("realm", REALM)
                        .put("enabled", true)
                        .put("accessTokenLifespan", LIFESPAN));
        for (String role : List.of("client", "expert", "admin")) {
            keycloak.admin("POST", "/" + REALM + "/roles", new JsonObject().put("name", role));
        }
        keycloak.admin("POST", "/" + REALM + "/clients", client("parley-app", true, null));
        keycloak.admin("POST", "/" + REALM + "/clients", client("parley-app-short", true, SHORT_LIFESPAN));
        keycloak.admin("POST", "/" + REALM + "/clients", client("other-app", false, null));
        String app = "http://127.0.0.1:" + stack.port("GATEWAY");
        JsonObject web = client(WEB_CLIENT, true, WEB_LIFESPAN)
                .put("directAccessGrantsEnabled", false)
                .put("standardFlowEnabled", true)
                .put("redirectUris", new JsonArray().add(app + "/*"))
                .put("webOrigins", new JsonArray().add(app));
        web.getJsonObject("attributes")
                .put("pkce.code.challenge.method", "S256")
                .put("post.logout.redirect.uris", app + "/*");
        keycloak.admin("POST", "/" + REALM + "/clients", web);
        return Map.of(
                "lee", user("lee", "client"),
                "kim", user("kim", "expert"),
                "ada", user("ada", "admin"),
                "nia", user("nia", null));
    }

    private static JsonObject client(String clientId, boolean parleyAudience, Integer lifespan) {
        JsonObject client = new JsonObject()
                .put("clientId", clientId)
                .put("publicClient", true)
                .put("directAccessGrantsEnabled", true)
                .put("standardFlowEnabled", false);
        if (lifespan != null) {
            client.put("attributes", new JsonObject().put("access.token.lifespan", lifespan.toString()));
        }
        if (parleyAudience) {
            client.put(
                    "protocolMappers",
                    new JsonArray()
                            .add(new JsonObject()
                                    .put("name", "parley-audience")
                                    .put("protocol", "openid-connect")
                                    .put("protocolMapper", "oidc-audience-mapper")
                                    .put(
                                            "config",
                                            new JsonObject()
                                                    .put("included.custom.audience", AUDIENCE)
                                                    .put("access.token.claim", "true")
                                                    .put("id.token.claim", "false"))));
        }
        return client;
    }

    /** Creates a user (password {@code pw-<name>}) with the realm role {@code role} (none when null); its id. */
    private static String user(String name, String role) throws Exception {
        HttpResponse<String> created = keycloak.admin(
                "POST",
                "/" + REALM + "/users",
                new JsonObject()
                        .put("username", name)
                        .put("enabled", true)
                        .put("email", name + "@example.org")
                        .put("emailVerified", true)
                        .put("firstName", name)
                        .put("lastName", "Tester")
                        .put(
                                "credentials",
                                new JsonArray()
                                        .add(new JsonObject()
                                                .put("type", "password")
                                                .put("value", "pw-" + name)
                                                .put("temporary", false))));
        String location = created.headers().firstValue("Location").orElseThrow();
        String id = location.substring(location.lastIndexOf('/') + 1);
        if (role != null) {
            JsonObject representation = new JsonObject(
                    keycloak.admin("GET", "/" + REALM + "/roles/" + role, null).body());
            keycloak.admin(
                    "POST", "/" + REALM + "/users/" + id + "/role-mappings/realm", new JsonArray().add(representation));
        }
        return id;
    }

    private static String token(String user) throws Exception {
        return keycloak.token(REALM, "parley-app", user, "pw-" + user);
    }

    @Test
    @Order(1)
    void aRealmsTokensWorkOnRestAndTheWebSocketWithTheirRealmRoleAndOnlyForTheConfiguredAudience() throws Exception {
        String lee = token("lee");
        String kim = token("kim");
        assertThat(KeycloakServer.jwtPart(lee, 1).getJsonObject("realm_access").getJsonArray("roles"))
                .contains("client");

        // kim (expert) connected; lee (client) starts a conversation with kim by REST and sends a message to it
        Socket kimSocket = Socket.open(kim, "/ws");
        assertThat(kimSocket.next().getString("type")).isEqualTo("welcome");
        HttpResponse<String> created = StackUnderTest.post(
                stack.port("GATEWAY"),
                "/api/conversations",
                lee,
                new JsonObject()
                        .put("type", "direct")
                        .put("participants", List.of(userIds.get("kim")))
                        .encode());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String conversation = new JsonObject(created.body()).getString("id");
        HttpResponse<String> sent = StackUnderTest.post(
                stack.port("GATEWAY"),
                "/api/conversations/" + conversation + "/messages",
                lee,
                new JsonObject()
                        .put("clientMessageId", UUID.randomUUID().toString())
                        .put("content", "hello from a Keycloak user")
                        .encode());
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
        JsonObject delivered = kimSocket.next("message.created").getJsonObject("message");
        assertThat(delivered.getString("content")).isEqualTo("hello from a Keycloak user");
        assertThat(delivered.getString("conversationId")).isEqualTo(conversation);
        assertThat(delivered.encode()).contains(userIds.get("lee"));
        kimSocket.close();

        // the role is the realm role: a support conversation is a client's or expert's, the support desk an admin's
        int gateway = stack.port("GATEWAY");
        assertThat(StackUnderTest.get(gateway, "/api/conversations/support", lee)
                        .statusCode())
                .isEqualTo(200);
        String ada = token("ada");
        assertThat(StackUnderTest.get(gateway, "/api/conversations/support", ada)
                        .statusCode())
                .isEqualTo(403);
        assertThat(StackUnderTest.get(gateway, "/api/conversations?filter=support", ada)
                        .statusCode())
                .isEqualTo(200);
        // a realm user without a Parley role has none: 403, and no connection
        String nia = token("nia");
        assertThat(StackUnderTest.get(gateway, "/api/conversations", nia).statusCode())
                .isEqualTo(403);

        // a token of the same realm and user for another audience (Keycloak's default `account`): 401 on both
        String otherAudience = keycloak.token(REALM, "other-app", "lee", "pw-lee");
        assertThat(KeycloakServer.jwtPart(otherAudience, 1).getValue("aud").toString())
                .doesNotContain(AUDIENCE);
        HttpResponse<String> refused = StackUnderTest.get(gateway, "/api/conversations", otherAudience);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(upgradeStatus(otherAudience)).isEqualTo(401);
    }

    @Test
    @Order(2)
    void aRotatedSigningKeyIsTrustedAtOnceAndTheRemovedOneNoLongerWhileConnectionsStayOpen() throws Exception {
        int gateway = stack.port("GATEWAY");
        // Old-key tokens: two connections on short-lived ones, and one that lives past the old key's removal.
        String shortOld = keycloak.token(REALM, "parley-app-short", "lee", "pw-lee");
        String oldKid = KeycloakServer.jwtPart(shortOld, 0).getString("kid");
        Socket expiring = Socket.open(shortOld, "/ws");
        assertThat(expiring.next().getString("type")).isEqualTo("welcome");
        Socket renewed = Socket.open(keycloak.token(REALM, "parley-app-short", "lee", "pw-lee"), "/ws");
        assertThat(renewed.next().getString("type")).isEqualTo("welcome");
        String longOld = token("lee");
        assertThat(KeycloakServer.jwtPart(longOld, 0).getString("kid")).isEqualTo(oldKid);
        // Old-key tokens never shown to the stack before the old key's removal: a service keeps each token it verified
        // for a while (CachingJwtPrincipalFactory), so only a token it has not seen shows what the JWKS says now.
        Deque<String> unseenOld = new ArrayDeque<>();
        for (int i = 0; i < 45; i++) {
            unseenOld.add(token("lee"));
        }

        // Rotation, as Keycloak's documentation describes it: a new RSA key with a higher priority signs from now
        // on; the old one, passive, still verifies (it stays in the JWKS).
        String keysPath = "/" + REALM + "/components?type=org.keycloak.keys.KeyProvider";
        JsonObject oldProvider = new JsonArray(
                        keycloak.admin("GET", keysPath, null).body())
                .stream()
                        .map(JsonObject.class::cast)
                        .filter(c -> "rsa-generated".equals(c.getString("providerId")))
                        .findFirst()
                        .orElseThrow();
        keycloak.admin(
                "POST",
                "/" + REALM + "/components",
                new JsonObject()
                        .put("name", "rsa-rotated")
                        .put("providerId", "rsa-generated")
                        .put("providerType", "org.keycloak.keys.KeyProvider")
                        .put("parentId", REALM)
                        .put(
                                "config",
                                new JsonObject()
                                        .put("priority", List.of("200"))
                                        .put("enabled", List.of("true"))
                                        .put("active", List.of("true"))));
        oldProvider.getJsonObject("config").put("active", List.of("false"));
        keycloak.admin("PUT", "/" + REALM + "/components/" + oldProvider.getString("id"), oldProvider);

        String fresh = token("lee");
        String newKid = KeycloakServer.jwtPart(fresh, 0).getString("kid");
        assertThat(newKid).isNotEqualTo(oldKid);
        assertThat(keycloak.publishedKids(REALM)).contains(oldKid, newKid);

        // A new-key token works at once: REST (gateway and conversation-service) and a new connection.
        HttpResponse<String> listed = StackUnderTest.get(gateway, "/api/conversations", fresh);
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        Socket onNewKey = Socket.open(fresh, "/ws");
        assertThat(onNewKey.next().getString("type")).isEqualTo("welcome");
        onNewKey.close();
        // ... and as an `auth` frame on a connection opened with an old-key token
        renewed.send(new JsonObject().put("type", "auth").put("ref", "renew").put("token", fresh));
        JsonObject authenticated = renewed.next("authenticated");
        assertThat(authenticated.getString("ref")).isEqualTo("renew");
        // the old-key tokens still work while the old key is passive
        assertThat(StackUnderTest.get(gateway, "/api/conversations", longOld).statusCode())
                .isEqualTo(200);

        // The old key removed: Keycloak no longer publishes it.
        keycloak.admin("DELETE", "/" + REALM + "/components/" + oldProvider.getString("id"), null);
        assertThat(keycloak.publishedKids(REALM)).contains(newKid).doesNotContain(oldKid);

        // The connection whose old-key token expires without an `auth` frame is closed with 1008 ...
        assertThat(expiring.closed.get(SHORT_LIFESPAN + 30, TimeUnit.SECONDS))
                .isEqualTo(new Close(1008, "token expired"));
        // ... and the renewed one goes on past its first token's expiry: it answers and receives.
        long firstExpiry = KeycloakServer.jwtPart(shortOld, 1).getLong("exp");
        await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().getEpochSecond() > firstExpiry + 6);
        assertThat(renewed.closed).isNotDone();
        renewed.send(new JsonObject().put("type", "ping").put("ref", "still-here"));
        assertThat(renewed.next("pong").getString("ref")).isEqualTo("still-here");

        // An old-key token not seen before is refused once the JWKS is fetched again (within a minute here); each
        // try takes a token of its own, as a token that verified is remembered.
        String[] refused = new String[1];
        await().atMost(Duration.ofSeconds(80))
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> {
                    assertThat(unseenOld).as("unseen old-key tokens left").hasSizeGreaterThan(1);
                    refused[0] = unseenOld.poll();
                    return StackUnderTest.get(gateway, "/api/conversations", refused[0])
                                    .statusCode()
                            == 401;
                });
        assertThat(KeycloakServer.jwtPart(refused[0], 1).getLong("exp"))
                .as("refused for its key, not its age")
                .isGreaterThan(Instant.now().getEpochSecond());
        assertThat(upgradeStatus(unseenOld.poll())).isEqualTo(401);
        // while the new key's tokens go on working
        assertThat(StackUnderTest.get(gateway, "/api/conversations", fresh).statusCode())
                .isEqualTo(200);
        renewed.close();
    }

    /**
     * The web app signs in with the realm in a browser (web/e2e, headless Chromium): the gateway tells it the issuer,
     * the client and the role claim ({@code GET /config.json}); a client and an admin sign in on Keycloak's login
     * form (authorization code with PKCE), come back signed in (the client's support conversation first; the
     * admin's support desk, as the admin role is read from {@code realm_access.roles}), chat, and the client's token
     * is renewed silently and goes on working.
     */
    @Test
    @Order(3)
    void theAppSignsInWithTheRealmInABrowserAndRenewsItsTokenSilently() throws Exception {
        assertThat(new File("/usr/bin/chromium"))
                .as("Debian's chromium (.ci/run installs it)")
                .exists();
        HttpResponse<String> config = StackUnderTest.get(stack.port("GATEWAY"), "/config.json", null);
        assertThat(new JsonObject(config.body()))
                .isEqualTo(new JsonObject()
                        .put("roleClaim", "realm_access/roles")
                        .put(
                                "oidc",
                                new JsonObject()
                                        .put("authority", keycloak.issuer(REALM))
                                        .put("clientId", WEB_CLIENT)));
        assertThat(config.headers().firstValue("Cache-Control")).hasValue("no-store");

        Path log = stack.dataDir.resolve("logs/e2e-oidc.log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder("npm", "run", "e2e")
                .directory(WEB.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("PARLEY_TEST_GATEWAY", "http://127.0.0.1:" + stack.port("GATEWAY"));
        env.put(
                "PARLEY_TEST_TOKENS",
                new JsonObject()
                        .put("client", token("lee"))
                        .put("admin", token("ada"))
                        .encode());
        env.put(
                "PARLEY_TEST_OIDC",
                new JsonObject()
                        .put("client", new JsonObject().put("username", "lee").put("password", "pw-lee"))
                        .put("admin", new JsonObject().put("username", "ada").put("password", "pw-ada"))
                        .encode());
        env.put("PARLEY_E2E_ONLY", "OpenID Connect");
        Process process = builder.start();
        boolean ended = process.waitFor(5, TimeUnit.MINUTES);
        String output = Files.readString(log);
        System.out.println(output);
        if (!ended) {
            process.destroyForcibly();
        }
        assertThat(ended).as("the browser scenario ended within 5 minutes").isTrue();
        assertThat(process.exitValue()).as("it passed; its output:%n%s", output).isZero();
        assertThat(output).as("it ran, not skipped").contains("ok - OpenID Connect");
    }

    /** The status a {@code /ws} upgrade with {@code token} is refused with (the test fails if it is accepted). */
    private static int upgradeStatus(String token) {
        Throwable[] failure = new Throwable[1];
        assertThatThrownBy(() -> Socket.open(token, "/ws"))
                .isInstanceOf(ExecutionException.class)
                .satisfies(e -> failure[0] = e.getCause());
        assertThat(failure[0]).isInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) failure[0]).getResponse().statusCode();
    }

    record Close(int code, String reason) {}

    /** A WebSocket on the gateway that queues the text frames it receives and records how it was closed. */
    static final class Socket {
        final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
        final CompletableFuture<Close> closed = new CompletableFuture<>();
        WebSocket ws;

        static Socket open(String token, String path) throws Exception {
            Socket socket = new Socket();
            socket.ws = StackUnderTest.HTTP
                    .newWebSocketBuilder()
                    .header("Authorization", "Bearer " + token)
                    .buildAsync(URI.create("ws://127.0.0.1:" + stack.port("GATEWAY") + path), new WebSocket.Listener() {
                        private final StringBuilder partial = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                            partial.append(data);
                            if (last) {
                                socket.frames.add(new JsonObject(partial.toString()));
                                partial.setLength(0);
                            }
                            ws.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                            socket.closed.complete(new Close(code, reason));
                            return null;
                        }

                        @Override
                        public void onError(WebSocket ws, Throwable error) {
                            socket.closed.completeExceptionally(error);
                        }
                    })
                    .get(10, TimeUnit.SECONDS);
            return socket;
        }

        JsonObject next() throws InterruptedException {
            JsonObject frame = frames.poll(10, TimeUnit.SECONDS);
            assertThat(frame).as("a frame within 10 s").isNotNull();
            return frame;
        }

        /** The next frame of {@code type}, skipping others (presence, unread counts...). */
        JsonObject next(String type) throws InterruptedException {
            while (true) {
                JsonObject frame = next();
                if (type.equals(frame.getString("type"))) {
                    return frame;
                }
            }
        }

        void send(JsonObject frame) throws Exception {
            ws.sendText(frame.encode(), true).get(5, TimeUnit.SECONDS);
        }

        void close() throws Exception {
            if (!ws.isOutputClosed()) {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
            }
        }
    }
}
