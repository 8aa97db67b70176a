package io.parley.conversation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The conversation list, paged while messages keep moving conversations to its top. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class ListPagingTest {

    private static final int CONVERSATIONS = 500;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Test
    void pagingThroughFiveHundredConversationsWhileMessagesArriveReturnsEachExactlyOnce() throws Exception {
        String owner = "owner-" + UUID.randomUUID();
        List<UUID> conversations = new ArrayList<>();
        for (int i = 0; i < CONVERSATIONS; i++) {
            conversations.add(InboxTest.create(owner, "direct", List.of("peer-" + i + "-" + UUID.randomUUID())));
        }
        ExecutorService background = Executors.newSingleThreadExecutor();
        AtomicBoolean paging = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        try (Messages messages = new Messages(kafka)) {
            // Messages keep arriving, most in conversations deep in the list, which each then jump to its top.
            Future<?> traffic = background.submit(() -> {
                Random random = new Random(7);
                Map<UUID, Long> seqs = new HashMap<>();
                while (paging.get()) {
                    UUID target = conversations.get(random.nextInt(CONVERSATIONS / 2));
                    long seq = seqs.merge(target, 1L, Long::sum);
                    messages.created(target, "direct", List.of(owner), seq, "peer", "client");
                    sent.incrementAndGet();
                }
            });
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                JsonPath page = given().auth()
                        .oauth2(TestKeys.token(owner, "client"))
                        .queryParam("limit", 20)
                        .queryParam("cursor", cursor)
                        .get("/api/conversations")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath();
                seen.addAll(page.getList("items.id"));
                cursor = page.getString("nextCursor");
                pages++;
                // Let messages land between pages: the list moves under the reader.
                await().pollDelay(Duration.ofMillis(40)).until(() -> true);
            } while (cursor != null && pages < 100);
            paging.set(false);
            traffic.get();

            assertThat(sent.get()).as("messages that arrived while paging").isGreaterThan(20);
            // the support conversation, pinned first, and each of the 500 once
            assertThat(seen).hasSize(CONVERSATIONS + 1);
            assertThat(seen).doesNotHaveDuplicates();
            assertThat(seen.subList(1, seen.size()))
                    .containsExactlyInAnyOrderElementsOf(
                            conversations.stream().map(UUID::toString).toList());
        } finally {
            background.shutdownNow();
        }
    }

    @Test
    void aCursorThatThisApiDidNotGiveIsRefused() {
        String user = "user-" + UUID.randomUUID();
        for (String cursor : List.of("nonsense", "MTo1OjU6NTo0Og", "MTox", "%%%")) {
            given().auth()
                    .oauth2(TestKeys.token(user, "client"))
                    .queryParam("cursor", cursor)
                    .get("/api/conversations")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json");
        }
    }
}
