package io.parley.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every answer of the gateway's public port carries the security headers (nosniff, no referrer, no framing); HTML
 * carries the app's Content-Security-Policy; none carries Strict-Transport-Security over plain HTTP.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class SecurityHeadersTest {

    static void hasTheHeaders(Response response) {
        assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(response.header("Strict-Transport-Security"))
                .as("plain HTTP")
                .isNull();
        assertThat(response.headers().getList("X-Content-Type-Options")).hasSize(1);
    }

    @Test
    void theOpenApiDocumentTheRootAndRestAnswersCarryThem() {
        Response openapi = given().get("/q/openapi/gateway");
        assertThat(openapi.statusCode()).isEqualTo(200);
        hasTheHeaders(openapi);
        assertThat(openapi.header("Content-Security-Policy")).isNull(); // not HTML

        Response root = given().accept("application/json").get("/");
        assertThat(root.statusCode()).isEqualTo(200);
        hasTheHeaders(root);

        // forwarded (the service is not running in this test: the proxy's own answer), and refused by the gateway
        hasTheHeaders(given().header("Authorization", "Bearer " + TestKeys.token("ann-" + UUID.randomUUID(), "client"))
                .get("/api/conversations"));
        hasTheHeaders(given().header("Authorization", "Bearer not-a-token").get("/api/conversations"));
        Response upgrade = given().get("/ws");
        assertThat(upgrade.statusCode()).isGreaterThanOrEqualTo(400);
        hasTheHeaders(upgrade);
        hasTheHeaders(given().get("/no-such-file.js"));
    }

    @Test
    void anHtmlFileOfTheAppCarriesTheContentSecurityPolicy() {
        Response page = given().get("/test-page.html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        hasTheHeaders(page);
        String policy = page.header("Content-Security-Policy");
        assertThat(policy)
                .contains("default-src 'self'")
                .contains("script-src 'self'")
                .contains("img-src 'self' blob: data:")
                .contains("connect-src 'self'")
                .contains("object-src 'none'")
                .contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline")
                .doesNotContain("unsafe-eval");
    }

    @Test
    void theSilentRenewalPageMayBeFramedByTheAppOnlyAndRunsItsOneInlineScript() {
        Response page = given().get("/silent-renew.html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.header("X-Frame-Options")).isEqualTo("SAMEORIGIN");
        assertThat(page.header("Content-Security-Policy"))
                .isEqualTo("default-src 'none'; script-src 'unsafe-inline'; frame-ancestors 'self'");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
    }
}
