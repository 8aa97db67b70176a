package io.parley.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.InfraTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /config.json} with an OpenID Connect issuer configured as for a Keycloak realm (README, configuration):
 * the issuer, the app's client, its scope and the role claim of the realm's tokens; the app's Content-Security-Policy
 * lets it reach that issuer's origin (metadata, tokens, silent renewal in a frame), and no other.
 */
@QuarkusTest
@TestProfile(WebConfigOidcTest.Issuer.class)
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class WebConfigOidcTest {

    /** An issuer for the app, and Keycloak's role claim. */
    public static class Issuer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "parley.web.oidc.authority", "https://id.example.com/realms/parley",
                    "parley.web.oidc.client-id", "parley-web",
                    "parley.web.oidc.scope", "openid profile email",
                    "parley.jwt.role-claim", "realm_access/roles");
        }
    }

    @Test
    void theAppIsToldTheIssuerItsClientItsScopeAndTheRoleClaim() {
        Response config = given().accept("application/json").get("/config.json");
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.contentType()).startsWith("application/json");
        assertThat(config.header("Cache-Control")).isEqualTo("no-store");
        assertThat(config.jsonPath().getString("roleClaim")).isEqualTo("realm_access/roles");
        Map<String, Object> oidc = config.jsonPath().getMap("oidc");
        assertThat(oidc)
                .containsOnly(
                        Map.entry("authority", "https://id.example.com/realms/parley"),
                        Map.entry("clientId", "parley-web"),
                        Map.entry("scope", "openid profile email"));
    }

    @Test
    void theAppsPolicyLetsItReachTheIssuerAndNothingElse() {
        String policy = given().get("/test-page.html").header("Content-Security-Policy");
        assertThat(policy)
                .contains("connect-src 'self' https://id.example.com;")
                .contains("frame-src 'self' https://id.example.com;")
                .contains("frame-ancestors 'none'")
                .doesNotContain("realms");
    }
}
