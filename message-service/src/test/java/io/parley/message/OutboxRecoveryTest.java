package io.parley.message;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.events.MessageEvent;
import io.parley.events.Topics;
import io.parley.infra.EventTap;
import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.parley.kit.OutboxRelay;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class OutboxRecoveryTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Inject
    OutboxRelay relay;

    @Inject
    Pool pool;

    @AfterEach
    void relayRuns() {
        relay.resume();
    }

    @Test
    void aMessageCommittedBeforeACrashIsPublishedOnceAfterRestart() {
        String alice = "alice-" + UUID.randomUUID();
        UUID conversation = Conversations.create(kafka, "direct", alice, List.of(alice, "bob"));
        try (EventTap tap = EventTap.open(kafka, Topics.MESSAGES)) {
            // The process "dies" right after its commits: nothing is published...
            relay.pause();
            String id = given().auth()
                    .oauth2(TestKeys.token(alice, "client"))
                    .contentType(ContentType.JSON)
                    .body(Map.of("clientMessageId", UUID.randomUUID().toString(), "content", "survives"))
                    .post("/api/conversations/" + conversation + "/messages")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            await().during(Duration.ofSeconds(1))
                    .atMost(Duration.ofSeconds(2))
                    .untilAsserted(() -> assertThat(tap.events(
                                    MessageEvent.class, e -> e.conversationId().equals(conversation)))
                            .isEmpty());
            assertThat(outboxRows()).as("the event waits in the outbox").isPositive();

            // ...and the restarted process publishes what its predecessor committed, once.
            relay.resume();
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(tap.events(
                                    MessageEvent.class, e -> e.conversationId().equals(conversation)))
                            .singleElement()
                            .satisfies(
                                    e -> assertThat(e.message().id().toString()).isEqualTo(id)));
            await().during(Duration.ofSeconds(1))
                    .atMost(Duration.ofSeconds(3))
                    .untilAsserted(() -> assertThat(tap.events(
                                    MessageEvent.class, e -> e.conversationId().equals(conversation)))
                            .hasSize(1));
            await().atMost(Duration.ofSeconds(5)).until(() -> outboxRows() == 0);
        }
    }

    private long outboxRows() {
        return pool.query("SELECT count(*) FROM outbox")
                .executeAndAwait()
                .iterator()
                .next()
                .getLong(0);
    }
}
