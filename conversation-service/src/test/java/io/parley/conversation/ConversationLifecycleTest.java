package io.parley.conversation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import io.parley.events.ConversationCreated;
import io.parley.events.Topics;
import io.parley.infra.EventTap;
import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class ConversationLifecycleTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    EventTap tap;

    @BeforeEach
    void openTap() {
        tap = EventTap.open(kafka, Topics.CONVERSATIONS);
    }

    @AfterEach
    void closeTap() {
        tap.close();
    }

    @Test
    void directConversationIsStoredReadBackAndPublishedOnce() {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();

        String id = given().auth()
                .oauth2(TestKeys.token(alice, "client"))
                .contentType(ContentType.JSON)
                .body(Map.of("type", "direct", "participants", List.of(bob)))
                .when()
                .post("/api/conversations")
                .then()
                .statusCode(201)
                .body("type", equalTo("direct"))
                .body("participants", containsInAnyOrder(alice, bob))
                .extract()
                .path("id");

        given().auth()
                .oauth2(TestKeys.token(bob, "expert"))
                .when()
                .get("/api/conversations/" + id)
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("participants", containsInAnyOrder(alice, bob));

        // Asking again, from the other side, answers the same conversation and publishes nothing new.
        given().auth()
                .oauth2(TestKeys.token(bob, "expert"))
                .contentType(ContentType.JSON)
                .body(Map.of("type", "direct", "participants", List.of(alice)))
                .when()
                .post("/api/conversations")
                .then()
                .statusCode(200)
                .body("id", equalTo(id));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<ConversationCreated> created = tap.events(
                    ConversationCreated.class,
                    e -> e.conversationId().toString().equals(id));
            assertThat(created).hasSize(1);
            assertThat(created.get(0).participants()).containsExactlyInAnyOrder(alice, bob);
            assertThat(created.get(0).conversationType().wire()).isEqualTo("direct");
        });
        assertThat(tap.records(Duration.ofMillis(300)))
                .filteredOn(r -> r.value() instanceof ConversationCreated c
                        && c.conversationId().toString().equals(id))
                .singleElement()
                .satisfies(r -> assertThat(r.key()).isEqualTo(id));
    }

    @Test
    void aNonParticipantCannotTellTheConversationExists() {
        String alice = "alice-" + UUID.randomUUID();
        String id = given().auth()
                .oauth2(TestKeys.token(alice, "client"))
                .contentType(ContentType.JSON)
                .body(Map.of("type", "group", "title", "Team", "participants", List.of("bob-" + UUID.randomUUID())))
                .when()
                .post("/api/conversations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");

        given().auth()
                .oauth2(TestKeys.token("mallory-" + UUID.randomUUID(), "client"))
                .when()
                .get("/api/conversations/" + id)
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(TestKeys.token("mallory-" + UUID.randomUUID(), "client"))
                .when()
                .get("/api/conversations/" + UUID.randomUUID())
                .then()
                .statusCode(404);
        given().when().get("/api/conversations/" + id).then().statusCode(401);
        given().auth()
                .oauth2(TestKeys.keys().expiredToken(alice, "client"))
                .when()
                .get("/api/conversations/" + id)
                .then()
                .statusCode(401);
    }

    @Test
    void badRequestsAreRefusedWithAProblem() {
        String alice = "alice-" + UUID.randomUUID();
        given().auth()
                .oauth2(TestKeys.token(alice, "client"))
                .contentType(ContentType.JSON)
                .body(Map.of("type", "direct", "participants", List.of()))
                .when()
                .post("/api/conversations")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(TestKeys.token(alice, "client"))
                .contentType(ContentType.JSON)
                .body(Map.of("type", "support"))
                .when()
                .post("/api/conversations")
                .then()
                .statusCode(400);
    }
}
