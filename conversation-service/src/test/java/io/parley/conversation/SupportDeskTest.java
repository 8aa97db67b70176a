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
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Support conversations: first for their owner, and the admins' desk of those awaiting a reply. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class SupportDeskTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Test
    void theSupportConversationComesFirstForClientsAndExpertsWhateverIsNewer() {
        for (String role : List.of("client", "expert")) {
            String user = role + "-" + UUID.randomUUID();
            UUID support = support(user, role);
            UUID direct = InboxTest.create(user, "direct", List.of("peer-" + UUID.randomUUID()));
            try (Messages messages = new Messages(kafka)) {
                messages.created(direct, "direct", List.of(user), 1, "peer", "client");
                await().atMost(Duration.ofSeconds(10))
                        .untilAsserted(
                                () -> assertThat(InboxTest.view(user, direct).getLong("lastSeq"))
                                        .isEqualTo(1));
            }
            JsonPath list = given().auth()
                    .oauth2(TestKeys.token(user, role))
                    .get("/api/conversations")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(list.getList("items.id")).containsExactly(support.toString(), direct.toString());
            assertThat(list.getList("items.pinned")).containsExactly(true, false);
            assertThat(list.getList("items.type")).containsExactly("support", "direct");
        }
    }

    @Test
    void theUnansweredFilterFollowsRepliesFromClientsExpertsAndAdmins() {
        String client = "client-" + UUID.randomUUID();
        String expert = "expert-" + UUID.randomUUID();
        String firstAdmin = "admin-" + UUID.randomUUID();
        String secondAdmin = "admin-" + UUID.randomUUID();
        UUID clientDesk = support(client, "client");
        UUID expertDesk = support(expert, "expert");
        try (Messages messages = new Messages(kafka)) {
            // A support conversation without messages awaits nothing.
            assertThat(unanswered(firstAdmin)).doesNotContain(clientDesk.toString(), expertDesk.toString());

            messages.created(clientDesk, "support", List.of(client), 1, client, "client");
            messages.created(expertDesk, "support", List.of(expert), 1, expert, "expert");
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() ->
                            assertThat(unanswered(secondAdmin)).contains(expertDesk.toString(), clientDesk.toString()));

            messages.created(clientDesk, "support", List.of(client), 2, firstAdmin, "admin");
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(unanswered(secondAdmin))
                            .contains(expertDesk.toString())
                            .doesNotContain(clientDesk.toString()));
            JsonPath answered = given().auth()
                    .oauth2(TestKeys.token(secondAdmin, "admin"))
                    .get("/api/conversations/" + clientDesk)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(answered.getString("answeredBy")).isEqualTo(firstAdmin);
            assertThat(answered.getBoolean("awaitingReply")).isFalse();

            messages.created(expertDesk, "support", List.of(expert), 2, secondAdmin, "admin");
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(unanswered(firstAdmin)).doesNotContain(expertDesk.toString()));
            messages.created(clientDesk, "support", List.of(client), 3, client, "client");
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(unanswered(firstAdmin))
                            .contains(clientDesk.toString())
                            .doesNotContain(expertDesk.toString()));

            // Every admin sees every support conversation on the desk, latest activity first.
            List<String> desk = desk(firstAdmin, "support");
            assertThat(desk).containsSubsequence(clientDesk.toString(), expertDesk.toString());
        }
        // The desk is for admins.
        given().auth()
                .oauth2(TestKeys.token(client, "client"))
                .queryParam("filter", "unanswered")
                .get("/api/conversations")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(TestKeys.token(firstAdmin, "admin"))
                .queryParam("filter", "everything")
                .get("/api/conversations")
                .then()
                .statusCode(400);
    }

    private static UUID support(String user, String role) {
        return UUID.fromString(given().auth()
                .oauth2(TestKeys.token(user, role))
                .get("/api/conversations/support")
                .then()
                .statusCode(200)
                .extract()
                .path("id"));
    }

    private static List<String> unanswered(String admin) {
        return desk(admin, "unanswered");
    }

    /** Every page of the admin's desk with {@code filter}. */
    private static List<String> desk(String admin, String filter) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            JsonPath page = given().auth()
                    .oauth2(TestKeys.token(admin, "admin"))
                    .queryParam("filter", filter)
                    .queryParam("limit", 100)
                    .queryParam("cursor", cursor)
                    .get("/api/conversations")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            ids.addAll(page.getList("items.id"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        return ids;
    }
}
