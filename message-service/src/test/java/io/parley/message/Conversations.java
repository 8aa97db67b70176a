package io.parley.message;

import static io.restassured.RestAssured.given;

import io.parley.events.ConversationCreated;
import io.parley.events.ConversationKind;
import io.parley.events.Event;
import io.parley.events.Topics;
import io.parley.infra.EventTap;
import io.parley.infra.TestKeys;
import io.restassured.http.ContentType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Plays the conversation-service's part in these tests: publishes a conversation event, then asks the message-service
 * to hold it ({@code POST /internal/replica/sync}), as the conversation-service does before it answers its caller.
 */
final class Conversations {

    private Conversations() {}

    static UUID create(String kafka, String type, String creator, List<String> participants) {
        UUID id = UUID.randomUUID();
        publishAndSync(
                kafka,
                ConversationCreated.of(id, ConversationKind.fromWire(type), null, creator, participants, Instant.now()),
                id);
        return id;
    }

    /** Publishes {@code event} (acknowledged by Kafka) and waits, through the sync call, until the replica holds it. */
    static void publishAndSync(String kafka, Event event, UUID conversation) {
        EventTap.publish(kafka, Topics.CONVERSATIONS, event);
        sync(conversation).then().statusCode(204);
    }

    /** {@code POST /internal/replica/sync} for {@code conversation}, with some valid token. */
    static io.restassured.response.Response sync(UUID conversation) {
        return given().auth()
                .oauth2(TestKeys.token("conversation-service-caller", "client"))
                .contentType(ContentType.JSON)
                .body(Map.of("conversationId", conversation.toString()))
                .post("/internal/replica/sync");
    }
}
