package io.parley.conversation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.events.PresenceChanged;
import io.parley.events.Role;
import io.parley.events.Topics;
import io.parley.infra.EventTap;
import io.parley.infra.FreePort;
import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.parley.kit.OutboxRelay;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every change of membership is answered only once its event is published and the message-service said its replica
 * applied it: the service calls {@code POST /internal/replica/sync} with the caller's token before it answers. Here a
 * stand-in for the message-service records those calls.
 */
@QuarkusTest
@TestProfile(ReplicaSyncTest.WithAMessageService.class)
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class ReplicaSyncTest {

    static final int PORT = FreePort.find();

    /** Points the service at the stand-in, with a short sync timeout. */
    public static class WithAMessageService implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "parley.message.url",
                    "http://127.0.0.1:" + PORT,
                    "parley.message.sync-timeout",
                    "1s",
                    "parley.message.publish-timeout",
                    "3s");
        }
    }

    /** What the stand-in received: the conversation of each sync call and the Authorization header it carried. */
    record Sync(String conversationId, String authorization) {}

    enum Mode {
        APPLIED,
        SLOW,
        UNAVAILABLE
    }

    static final List<Sync> calls = new CopyOnWriteArrayList<>();
    static volatile Mode mode = Mode.APPLIED;
    static Vertx vertx;
    static HttpServer server;

    @Inject
    OutboxRelay relay;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @BeforeAll
    static void startStandIn() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer()
                .requestHandler(request -> {
                    if (!request.path().equals("/internal/replica/sync")
                            || !"POST".equals(request.method().name())) {
                        request.response().setStatusCode(404).end();
                        return;
                    }
                    request.body().onSuccess(body -> {
                        calls.add(new Sync(
                                new JsonObject(body).getString("conversationId"), request.getHeader("Authorization")));
                        switch (mode) {
                            case APPLIED ->
                                request.response().setStatusCode(204).end();
                            case UNAVAILABLE ->
                                request.response().setStatusCode(503).end();
                            case SLOW ->
                                vertx.setTimer(
                                        10_000,
                                        id -> request.response()
                                                .setStatusCode(204)
                                                .end());
                        }
                    });
                })
                .listen(PORT, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopStandIn() {
        vertx.close();
    }

    @BeforeEach
    void reset() {
        mode = Mode.APPLIED;
        relay.resume();
    }

    @Test
    void creationsAdditionsAndRemovalsAreAnsweredOnceTheMessageServiceHasThem() {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        String token = TestKeys.token(alice, "client");

        String group = create(token, "group", List.of(bob))
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        assertThat(calls).contains(new Sync(group, "Bearer " + token));

        String direct = create(token, "direct", List.of(bob))
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        assertThat(calls).contains(new Sync(direct, "Bearer " + token));
        // the direct conversation they have already, made a moment ago (its creator's request could still be
        // waiting): answered once the message-service has it too
        String bobsToken = TestKeys.token(bob, "client");
        create(bobsToken, "direct", List.of(alice)).then().statusCode(200);
        assertThat(calls).last().isEqualTo(new Sync(direct, "Bearer " + bobsToken));
        int before = calls.size();

        String carol = "carol-" + UUID.randomUUID();
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("userId", carol))
                .post("/api/conversations/" + group + "/participants")
                .then()
                .statusCode(200);
        assertThat(calls).hasSize(before + 1).last().isEqualTo(new Sync(group, "Bearer " + token));
        // adding again changes nothing
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("userId", carol))
                .post("/api/conversations/" + group + "/participants")
                .then()
                .statusCode(200);
        assertThat(calls).hasSize(before + 1);

        // a removal, by the creator and by the participant who leaves (with their own token)
        given().auth()
                .oauth2(token)
                .delete("/api/conversations/" + group + "/participants/" + carol)
                .then()
                .statusCode(204);
        assertThat(calls).hasSize(before + 2).last().isEqualTo(new Sync(group, "Bearer " + token));
        given().auth()
                .oauth2(bobsToken)
                .delete("/api/conversations/" + group + "/participants/" + bob)
                .then()
                .statusCode(204);
        assertThat(calls).hasSize(before + 3).last().isEqualTo(new Sync(group, "Bearer " + bobsToken));
    }

    @Test
    void aSupportConversationMadeOnFirstUseIsAnsweredOnceTheMessageServiceHasIt() {
        String client = "client-" + UUID.randomUUID();
        String token = TestKeys.token(client, "client");
        String support = given().auth()
                .oauth2(token)
                .get("/api/conversations/support")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        assertThat(calls).contains(new Sync(support, "Bearer " + token));
        // asked again a moment later (a first request that raced this one could still be waiting): the same
        int before = calls.size();
        given().auth().oauth2(token).get("/api/conversations/support").then().statusCode(200);
        given().auth().oauth2(token).get("/api/conversations").then().statusCode(200);
        assertThat(calls.subList(before, calls.size()))
                .containsExactly(new Sync(support, "Bearer " + token), new Sync(support, "Bearer " + token));

        // first used through the list
        String expert = "expert-" + UUID.randomUUID();
        String expertToken = TestKeys.token(expert, "expert");
        String viaList = given().auth()
                .oauth2(expertToken)
                .get("/api/conversations")
                .then()
                .statusCode(200)
                .extract()
                .path("items[0].id");
        assertThat(calls).contains(new Sync(viaList, "Bearer " + expertToken));
    }

    @Test
    void aSupportConversationMadeByAConnectionIsCheckedBeforeItIsHandedOut() {
        String client = "client-" + UUID.randomUUID();
        String token = TestKeys.token(client, "client");
        EventTap.publish(kafka, Topics.PRESENCE, PresenceChanged.of(client, Role.CLIENT, true, Instant.now()));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> given().auth()
                        .oauth2(TestKeys.token("admin-" + UUID.randomUUID(), "admin"))
                        .get("/api/conversations?filter=support&limit=100")
                        .then()
                        .statusCode(200)
                        .extract()
                        .<List<String>>path("items.participants.flatten()")
                        .contains(client));
        // made by the presence event, without a caller to wait: the owner's first request waits for the replica
        int before = calls.size();
        String support = given().auth()
                .oauth2(token)
                .get("/api/conversations/support")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        assertThat(calls.subList(before, calls.size())).containsExactly(new Sync(support, "Bearer " + token));
    }

    @Test
    void theCallWaitsForTheEventToBePublished() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        String token = TestKeys.token(alice, "client");
        relay.pause();
        CompletableFuture<Response> answer =
                CompletableFuture.supplyAsync(() -> create(token, "group", List.of("bob-" + UUID.randomUUID())));
        Thread.sleep(700);
        // not published: no call to the message-service, no answer
        assertThat(answer).isNotDone();
        assertThat(calls).noneMatch(c -> c.authorization().equals("Bearer " + token));
        relay.resume();
        Response created = answer.get(10, TimeUnit.SECONDS);
        created.then().statusCode(201);
        assertThat(calls).contains(new Sync(created.path("id"), "Bearer " + token));
    }

    @Test
    void aMessageServiceThatIsSlowOrUnavailableDelaysTheAnswerOnlyBoundedly() {
        String alice = "alice-" + UUID.randomUUID();
        String token = TestKeys.token(alice, "client");
        mode = Mode.UNAVAILABLE;
        String id = create(token, "group", List.of())
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        assertThat(calls).contains(new Sync(id, "Bearer " + token));

        mode = Mode.SLOW;
        long start = System.nanoTime();
        create(token, "group", List.of()).then().statusCode(201);
        // the sync timeout is 1 s here; the stand-in would answer after 10 s
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));

        // the event is still awaited when it is published late: the answer comes, with a warning, at the timeout
        mode = Mode.APPLIED;
        relay.pause();
        start = System.nanoTime();
        create(token, "group", List.of()).then().statusCode(201);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        relay.resume();
    }

    private static Response create(String token, String type, List<String> others) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("type", type, "participants", others))
                .post("/api/conversations");
    }
}
