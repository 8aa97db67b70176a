package io.parley.conversation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.events.ConversationCreated;
import io.parley.events.PresenceChanged;
import io.parley.events.Role;
import io.parley.events.Topics;
import io.parley.infra.EventTap;
import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class SupportOnConnectTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Test
    void aClientWhoConnectsHasTheirSupportConversationAndAnAdminHasNone() {
        String client = "client-" + UUID.randomUUID();
        String admin = "admin-" + UUID.randomUUID();
        try (EventTap tap = EventTap.open(kafka, Topics.CONVERSATIONS)) {
            PresenceChanged online = PresenceChanged.of(client, Role.CLIENT, true, Instant.now());
            EventTap.publish(kafka, Topics.PRESENCE, online);
            EventTap.publish(kafka, Topics.PRESENCE, online); // delivered twice: still one conversation
            EventTap.publish(kafka, Topics.PRESENCE, PresenceChanged.of(admin, Role.ADMIN, true, Instant.now()));

            ConversationCreated created = await().atMost(Duration.ofSeconds(15))
                    .until(
                            () -> tap.events(
                                    ConversationCreated.class,
                                    e -> e.createdBy().equals(client)),
                            list -> !list.isEmpty())
                    .get(0);
            assertThat(created.conversationType().wire()).isEqualTo("support");
            String supportId = given().auth()
                    .oauth2(TestKeys.token(client, "client"))
                    .get("/api/conversations/support")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("id");
            assertThat(supportId).isEqualTo(created.conversationId().toString());
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
                assertThat(tap.events(
                                ConversationCreated.class, e -> e.createdBy().equals(client)))
                        .hasSize(1);
                assertThat(tap.events(
                                ConversationCreated.class, e -> e.createdBy().equals(admin)))
                        .isEmpty();
            });
        }
    }
}
