package io.parley.conversation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.parley.events.ConversationCreated;
import io.parley.events.ParticipantAdded;
import io.parley.events.ParticipantRemoved;
import io.parley.events.Topics;
import io.parley.infra.EventTap;
import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class SupportAndParticipantsTest {

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
    void tenRacingFirstRequestsMakeOneSupportConversation() throws Exception {
        String client = "client-" + UUID.randomUUID();
        String token = TestKeys.token(client, "client");
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<String>> firsts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            boolean viaList = i % 2 == 0;
            firsts.add(pool.submit(() -> viaList
                    ? given().auth()
                            .oauth2(token)
                            .get("/api/conversations")
                            .then()
                            .statusCode(200)
                            .extract()
                            .<String>path("items[0].id")
                    : given().auth()
                            .oauth2(token)
                            .get("/api/conversations/support")
                            .then()
                            .statusCode(200)
                            .extract()
                            .<String>path("id")));
        }
        Set<String> ids = new HashSet<>();
        for (Future<String> first : firsts) {
            ids.add(first.get());
        }
        pool.shutdown();
        assertThat(ids).hasSize(1);
        String id = ids.iterator().next();

        given().auth()
                .oauth2(token)
                .get("/api/conversations/" + id)
                .then()
                .statusCode(200)
                .body("type", equalTo("support"))
                .body("pinned", equalTo(true))
                .body("participants", contains(client));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(tap.events(
                                ConversationCreated.class, e -> e.createdBy().equals(client)))
                        .hasSize(1));
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(tap.events(
                                ConversationCreated.class, e -> e.createdBy().equals(client)))
                        .hasSize(1));

        // Every admin sees it, in the list and by id; another client does not.
        String admin = TestKeys.token("admin-" + UUID.randomUUID(), "admin");
        given().auth()
                .oauth2(admin)
                .get("/api/conversations/" + id)
                .then()
                .statusCode(200)
                .body("pinned", equalTo(false));
        assertThat(allIds(admin)).contains(id);
        given().auth()
                .oauth2(TestKeys.token("other-" + UUID.randomUUID(), "client"))
                .get("/api/conversations/" + id)
                .then()
                .statusCode(404);
        given().auth().oauth2(admin).get("/api/conversations/support").then().statusCode(403);
    }

    @Test
    void theSupportConversationComesFirstThenTheLatestAndPagesNeitherSkipNorRepeat() {
        String expert = "expert-" + UUID.randomUUID();
        String token = TestKeys.token(expert, "expert");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(given().auth()
                    .oauth2(token)
                    .contentType(ContentType.JSON)
                    .body(Map.of("type", "group", "title", "g" + i, "participants", List.of("p" + i)))
                    .post("/api/conversations")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id"));
        }
        Response first = given().auth().oauth2(token).get("/api/conversations?limit=3");
        first.then()
                .statusCode(200)
                .body("items[0].type", equalTo("support"))
                .body("items[0].pinned", equalTo(true))
                .body("items.size()", equalTo(3));
        List<String> ids = new ArrayList<>(first.path("items.id"));
        String cursor = first.path("nextCursor");
        while (cursor != null) {
            Response page = given().auth()
                    .oauth2(token)
                    .queryParam("limit", 3)
                    .queryParam("cursor", cursor)
                    .get("/api/conversations");
            page.then().statusCode(200);
            ids.addAll(page.path("items.id"));
            cursor = page.path("nextCursor");
        }
        assertThat(ids).hasSize(8).doesNotHaveDuplicates();
        List<String> newestFirst = new ArrayList<>(created);
        java.util.Collections.reverse(newestFirst);
        assertThat(ids.subList(1, 8)).containsExactlyElementsOf(newestFirst);

        given().auth().oauth2(token).get("/api/conversations?limit=0").then().statusCode(400);
        given().auth()
                .oauth2(token)
                .get("/api/conversations?cursor=garbage!")
                .then()
                .statusCode(400);
        // A limit of one holds only the pinned conversation, and the next page goes on from the top of the rest.
        Response one = given().auth().oauth2(token).get("/api/conversations?limit=1");
        one.then().body("items.size()", equalTo(1)).body("items[0].pinned", equalTo(true));
        given().auth()
                .oauth2(token)
                .queryParam("limit", 1)
                .queryParam("cursor", one.<String>path("nextCursor"))
                .get("/api/conversations")
                .then()
                .body("items[0].id", equalTo(newestFirst.get(0)));
    }

    @Test
    void theCreatorOrAnAdminManagesAGroupAndAnyoneMayLeave() {
        String owner = "owner-" + UUID.randomUUID();
        String member = "member-" + UUID.randomUUID();
        String newcomer = "newcomer-" + UUID.randomUUID();
        String id = given().auth()
                .oauth2(TestKeys.token(owner, "expert"))
                .contentType(ContentType.JSON)
                .body(Map.of("type", "group", "title", "Team", "participants", List.of(member)))
                .post("/api/conversations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String participants = "/api/conversations/" + id + "/participants";

        given().auth()
                .oauth2(TestKeys.token(member, "client"))
                .contentType(ContentType.JSON)
                .body(Map.of("userId", newcomer))
                .post(participants)
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestKeys.token("stranger", "client"))
                .contentType(ContentType.JSON)
                .body(Map.of("userId", newcomer))
                .post(participants)
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(TestKeys.token(owner, "expert"))
                .contentType(ContentType.JSON)
                .body(Map.of("userId", newcomer))
                .post(participants)
                .then()
                .statusCode(200)
                .body("participants", hasItem(newcomer));
        given().auth()
                .oauth2(TestKeys.token(newcomer, "client"))
                .get("/api/conversations/" + id)
                .then()
                .statusCode(200);

        given().auth()
                .oauth2(TestKeys.token(member, "client"))
                .delete(participants + "/" + newcomer)
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestKeys.token(newcomer, "client"))
                .delete(participants + "/" + newcomer)
                .then()
                .statusCode(204);
        given().auth()
                .oauth2(TestKeys.token(newcomer, "client"))
                .get("/api/conversations/" + id)
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(TestKeys.token(owner, "expert"))
                .delete(participants + "/" + member)
                .then()
                .statusCode(204);
        given().auth()
                .oauth2(TestKeys.token(owner, "expert"))
                .delete(participants + "/" + member)
                .then()
                .statusCode(404);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(tap.events(
                            ParticipantAdded.class,
                            e -> e.conversationId().toString().equals(id)))
                    .extracting(ParticipantAdded::userId)
                    .containsExactly(newcomer);
            assertThat(tap.events(
                            ParticipantRemoved.class,
                            e -> e.conversationId().toString().equals(id)))
                    .extracting(ParticipantRemoved::userId)
                    .containsExactly(newcomer, member);
            // each event names the participants after the change, for the gateways to tell them
            assertThat(tap.events(
                            ParticipantAdded.class,
                            e -> e.conversationId().toString().equals(id)))
                    .extracting(e -> java.util.Set.copyOf(e.participants()))
                    .containsExactly(java.util.Set.of(owner, member, newcomer));
            assertThat(tap.events(
                            ParticipantRemoved.class,
                            e -> e.conversationId().toString().equals(id)))
                    .extracting(e -> java.util.Set.copyOf(e.participants()))
                    .containsExactly(java.util.Set.of(owner, member), java.util.Set.of(owner));
        });

        String direct = given().auth()
                .oauth2(TestKeys.token(owner, "expert"))
                .contentType(ContentType.JSON)
                .body(Map.of("type", "direct", "participants", List.of(member)))
                .post("/api/conversations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        given().auth()
                .oauth2(TestKeys.token(owner, "expert"))
                .contentType(ContentType.JSON)
                .body(Map.of("userId", newcomer))
                .post("/api/conversations/" + direct + "/participants")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    private static List<String> allIds(String token) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            var request = given().auth().oauth2(token).queryParam("limit", 100);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            Response page = request.get("/api/conversations");
            ids.addAll(page.path("items.id"));
            cursor = page.path("nextCursor");
        } while (cursor != null);
        return ids;
    }
}
