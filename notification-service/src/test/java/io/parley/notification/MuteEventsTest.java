package io.parley.notification;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.events.MuteChanged;
import io.parley.events.Topics;
import io.parley.infra.EventTap;
import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Every change of a mute is published as {@code mute.changed} on {@code parley.user-events}, keyed by its user, in
 * the order the changes were made, so that the conversation-service's views answer {@code muted}; a refused change
 * publishes nothing.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FcmStandIn.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ApnsStandIn.class, scope = TestResourceScope.GLOBAL)
class MuteEventsTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Test
    void muteForAWhileMuteForGoodAndUnmuteArePublishedInOrderKeyedByUser() {
        String user = "mia-" + UUID.randomUUID();
        UUID conversation = UUID.randomUUID();
        Instant until = Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        try (EventTap tap = EventTap.open(kafka, Topics.USERS)) {
            given().auth()
                    .oauth2(TestKeys.token(user, "client"))
                    .contentType(ContentType.JSON)
                    .body("{\"until\":\"" + until + "\"}")
                    .put("/api/push/mutes/" + conversation)
                    .then()
                    .statusCode(204);
            given().auth()
                    .oauth2(TestKeys.token(user, "client"))
                    .put("/api/push/mutes/" + conversation)
                    .then()
                    .statusCode(204);
            given().auth()
                    .oauth2(TestKeys.token(user, "client"))
                    .delete("/api/push/mutes/" + conversation)
                    .then()
                    .statusCode(204);

            List<MuteChanged> changes = await().atMost(Duration.ofSeconds(15))
                    .until(() -> tap.events(MuteChanged.class, e -> e.userId().equals(user)), list -> list.size() >= 3);
            assertThat(changes).hasSize(3).allSatisfy(e -> {
                assertThat(e.conversationId()).isEqualTo(conversation);
                assertThat(e.type()).isEqualTo("mute.changed");
            });
            assertThat(changes).extracting(MuteChanged::muted).containsExactly(true, true, false);
            assertThat(changes).extracting(MuteChanged::until).containsExactly(until, null, null);
            assertThat(tap.records(Duration.ofMillis(200)))
                    .filteredOn(r ->
                            r.value() instanceof MuteChanged m && m.userId().equals(user))
                    .allSatisfy(r -> assertThat(r.key()).isEqualTo(user));
        }
    }

    @Test
    void aRefusedMutePublishesNothing() {
        String user = "ned-" + UUID.randomUUID();
        UUID conversation = UUID.randomUUID();
        try (EventTap tap = EventTap.open(kafka, Topics.USERS)) {
            given().auth()
                    .oauth2(TestKeys.token(user, "client"))
                    .contentType(ContentType.JSON)
                    .body("{\"until\":\"2001-01-01T00:00:00Z\"}")
                    .put("/api/push/mutes/" + conversation)
                    .then()
                    .statusCode(400);
            // a change made after it is published: anything the refused one published would be seen before it
            given().auth()
                    .oauth2(TestKeys.token(user, "client"))
                    .delete("/api/push/mutes/" + conversation)
                    .then()
                    .statusCode(204);
            List<MuteChanged> changes = await().atMost(Duration.ofSeconds(15))
                    .until(() -> tap.events(MuteChanged.class, e -> e.userId().equals(user)), list -> !list.isEmpty());
            assertThat(changes).extracting(MuteChanged::muted).containsExactly(false);
        }
    }
}
