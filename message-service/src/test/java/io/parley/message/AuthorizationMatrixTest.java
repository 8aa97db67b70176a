package io.parley.message;

import static io.restassured.RestAssured.given;

import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.assertj.core.api.SoftAssertions;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Every message endpoint against every kind of caller. Non-participants get 404, exactly as for a conversation that
 * does not exist; no token or an expired one gets 401; admins use support conversations only.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class AuthorizationMatrixTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    private record Endpoint(String name, Function<RequestSpecification, Integer> call) {}

    @Test
    void groupConversation() {
        String sender = "sender-" + UUID.randomUUID();
        String participant = "participant-" + UUID.randomUUID();
        UUID conversation = Conversations.create(kafka, "group", sender, List.of(sender, participant));
        // columns: participant (not the message's sender), non-participant, admin not in it, no token, expired
        int[][] expected = {
            {201, 404, 404, 401, 401}, // POST messages
            {200, 404, 404, 401, 401}, // GET messages
            {403, 404, 404, 401, 401}, // PATCH a message of someone else
            {403, 404, 404, 401, 401}, // DELETE a message of someone else
            {204, 404, 404, 401, 401}, // POST read
        };
        check(conversation, sender, participant, expected);
    }

    @Test
    void supportConversation() {
        String owner = "owner-" + UUID.randomUUID();
        UUID conversation = Conversations.create(kafka, "support", owner, List.of(owner));
        // The owner, a stranger, any admin (who may delete but not edit the owner's messages).
        int[][] expected = {
            {201, 404, 201, 401, 401},
            {200, 404, 200, 401, 401},
            {200, 404, 403, 401, 401},
            {204, 404, 204, 401, 401},
            {204, 404, 204, 401, 401},
        };
        check(conversation, owner, owner, expected);
    }

    private static void check(UUID conversation, String sender, String participant, int[][] expected) {
        String path = "/api/conversations/" + conversation + "/messages";
        Supplier<String> message = () -> given().auth()
                .oauth2(TestKeys.token(sender, "client"))
                .contentType(ContentType.JSON)
                .body(Map.of("clientMessageId", UUID.randomUUID().toString(), "content", "a message"))
                .post(path)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        List<Endpoint> endpoints = List.of(
                new Endpoint(
                        "POST messages",
                        r -> r.contentType(ContentType.JSON)
                                .body(Map.of(
                                        "clientMessageId", UUID.randomUUID().toString(), "content", "hi"))
                                .post(path)
                                .statusCode()),
                new Endpoint("GET messages", r -> r.get(path).statusCode()),
                new Endpoint(
                        "PATCH message",
                        r -> r.contentType(ContentType.JSON)
                                .body(Map.of("content", "edited"))
                                .patch(path + "/" + message.get())
                                .statusCode()),
                new Endpoint(
                        "DELETE message",
                        r -> r.delete(path + "/" + message.get()).statusCode()),
                new Endpoint(
                        "POST read",
                        r -> r.contentType(ContentType.JSON)
                                .body(Map.of("seq", 1))
                                .post("/api/conversations/" + conversation + "/read")
                                .statusCode()));
        List<Supplier<RequestSpecification>> callers = List.of(
                () -> given().auth().oauth2(TestKeys.token(participant, "client")),
                () -> given().auth().oauth2(TestKeys.token("stranger-" + UUID.randomUUID(), "client")),
                () -> given().auth().oauth2(TestKeys.token("admin-" + UUID.randomUUID(), "admin")),
                () -> given(),
                () -> given().auth().oauth2(TestKeys.keys().expiredToken(participant, "client")));
        String[] names = {"participant", "non-participant", "admin", "no token", "expired token"};
        SoftAssertions softly = new SoftAssertions();
        for (int e = 0; e < endpoints.size(); e++) {
            for (int c = 0; c < callers.size(); c++) {
                int status = endpoints.get(e).call().apply(callers.get(c).get());
                softly.assertThat(status)
                        .as(endpoints.get(e).name() + " as " + names[c])
                        .isEqualTo(expected[e][c]);
            }
        }
        softly.assertAll();
    }
}
