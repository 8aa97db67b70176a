package io.parley.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.infra.DevKeys;
import io.parley.infra.InfraTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every kind of bad token is refused, on REST through the gateway and on the {@code /ws} upgrade alike (docs/api.md,
 * Identity): {@code alg: none}, HS256 keyed by the trusted RSA public key, another issuer, expired, not yet valid, a
 * tampered payload, a key nobody trusts: {@code 401} from the gateway itself, before anything is forwarded; a valid
 * token naming no known role: the upgrade is refused with {@code 403} (a REST call with it is refused by the service
 * it reaches). The same on the upgrade's other carrier ({@code ?access_token=}) and in an {@code auth} frame on an
 * open connection ({@code unauthorized}, {@code forbidden}; the connection goes on). A valid token with a role passes. The conversation-service behind the gateway is played by
 * {@link StubServices}, which answers whatever reaches it: a refusal can only come from the gateway.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StubServices.Port.class, scope = TestResourceScope.GLOBAL)
class JwtMatrixTest {

    @TestHTTPResource("/ws")
    URI ws;

    @ConfigProperty(name = "parley.test.stub-url")
    URI stubUrl;

    @Inject
    Vertx vertx;

    WebSocketClient client;
    StubServices stub;

    @BeforeEach
    void open() throws Exception {
        client = vertx.createWebSocketClient();
        stub = new StubServices(vertx, stubUrl.getPort());
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        stub.close();
    }

