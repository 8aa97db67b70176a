package io.parley.message;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.parley.events.MessageEvent;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class SendMessagesTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    EventTap tap;

    @BeforeEach
    void openTap() {
        tap = EventTap.open(kafka, Topics.MESSAGES);
    }

    @AfterEach
    void closeTap() {
        tap.close();
    }

    @Test
    void eightConcurrentSendersGetSeqsOneToSixteenHundredAndHistoryPagesReturnThemAllInOrder() throws Exception {
        List<String> senders = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            senders.add("sender-" + i + "-" + UUID.randomUUID());
        }
        UUID conversation = Conversations.create(kafka, "group", senders.get(0), senders);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<List<Long>>> results = new ArrayList<>();
        for (String sender : senders) {
            Callable<List<Long>> task = () -> {
                String token = TestKeys.token(sender, "client");
                List<Long> seqs = new ArrayList<>();
                for (int n = 0; n < 200; n++) {
                    long seq = given().auth()
                            .oauth2(token)
                            .contentType(ContentType.JSON)
                            .body(Map.of("clientMessageId", UUID.randomUUID().toString(), "content", sender + " " + n))
                            .post("/api/conversations/" + conversation + "/messages")
                            .then()
                            .statusCode(201)
                            .extract()
                            .<Number>path("seq")
                            .longValue();
                    seqs.add(seq);
                }
                return seqs;
            };
            results.add(pool.submit(task));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> result : results) {
            List<Long> seqs = result.get();
            assertThat(seqs)
                    .as("one sender's messages are numbered in the order they were sent")
                    .isSorted();
            all.addAll(seqs);
        }
        pool.shutdown();
        assertThat(all)
                .containsExactlyInAnyOrderElementsOf(
                        LongStream.rangeClosed(1, 1600).boxed().toList());

        String reader = TestKeys.token(senders.get(3), "client");
        List<Long> forward = new ArrayList<>();
        long after = 0;
        boolean more = true;
        while (more) {
            Response page = given().auth()
                    .oauth2(reader)
                    .get("/api/conversations/" + conversation + "/messages?afterSeq=" + after + "&limit=137");
            page.then().statusCode(200);
            List<Number> seqs = page.path("items.seq");
            seqs.forEach(s -> forward.add(s.longValue()));
            more = page.path("hasMore");
            after = forward.get(forward.size() - 1);
        }
        assertThat(forward)
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, 1600).boxed().toList());

        List<Long> backward = new ArrayList<>();
        Response latest =
                given().auth().oauth2(reader).get("/api/conversations/" + conversation + "/messages?limit=200");
        List<Number> latestSeqs = latest.path("items.seq");
        latestSeqs.forEach(s -> backward.add(s.longValue()));
        more = latest.path("hasMore");
        while (more) {
            Response page = given().auth()
                    .oauth2(reader)
                    .get("/api/conversations/" + conversation + "/messages?beforeSeq=" + backward.get(0)
                            + "&limit=200");
            List<Number> seqs = page.path("items.seq");
            List<Long> earlier = new ArrayList<>();
            seqs.forEach(s -> earlier.add(s.longValue()));
            backward.addAll(0, earlier);
            more = page.path("hasMore");
        }
        assertThat(backward).containsExactlyElementsOf(forward);

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(tap.events(
                                MessageEvent.class, e -> e.conversationId().equals(conversation)))
                        .hasSize(1600));
        List<Long> published = tap
                .events(MessageEvent.class, e -> e.conversationId().equals(conversation))
                .stream()
                .map(e -> e.message().seq())
                .toList();
        assertThat(published)
                .as("published in seq order on the conversation's partition")
                .isSorted()
                .doesNotHaveDuplicates();
    }

    @Test
    void aSendRetriedTenTimesConcurrentlyStoresAndPublishesOneMessage() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        UUID conversation = Conversations.create(kafka, "direct", alice, List.of(alice, "bob-" + UUID.randomUUID()));
        String clientMessageId = UUID.randomUUID().toString();
        String token = TestKeys.token(alice, "client");

        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<Response>> sends = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sends.add(pool.submit(() -> given().auth()
                    .oauth2(token)
                    .contentType(ContentType.JSON)
                    .body(Map.of("clientMessageId", clientMessageId, "content", "hello once"))
                    .post("/api/conversations/" + conversation + "/messages")));
        }
        List<Integer> statuses = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (Future<Response> send : sends) {
            Response response = send.get();
            statuses.add(response.statusCode());
            ids.add(response.path("id"));
        }
        pool.shutdown();
        assertThat(statuses).containsOnly(200, 201).filteredOn(s -> s == 201).hasSize(1);
        assertThat(ids).containsOnly(ids.get(0));
        // And once more, later: still the same message.
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("clientMessageId", clientMessageId, "content", "hello once"))
                .post("/api/conversations/" + conversation + "/messages")
                .then()
                .statusCode(200)
                .body("id", equalTo(ids.get(0)))
                .body("seq", equalTo(1));

        given().auth()
                .oauth2(token)
                .get("/api/conversations/" + conversation + "/messages")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(1));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(tap.events(
                                MessageEvent.class, e -> e.conversationId().equals(conversation)))
                        .hasSize(1));
        // Nothing else arrives later either.
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(tap.events(
                                MessageEvent.class, e -> e.conversationId().equals(conversation)))
                        .hasSize(1));
    }

    @Test
    void theSameClientMessageIdInAnotherConversationIsAConflict() {
        String alice = "alice-" + UUID.randomUUID();
        UUID first = Conversations.create(kafka, "direct", alice, List.of(alice, "bob"));
        UUID second = Conversations.create(kafka, "direct", alice, List.of(alice, "carol"));
        String clientMessageId = UUID.randomUUID().toString();
        String token = TestKeys.token(alice, "client");
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("clientMessageId", clientMessageId, "content", "hi"))
                .post("/api/conversations/" + first + "/messages")
                .then()
                .statusCode(201);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("clientMessageId", clientMessageId, "content", "hi"))
                .post("/api/conversations/" + second + "/messages")
                .then()
                .statusCode(409)
                .contentType("application/problem+json");
    }

    @Test
    void badSendsAreRefusedAndStoreNothing() {
        String alice = "alice-" + UUID.randomUUID();
        UUID conversation = Conversations.create(kafka, "direct", alice, List.of(alice, "bob"));
        String token = TestKeys.token(alice, "client");
        String path = "/api/conversations/" + conversation + "/messages";

        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("clientMessageId", UUID.randomUUID().toString(), "content", "x".repeat(8_001)))
                .post(path)
                .then()
                .statusCode(413)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("clientMessageId", UUID.randomUUID().toString(), "content", "x".repeat(8_000)))
                .post(path)
                .then()
                .statusCode(201);
        // characters are Unicode code points, as the OpenAPI maxLength counts them: an emoji is one, not two
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("clientMessageId", UUID.randomUUID().toString(), "content", "😀".repeat(8_000)))
                .post(path)
                .then()
                .statusCode(201);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("clientMessageId", UUID.randomUUID().toString(), "content", "😀".repeat(8_001)))
                .post(path)
                .then()
                .statusCode(413);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("content", "no id"))
                .post(path)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("clientMessageId", "not-a-uuid", "content", "x"))
                .post(path)
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("clientMessageId", UUID.randomUUID().toString(), "content", "x", "type", "system"))
                .post(path)
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"clientMessageId\": ")
                .post(path)
                .then()
                .statusCode(400);
        given().auth().oauth2(token).get(path + "?afterSeq=-1").then().statusCode(400);
        given().auth().oauth2(token).get(path + "?limit=100000").then().statusCode(400);
        given().auth()
                .oauth2(token)
                .get(path + "?afterSeq=1&beforeSeq=3")
                .then()
                .statusCode(400);

        given().auth()
                .oauth2(token)
                .get(path)
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(2)) // the 8,000 x and the 8,000 emoji
                .body("items[0].seq", equalTo(1))
                .body("items[1].seq", equalTo(2))
                .body("items[0].createdAt", notNullValue());
    }
}
