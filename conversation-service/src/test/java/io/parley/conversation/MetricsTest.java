package io.parley.conversation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.infra.InfraTestResource;
import io.parley.infra.MetricsScrape;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The conversation-service's metrics on its management interface (never its public port): the inbox's batches and
 * events move with the message events it applies, and the outbox's lag goes back to 0 once its events are published.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class MetricsTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    /** The management interface's /q/metrics. */
    @TestHTTPResource(value = "/metrics", management = true)
    URI metrics;

    @Test
    void inboxAndOutboxFiguresMoveWithTheWork() throws Exception {
        given().get("/q/metrics").then().statusCode(404);
        MetricsScrape before = MetricsScrape.of(metrics);
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        // The creation goes out through the outbox.
        UUID direct = InboxTest.create(alice, "direct", List.of(bob));
        try (Messages messages = new Messages(kafka)) {
            messages.created(direct, "direct", List.of(alice, bob), 1, alice, "client");
            messages.created(direct, "direct", List.of(alice, bob), 2, alice, "client");
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(InboxTest.view(bob, direct).getLong("lastSeq"))
                            .isEqualTo(2));
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            MetricsScrape after = MetricsScrape.of(metrics);
            assertThat(after.value("parley_inbox_events_total") - before.value("parley_inbox_events_total"))
                    .isGreaterThanOrEqualTo(2);
            assertThat(after.value("parley_inbox_batch_seconds_count")
                            - before.value("parley_inbox_batch_seconds_count"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(after.value("parley_inbox_batch_seconds_sum")).isPositive();
            // Published: nothing waits in the outbox.
            assertThat(after.has("parley_outbox_lag_seconds")).isTrue();
            assertThat(after.value("parley_outbox_lag_seconds")).isZero();
            assertThat(after.value("parley_outbox_depth")).isZero();
            assertThat(after.names()).contains("kafka_consumer_fetch_manager_records_lag_max");
        });
    }
}
