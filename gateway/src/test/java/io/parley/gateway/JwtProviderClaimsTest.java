package io.parley.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.InfraTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tokens shaped as Keycloak issues them work by configuration alone: with {@code PARLEY_JWT_ROLE_CLAIM} set to
 * {@code realm_access/roles} the role is read there, and with {@code MP_JWT_VERIFY_AUDIENCES} set a token must name
 * that audience. REST through the gateway and the {@code /ws} upgrade alike.
 */
@QuarkusTest
@TestProfile(JwtProviderClaimsTest.Keycloak.class)
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StubServices.Port.class, scope = TestResourceScope.GLOBAL)
class JwtProviderClaimsTest {

    /** The settings a Keycloak realm's tokens need (README, configuration). */
    public static class Keycloak implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("parley.jwt.role-claim", "realm_access/roles", "mp.jwt.verify.audiences", "parley");
        }
    }

    @TestHTTPResource("/ws")
    URI ws;

    @ConfigProperty(name = "parley.test.stub-url")
    URI stubUrl;

    @Inject
    Vertx vertx;

    WebSocketClient client;
    StubServices stub;
    JwtMatrixTest upgrades = new JwtMatrixTest();

    @BeforeEach
    void open() throws Exception {
        client = vertx.createWebSocketClient();
        stub = new StubServices(vertx, stubUrl.getPort());
        upgrades.client = client;
        upgrades.ws = ws;
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        stub.close();
    }

    @Test
    void aKeycloakTokenForThisAudienceIsAcceptedAndItsRealmRoleIsTheRole() throws Exception {
        String kim = "kim-" + UUID.randomUUID();
        UUID conversation = UUID.randomUUID();
        stub.conversations.put(conversation, new StubServices.Conversation("group", List.of(kim)));

        String token = Tokens.trusted(keycloak(kim, "parley", "expert"));

        assertThat(JwtMatrixTest.rest(token, conversation).statusCode()).isEqualTo(200);
        WsClient connected = new WsClient(client, ws, token);
        assertThat(connected.welcome.getString("userId")).isEqualTo(kim);
        connected.socket.close();
    }

    @Test
    void anotherAudienceOrNoneIsRefused() throws Exception {
        String kim = "kim-" + UUID.randomUUID();
        UUID conversation = UUID.randomUUID();
        stub.conversations.put(conversation, new StubServices.Conversation("group", List.of(kim)));
        JwtClaims none = keycloak(kim, "parley", "client");
        none.unsetClaim("aud");

        for (String token : List.of(Tokens.trusted(keycloak(kim, "another-api", "client")), Tokens.trusted(none))) {
            Response answer = JwtMatrixTest.rest(token, conversation);
            assertThat(answer.statusCode()).isEqualTo(401);
            assertThat(upgrades.upgradeRefusal(token)).isEqualTo(401);
        }
    }

    @Test
    void aRoleOnlyInGroupsIsNoRoleOnceTheClaimIsConfigured() {
        JwtClaims groupsOnly = Tokens.claims("kim-" + UUID.randomUUID());
        groupsOnly.setAudience("parley");
        groupsOnly.setStringListClaim("groups", List.of("admin"));

        assertThat(upgrades.upgradeRefusal(Tokens.trusted(groupsOnly))).isEqualTo(403);
    }

    /**
     * Claims as a Keycloak realm puts them in an access token: {@code aud}, the realm's roles under
     * {@code realm_access.roles} (with Keycloak's own {@code offline_access} beside the Parley role), no {@code groups}.
     */
    static JwtClaims keycloak(String userId, String audience, String role) {
        JwtClaims claims = Tokens.claims(userId);
        claims.setAudience(audience);
        claims.setClaim("azp", "parley-web");
        claims.setClaim("realm_access", Map.of("roles", List.of("offline_access", role)));
        claims.setClaim("preferred_username", userId);
        return claims;
    }
}
