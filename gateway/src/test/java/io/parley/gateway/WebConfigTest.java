package io.parley.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.InfraTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /config.json} without an OpenID Connect issuer configured: no {@code oidc} member (the app then takes its
 * token from the address's fragment), the role claim the services read, never cached; the app's policy lets it reach
 * no other origin.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class WebConfigTest {

    @Test
    void withoutAnIssuerTheAppIsToldTheRoleClaimOnly() {
        Response config = given().get("/config.json");
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.contentType()).startsWith("application/json");
        assertThat(config.header("Cache-Control")).isEqualTo("no-store");
        Map<String, Object> body = config.jsonPath().getMap("");
        assertThat(body).containsExactly(Map.entry("roleClaim", "groups"));
        SecurityHeadersTest.hasTheHeaders(config);
    }

    @Test
    void withoutAnIssuerTheAppsPolicyAllowsItsOwnOriginOnly() {
        String policy = given().get("/test-page.html").header("Content-Security-Policy");
        assertThat(policy).contains("connect-src 'self';").contains("frame-src 'self';");
    }
}