    @Test
    void everyBadTokenIsRefusedOnRestAndOnTheUpgradeAndAGoodOnePasses() throws Exception {
        String ann = "ann-" + UUID.randomUUID();
        UUID conversation = UUID.randomUUID();
        stub.conversations.put(conversation, new StubServices.Conversation("group", List.of(ann)));

        Map<String, String> refused401 = new LinkedHashMap<>();
        refused401.put("alg none", Tokens.unsigned(client(ann)));
        refused401.put("HS256 keyed by the RSA public key", Tokens.hmacWithPublicKey(client(ann)));
        JwtClaims otherIssuer = client(ann);
        otherIssuer.setIssuer("https://idp.example.org/realms/other");
        refused401.put("another issuer", Tokens.trusted(otherIssuer));
        JwtClaims expired = client(ann);
        expired.setIssuedAt(
                NumericDate.fromSeconds(Instant.now().minusSeconds(1200).getEpochSecond()));
        expired.setExpirationTime(
                NumericDate.fromSeconds(Instant.now().minusSeconds(600).getEpochSecond()));
        refused401.put("expired", Tokens.trusted(expired));
        JwtClaims early = client(ann);
        early.setIssuedAt(NumericDate.fromSeconds(Instant.now().plusSeconds(600).getEpochSecond()));
        early.setNotBefore(
                NumericDate.fromSeconds(Instant.now().plusSeconds(600).getEpochSecond()));
        early.setExpirationTime(
                NumericDate.fromSeconds(Instant.now().plusSeconds(1800).getEpochSecond()));
        refused401.put("not yet valid", Tokens.trusted(early));
        JwtClaims raised = client(ann);
        raised.setStringListClaim("groups", List.of("admin"));
        refused401.put("tampered payload", Tokens.withPayload(Tokens.trusted(client(ann)), raised));
        refused401.put(
                "a key not trusted",
                Tokens.signedBy(client(ann), DevKeys.strangerKeyPair().getPrivate()));
        refused401.put("not a JWT", "not-a-token");

        JwtClaims noRole = Tokens.claims(ann);
        noRole.setStringListClaim("groups", List.of("superuser"));
        JwtClaims noGroups = Tokens.claims(ann);

        for (Map.Entry<String, String> bad : refused401.entrySet()) {
            Response answer = rest(bad.getValue(), conversation);
            assertThat(answer.statusCode()).as("REST with %s", bad.getKey()).isEqualTo(401);
            assertThat(answer.header("WWW-Authenticate"))
                    .as("REST with %s", bad.getKey())
                    .isEqualTo("Bearer error=\"invalid_token\"");
            // the API's error shape, as for every other refusal (RFC 9457)
            assertThat(answer.contentType()).as("REST with %s", bad.getKey()).startsWith("application/problem+json");
            assertThat(answer.jsonPath().getInt("status")).isEqualTo(401);
            assertThat(answer.jsonPath().getString("title")).isEqualTo("Unauthorized");
            assertThat(upgradeRefusal(bad.getValue()))
                    .as("/ws with %s", bad.getKey())
                    .isEqualTo(401);
            assertThat(upgradeRefusal("/ws?access_token=" + bad.getValue(), null))
                    .as("/ws?access_token= with %s", bad.getKey())
                    .isEqualTo(401);
        }
        // a verified token that names no known role: the upgrade is refused here; a REST call is forwarded and its
        // service refuses it with 403 (RoleClaimTest in the conversation-service)
        for (String token : List.of(Tokens.trusted(noRole), Tokens.trusted(noGroups))) {
            assertThat(upgradeRefusal(token)).as("/ws with no known role").isEqualTo(403);
        }

        String good = Tokens.trusted(client(ann));
        assertThat(rest(good, conversation).statusCode()).isEqualTo(200);
        WsClient connected = new WsClient(client, ws, good);
        assertThat(connected.welcome.getString("userId")).isEqualTo(ann);

        // on an open connection, an auth frame with any of them is refused and the connection goes on
        for (Map.Entry<String, String> bad : refused401.entrySet()) {
            connected.send(new JsonObject()
                    .put("type", "auth")
                    .put("ref", bad.getKey())
                    .put("token", bad.getValue()));
            JsonObject answer = connected.next();
            assertThat(answer.getString("ref")).isEqualTo(bad.getKey());
            assertThat(answer.getString("code"))
                    .as("auth frame with %s", bad.getKey())
                    .isEqualTo("unauthorized");
        }
        // an empty or blank token is a string, so not a valid token: unauthorized (invalid is for no string at all)
        for (String blank : List.of("", " ")) {
            connected.send(
                    new JsonObject().put("type", "auth").put("ref", "blank").put("token", blank));
            assertThat(connected.next().getString("code"))
                    .as("auth frame with the token '%s'", blank)
                    .isEqualTo("unauthorized");
        }
        connected.send(
                new JsonObject().put("type", "auth").put("ref", "no role").put("token", Tokens.trusted(noRole)));
        assertThat(connected.next().getString("code"))
                .as("auth frame with no known role")
                .isEqualTo("forbidden");
        connected.send(
                new JsonObject().put("type", "auth").put("ref", "fresh").put("token", Tokens.trusted(client(ann))));
        assertThat(connected.next().getString("type")).isEqualTo("authenticated");
        connected.socket.close();
    }

    /** A client's claims for {@code userId}, valid for ten minutes. */
    static JwtClaims client(String userId) {
        JwtClaims claims = Tokens.claims(userId);
        claims.setStringListClaim("groups", List.of("client"));
        return claims;
    }

    /** {@code GET /api/conversations/{id}} through the gateway with {@code token}. */
    static Response rest(String token, UUID conversation) {
        return given().header("Authorization", "Bearer " + token)
                .when()
                .get("/api/conversations/" + conversation)
                .andReturn();
    }

    /** The status the {@code /ws} upgrade with {@code token} in the Authorization header is refused with. */
    int upgradeRefusal(String token) {
        return upgradeRefusal(ws.getPath(), token);
    }

    /** The status the upgrade of {@code uri} (with {@code token} in the Authorization header unless null) is refused. */
    int upgradeRefusal(String uri, String token) {
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(ws.getHost())
                .setPort(ws.getPort())
                .setURI(uri);
        if (token != null) {
            options.addHeader("Authorization", "Bearer " + token);
        }
        int[] status = new int[1];
        assertThatThrownBy(() -> client.connect(options)
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS))
                .hasRootCauseInstanceOf(UpgradeRejectedException.class)
                .rootCause()
                .satisfies(e -> status[0] = ((UpgradeRejectedException) e).getStatus());
        return status[0];
    }
}
