package io.parley.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.InfraTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/**
 * The HTTP server's own limits, as docs/api.md gives them: a request line over 4 KiB is a {@code 414}, headers over
 * 8 KiB a {@code 431}, each with an empty body; a request within them goes on.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class HttpLimitsTest {

    @Test
    void headersOver8KiBAre431AndHeadersWithinGoOn() {
        Response over = given().accept("application/json")
                .header("X-Padding", "p".repeat(8 * 1024))
                .get("/");
        assertThat(over.statusCode()).isEqualTo(431);
        assertThat(over.asByteArray()).isEmpty();

        Response within = given().accept("application/json")
                .header("X-Padding", "p".repeat(7 * 1024))
                .get("/");
        assertThat(within.statusCode()).isEqualTo(200);
    }

    @Test
    void aRequestLineOver4KiBIs414() {
        Response over = given().accept("application/json").get("/?q=" + "q".repeat(4 * 1024));
        assertThat(over.statusCode()).isEqualTo(414);
        assertThat(over.asByteArray()).isEmpty();

        assertThat(given().accept("application/json")
                        .get("/?q=" + "q".repeat(3 * 1024))
                        .statusCode())
                .isEqualTo(200);
    }
}
