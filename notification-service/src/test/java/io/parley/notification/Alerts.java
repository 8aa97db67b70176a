package io.parley.notification;

import static io.restassured.RestAssured.given;

import io.parley.events.ConversationKind;
import io.parley.events.MessageData;
import io.parley.events.MessageEvent;
import io.parley.events.Role;
import io.parley.infra.TestKeys;
import io.restassured.http.ContentType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the alert tests share: a message from Alice as the message-service publishes it, and a device subscribed. */
final class Alerts {

    private Alerts() {}

    static MessageEvent message(UUID conversation, long seq, String sender, List<String> participants) {
        return message(conversation, seq, sender, participants, "message " + seq);
    }

    static MessageEvent message(UUID conversation, long seq, String sender, List<String> participants, String content) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        MessageData data = new MessageData(
                UUID.randomUUID(),
                conversation,
                seq,
                UUID.randomUUID().toString(),
                sender,
                Role.CLIENT,
                "Alice",
                "text",
                content,
                List.of(),
                at,
                null,
                null);
        return MessageEvent.of(MessageEvent.CREATED, ConversationKind.DIRECT, participants, data, at);
    }

    /** Subscribes a device of the user; answers the subscription's id. */
    static String subscribe(String user, Map<String, Object> subscription) {
        return given().auth()
                .oauth2(TestKeys.token(user, "client"))
                .contentType(ContentType.JSON)
                .body(subscription)
                .post("/api/push/subscriptions")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }
}
