package io.parley.message;

import io.parley.events.ConversationCreated;
import io.parley.events.Topics;
import io.parley.infra.EventTap;
import io.parley.infra.TestKeys;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** Plays the conversation-service's part in these tests: announces a conversation and waits for the replica. */
final class Conversations {

    private Conversations() {
    }

    static UUID create(String kafka, String type, String creator, List<String> participants) {
        UUID id = UUID.randomUUID();
        EventTap.publish(kafka, Topics.CONVERSATIONS,
                ConversationCreated.of(id, type, null, creator, participants, Instant.now()));
        await().atMost(Duration.ofSeconds(15)).until(() ->
                given().auth().oauth2(TestKeys.token(creator, "client"))
                        .get("/api/conversations/" + id + "/messages?limit=1").statusCode() == 200);
        return id;
    }
}
