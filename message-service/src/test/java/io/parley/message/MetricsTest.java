package io.parley.message;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.infra.InfraTestResource;
import io.parley.infra.MetricsScrape;
import io.parley.infra.TestKeys;
import io.parley.kit.OutboxRelay;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The message-service's metrics on its management interface (never its public port): a send that waits in the outbox
 * shows as its depth and a lag that grows, both back to 0 once the relay publishes it; the Kafka consumer's lag is
 * there too.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class MetricsTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    /** The management interface's /q/metrics. */
    @TestHTTPResource(value = "/metrics", management = true)
    URI metrics;

    @Inject
    OutboxRelay relay;

    @AfterEach
    void relayRuns() {
        relay.resume();
    }

    @Test
    void aSendWaitingInTheOutboxShowsAsLagAndDepthUntilPublished() throws Exception {
        given().get("/q/metrics").then().statusCode(404);
        String alice = "alice-" + UUID.randomUUID();
        UUID conversation = Conversations.create(kafka, "direct", alice, List.of(alice, "bob"));
        relay.pause();
        given().auth()
                .oauth2(TestKeys.token(alice, "client"))
                .contentType(ContentType.JSON)
                .body(Map.of("clientMessageId", UUID.randomUUID().toString(), "content", "waits"))
                .post("/api/conversations/" + conversation + "/messages")
                .then()
                .statusCode(201);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            MetricsScrape waiting = MetricsScrape.of(metrics);
            assertThat(waiting.value("parley_outbox_depth")).isGreaterThanOrEqualTo(1);
            assertThat(waiting.value("parley_outbox_lag_seconds")).isPositive();
        });
        double lag = MetricsScrape.of(metrics).value("parley_outbox_lag_seconds");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(MetricsScrape.of(metrics).value("parley_outbox_lag_seconds"))
                        .isGreaterThan(lag));

        relay.resume();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            MetricsScrape published = MetricsScrape.of(metrics);
            assertThat(published.value("parley_outbox_depth")).isZero();
            assertThat(published.value("parley_outbox_lag_seconds")).isZero();
            assertThat(published.names()).contains("kafka_consumer_fetch_manager_records_lag_max");
        });
    }
}
