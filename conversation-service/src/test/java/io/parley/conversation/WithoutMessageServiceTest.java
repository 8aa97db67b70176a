package io.parley.conversation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;

/**
 * A message-service that cannot be reached (here, none listens: the connection is refused) does not hold answers back:
 * the change is answered at once, with a warning, and reaches the message-service through Kafka.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class WithoutMessageServiceTest {

    @Test
    void changesOfMembershipAreAnsweredWithoutWaitingForTimeouts() {
        String alice = "alice-" + UUID.randomUUID();
        String token = TestKeys.token(alice, "client");
        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            String member = "member-" + UUID.randomUUID();
            String id = given().auth()
                    .oauth2(token)
                    .contentType(ContentType.JSON)
                    .body(Map.of("type", "group", "participants", List.of()))
                    .post("/api/conversations")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            given().auth()
                    .oauth2(token)
                    .contentType(ContentType.JSON)
                    .body(Map.of("userId", member))
                    .post("/api/conversations/" + id + "/participants")
                    .then()
                    .statusCode(200);
            given().auth()
                    .oauth2(token)
                    .delete("/api/conversations/" + id + "/participants/" + member)
                    .then()
                    .statusCode(204);
        }
        // 15 changes; each would take the 3 s timeouts if a refused connection were waited for
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
}
