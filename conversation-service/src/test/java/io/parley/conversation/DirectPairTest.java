package io.parley.conversation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A direct conversation is found by its two users as a pair, never by a string made of the two ids: ids may hold any
 * separator (identity providers put '|' in their subjects).
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class DirectPairTest {

    @Test
    void xBarYWithZIsNotXWithYBarZ() {
        String run = UUID.randomUUID().toString();
        String x = "x-" + run;
        String xy = x + "|y";
        String z = "z";
        String yz = "y|" + z;
        // "x-…|y" + "z" and "x-…" + "y|z" joined with '|' were the same key
        String first = direct(xy, z, 201);
        String second = direct(x, yz, 201);
        assertThat(second).isNotEqualTo(first);
        assertParticipants(first, xy, z);
        assertParticipants(second, x, yz);

        // each is found again by its own pair, from either side
        assertThat(direct(z, xy, 200)).isEqualTo(first);
        assertThat(direct(xy, z, 200)).isEqualTo(first);
        assertThat(direct(yz, x, 200)).isEqualTo(second);
        assertThat(direct(x, yz, 200)).isEqualTo(second);

        // and neither pair can see the other's conversation
        given().auth()
                .oauth2(TestKeys.token(x, "client"))
                .get("/api/conversations/" + first)
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(TestKeys.token(xy, "client"))
                .get("/api/conversations/" + second)
                .then()
                .statusCode(404);
    }

    @Test
    void noSeparatorMakesTwoPairsOne() {
        for (String separator : List.of("|", ":", ",", " ", "\t", "\u0001", "||", "\\", "\"", "")) {
            String run = UUID.randomUUID().toString();
            String a = "a-" + run;
            String ab = a + separator + "b";
            String c = "c";
            String bc = "b" + separator + c;
            String left = direct(ab, c, 201);
            String right = direct(a, bc, 201);
            assertThat(right).as("separator %s", separator).isNotEqualTo(left);
            assertThat(direct(c, ab, 200)).as("separator %s", separator).isEqualTo(left);
            assertThat(direct(bc, a, 200)).as("separator %s", separator).isEqualTo(right);
        }
    }

    @Test
    void theOrderOfTwoIdsDoesNotDependOnTheirEncoding() {
        // U+FF61 sorts before U+1F600 by code point, after it by UTF-16 unit (the emoji's surrogates are D83D DE00)
        String run = UUID.randomUUID().toString();
        String halfwidth = run + "\uFF61";
        String emoji = run + "\uD83D\uDE00";
        String id = direct(halfwidth, emoji, 201);
        assertThat(direct(emoji, halfwidth, 200)).isEqualTo(id);
        assertParticipants(id, halfwidth, emoji);
    }

    @Test
    void aDirectConversationWithOneselfAloneIsRefused() {
        String me = "me-" + UUID.randomUUID();
        given().auth()
                .oauth2(TestKeys.token(me, "client"))
                .contentType(ContentType.JSON)
                .body(Map.of("type", "direct", "participants", List.of(me)))
                .post("/api/conversations")
                .then()
                .statusCode(400);
    }

    private static String direct(String caller, String other, int status) {
        Response answer = given().auth()
                .oauth2(TestKeys.token(caller, "client"))
                .contentType(ContentType.JSON)
                .body(Map.of("type", "direct", "participants", List.of(other)))
                .post("/api/conversations");
        answer.then().statusCode(status);
        return answer.path("id");
    }

    private static void assertParticipants(String id, String one, String other) {
        List<String> participants = given().auth()
                .oauth2(TestKeys.token(one, "client"))
                .get("/api/conversations/" + id)
                .then()
                .statusCode(200)
                .extract()
                .path("participants");
        assertThat(participants).containsExactlyInAnyOrder(one, other);
    }
}
