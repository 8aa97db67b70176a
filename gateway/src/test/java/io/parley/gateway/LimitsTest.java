package io.parley.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.infra.FreePort;
import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The gateway's limits as a client meets them (docs/api.md), with small limits so that each is reached at once: REST
 * calls per user ({@code 429} problem+json with {@code Retry-After}, nothing forwarded), open WebSockets per user and
 * upgrade attempts per address (the upgrade answered {@code 429} with {@code Retry-After}). A stand-in
 * conversation-service counts what reaches it.
 */
@QuarkusTest
@TestProfile(LimitsTest.SmallLimits.class)
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LimitsTest {

    /** Three REST calls per user, then one per 100 s; two connections per user; ten upgrades per address. */
    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "parley.gateway.api-rate", "0.01",
                    "parley.gateway.api-burst", "3",
                    "parley.gateway.connections-per-user", "2",
                    "parley.gateway.upgrade-attempts", "10",
                    "parley.gateway.upgrade-window", "10m",
                    "parley.conversation.url", "http://127.0.0.1:" + FreePort.find());
        }
    }

    @TestHTTPResource("/ws")
    URI ws;

    @ConfigProperty(name = "parley.conversation.url")
    URI conversationService;

    @Inject
    Vertx vertx;

    HttpServer stand;
    WebSocketClient client;
    final AtomicInteger forwarded = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        stand = vertx.createHttpServer()
                .requestHandler(request -> request.body().onComplete(body -> {
                    forwarded.incrementAndGet();
                    request.response()
                            .putHeader("Content-Type", "application/json")
                            .end("{\"items\":[],\"nextCursor\":null}");
                }))
                .listen(conversationService.getPort(), "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        client = vertx.createWebSocketClient();
    }

    @AfterEach
    void stop() throws Exception {
        client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        stand.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    @Order(1)
    void restCallsBeyondTheUsersBurstAreRefusedWith429AndRetryAfterAndNothingIsForwarded() {
        String ann = TestKeys.token("ann-" + UUID.randomUUID(), "client");
        for (int i = 0; i < 3; i++) {
            get(ann).then().statusCode(200);
        }
        assertThat(forwarded).hasValue(3);

        Response refused = get(ann);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.contentType()).isEqualTo("application/problem+json");
        assertThat(Long.parseLong(refused.header("Retry-After"))).isPositive();
        JsonObject problem = new JsonObject(refused.asString());
        assertThat(problem.getString("type")).isEqualTo("about:blank");
        assertThat(problem.getString("title")).isEqualTo("Too Many Requests");
        assertThat(problem.getInteger("status")).isEqualTo(429);
        assertThat(problem.getString("detail")).startsWith("Too many requests; retry in ");
        assertThat(refused.header("X-Content-Type-Options")).isEqualTo("nosniff");

        // a call with a body is refused the same way, its body unread
        Response post = given().header("Authorization", "Bearer " + ann)
                .contentType("application/json")
                .body("{\"type\":\"group\",\"participants\":[\"bob\"],\"title\":\"t\"}")
                .post("/api/conversations");
        assertThat(post.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(post.header("Retry-After"))).isPositive();
        assertThat(forwarded).hasValue(3);

        // another user has an allowance of their own
        get(TestKeys.token("bob-" + UUID.randomUUID(), "client")).then().statusCode(200);
        assertThat(forwarded).hasValue(4);
    }

    @Test
    @Order(2)
    void aUsersConnectionsBeyondTheLimitAreRefusedWith429UntilOneCloses() throws Exception {
        String token = TestKeys.token("cat-" + UUID.randomUUID(), "client");
        WsClient first = new WsClient(client, ws, token);
        new WsClient(client, ws, token);

        UpgradeRejectedException refused = rejected(token);
        assertThat(refused.getStatus()).isEqualTo(429);
        assertThat(refused.getHeaders().get("Content-Type")).isEqualTo("application/problem+json");
        assertThat(Long.parseLong(refused.getHeaders().get("Retry-After"))).isPositive();
        JsonObject problem = new JsonObject(refused.getBody());
        assertThat(problem.getInteger("status")).isEqualTo(429);
        assertThat(problem.getString("detail")).contains("2 open connections");

        // another user is not concerned
        new WsClient(client, ws, TestKeys.token("dov-" + UUID.randomUUID(), "client"));

        first.socket.close();
        first.closed.get(10, TimeUnit.SECONDS);
        // the gateway learns the close a moment later; then a connection may open again
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> new WsClient(client, ws, token).welcome != null);
    }

    @Test
    @Order(3)
    void upgradeAttemptsBeyondTheAddressLimitAreRefusedWith429BeforeTheTokenIsRead() {
        // without a token, an attempt is refused 401 while the address has attempts left, 429 once it has none
        int unauthorized = 0;
        UpgradeRejectedException refused = null;
        for (int i = 0; i < 11 && refused == null; i++) {
            UpgradeRejectedException rejected = rejected(null);
            if (rejected.getStatus() == 401) {
                unauthorized++;
            } else {
                refused = rejected;
            }
        }
        assertThat(refused)
                .as("an attempt refused with 429 within the address's ten")
                .isNotNull();
        assertThat(refused.getStatus()).isEqualTo(429);
        assertThat(Long.parseLong(refused.getHeaders().get("Retry-After"))).isPositive();
        assertThat(refused.getHeaders().get("Content-Type")).isEqualTo("application/problem+json");
        assertThat(new JsonObject(refused.getBody()).getInteger("status")).isEqualTo(429);
        assertThat(unauthorized).isLessThan(10);
        // a valid token changes nothing: the attempt is counted before the token is read
        assertThat(rejected(TestKeys.token("eve-" + UUID.randomUUID(), "client"))
                        .getStatus())
                .isEqualTo(429);
        // REST calls are not upgrades: not concerned
        get(TestKeys.token("fay-" + UUID.randomUUID(), "client")).then().statusCode(200);
    }

    @Test
    @Order(4)
    void callsWithATokenTheGatewayCannotVerifyCountAgainstTheAddressAndGet429BeyondIt() {
        // the address's allowance (3) is this test's alone: the calls above all carried valid tokens
        for (int i = 0; i < 3; i++) {
            Response refused = get("not-a-token");
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.header("WWW-Authenticate")).isEqualTo("Bearer error=\"invalid_token\"");
        }
        Response limited = get("not-a-token");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.contentType()).isEqualTo("application/problem+json");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isPositive();
        // a call without a token shares the address's allowance
        assertThat(given().get("/api/conversations").statusCode()).isEqualTo(429);
        // a verified user's own allowance is untouched
        get(TestKeys.token("gil-" + UUID.randomUUID(), "client")).then().statusCode(200);
    }

    private static Response get(String token) {
        return given().header("Authorization", "Bearer " + token).get("/api/conversations");
    }

    /** The refusal of an upgrade with {@code token} in the Authorization header (none when null). */
    private UpgradeRejectedException rejected(String token) {
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(ws.getHost())
                .setPort(ws.getPort())
                .setURI(ws.getPath());
        if (token != null) {
            options.addHeader("Authorization", "Bearer " + token);
        }
        Throwable[] failure = new Throwable[1];
        assertThatThrownBy(() -> client.connect(options)
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS))
                .satisfies(e -> failure[0] = e)
                .hasRootCauseInstanceOf(UpgradeRejectedException.class);
        Throwable cause = failure[0];
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return (UpgradeRejectedException) cause;
    }
}
