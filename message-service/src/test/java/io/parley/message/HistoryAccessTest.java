package io.parley.message;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.parley.events.ConversationCreated;
import io.parley.events.ConversationKind;
import io.parley.events.Topics;
import io.parley.infra.EventTap;
import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class HistoryAccessTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Test
    void historyIsForParticipantsAndForAdminsOnSupportConversations() {
        UUID direct = UUID.randomUUID();
        UUID support = UUID.randomUUID();
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        EventTap.publish(
                kafka,
                Topics.CONVERSATIONS,
                ConversationCreated.of(
                        direct, ConversationKind.DIRECT, null, alice, List.of(alice, bob), Instant.now()));
        EventTap.publish(
                kafka,
                Topics.CONVERSATIONS,
                ConversationCreated.of(support, ConversationKind.SUPPORT, null, alice, List.of(alice), Instant.now()));

        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> given().auth()
                        .oauth2(TestKeys.token(bob, "expert"))
                        .when()
                        .get("/api/conversations/" + direct + "/messages")
                        .then()
                        .statusCode(200));
        given().auth()
                .oauth2(TestKeys.token("admin-1", "admin"))
                .when()
                .get("/api/conversations/" + direct + "/messages")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> given().auth()
                        .oauth2(TestKeys.token("admin-1", "admin"))
                        .when()
                        .get("/api/conversations/" + support + "/messages")
                        .then()
                        .statusCode(200));
        given().auth()
                .oauth2(TestKeys.token("mallory", "client"))
                .when()
                .get("/api/conversations/" + support + "/messages")
                .then()
                .statusCode(404);
        given().when().get("/api/conversations/" + direct + "/messages").then().statusCode(401);
        given().auth()
                .oauth2(TestKeys.token(alice, "client"))
                .when()
                .get("/api/conversations/not-a-uuid/messages")
                .then()
                .statusCode(404);
    }

    @Test
    void aTokenThatWasAcceptedIsRefusedOnceItExpires() {
        String alice = "alice-" + UUID.randomUUID();
        UUID conversation = Conversations.create(kafka, "direct", alice, List.of(alice, "bob"));
        String shortLived = TestKeys.keys().token(alice, "client", "Alice", Duration.ofSeconds(2));
        given().auth()
                .oauth2(shortLived)
                .get("/api/conversations/" + conversation + "/messages")
                .then()
                .statusCode(200);
        // Expired two seconds after it was issued, refused at the latest once the five seconds of clock skew pass.
        await().atMost(Duration.ofSeconds(12))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> given().auth()
                        .oauth2(shortLived)
                        .get("/api/conversations/" + conversation + "/messages")
                        .then()
                        .statusCode(401));
    }
}
