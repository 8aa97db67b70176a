package io.parley.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.events.ConversationKind;
import io.parley.events.MessageData;
import io.parley.events.MessageEvent;
import io.parley.events.Topics;
import io.parley.infra.EventPublisher;
import io.parley.infra.InfraTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With full previews an alert shows the last message: it follows an edit of it, and never shows a deleted one (the
 * body falls back to the count, which a deleted message keeps until read), whether the alert is still pending or
 * already queued for a device.
 */
@QuarkusTest
@TestProfile(PreviewRevisionTest.FullPreview.class)
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FcmStandIn.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ApnsStandIn.class, scope = TestResourceScope.GLOBAL)
class PreviewRevisionTest {

    /** The test profile with {@code PARLEY_PUSH_PREVIEW=full}. */
    public static class FullPreview implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("parley.push.preview", "full");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Inject
    Pool pool;

    PushEndpoint push;
    EventPublisher events;

    @BeforeEach
    void open() throws Exception {
        push = new PushEndpoint();
        events = new EventPublisher(kafka);
    }

    @AfterEach
    void close() {
        push.close();
        events.close();
    }

    @Test
    void anEditedLastMessageShowsItsNewText() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        UUID conversation = UUID.randomUUID();
        String device = "device-" + UUID.randomUUID();
        subscribe(bob, device);

        MessageEvent sent = Alerts.message(conversation, 1, alice, List.of(alice, bob), "see you at 5");
        events.publish(Topics.MESSAGES, sent);
        events.publish(Topics.MESSAGES, changed(MessageEvent.UPDATED, sent, "see you at 6"));

        await().atMost(Duration.ofSeconds(15)).until(() -> push.to(device).size() == 1);
        assertThat(push.to(device).get(0).payload().getString("body")).isEqualTo("see you at 6");
        assertThat(push.to(device).get(0).payload().getInteger("count")).isEqualTo(1);
    }

    @Test
    void aDeletedLastMessageIsNeverShownAndStillCounts() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        UUID conversation = UUID.randomUUID();
        String device = "device-" + UUID.randomUUID();
        subscribe(bob, device);

        events.publish(Topics.MESSAGES, Alerts.message(conversation, 1, alice, List.of(alice, bob), "hello"));
        MessageEvent secret = Alerts.message(conversation, 2, alice, List.of(alice, bob), "my password is hunter2");
        events.publish(Topics.MESSAGES, secret);
        events.publish(Topics.MESSAGES, changed(MessageEvent.DELETED, secret, null));

        await().atMost(Duration.ofSeconds(15)).until(() -> push.to(device).size() == 1);
        PushEndpoint.Push alert = push.to(device).get(0);
        assertThat(alert.payload().encode()).doesNotContain("hunter2");
        assertThat(alert.payload().getInteger("count")).isEqualTo(2);
        assertThat(alert.payload().getString("body")).isEqualTo("2 new messages");
    }

    @Test
    void anAlertAlreadyQueuedForADeviceForgetsADeletedMessage() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        String carol = "carol-" + UUID.randomUUID();
        UUID conversation = UUID.randomUUID();
        String device = "device-" + UUID.randomUUID();
        subscribe(carol, device);
        push.answer(device, 503, 503, 503); // retried after about 1, 2 and 4 s

        MessageEvent secret = Alerts.message(conversation, 1, alice, List.of(alice, carol), "delete me quick");
        events.publish(Topics.MESSAGES, secret);
        await().atMost(Duration.ofSeconds(15)).until(() -> push.attempts.containsKey(device));
        events.publish(Topics.MESSAGES, changed(MessageEvent.DELETED, secret, null));
        await().atMost(Duration.ofSeconds(15))
                .until(() -> pool.preparedQuery(
                                        "SELECT count(*) FROM push_delivery WHERE conversation_id = $1 AND payload LIKE '%delete me%'")
                                .execute(Tuple.of(conversation))
                                .await()
                                .indefinitely()
                                .iterator()
                                .next()
                                .getLong(0)
                        == 0);

        await().atMost(Duration.ofSeconds(20)).until(() -> push.to(device).size() == 1);
        assertThat(push.to(device).get(0).payload().encode()).doesNotContain("delete me");
        assertThat(push.to(device).get(0).payload().getString("body")).isEqualTo("New message");
    }

    @Test
    void anEditOfAMessageQueuedForADeviceReachesIt() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        String dave = "dave-" + UUID.randomUUID();
        UUID conversation = UUID.randomUUID();
        String device = "device-" + UUID.randomUUID();
        subscribe(dave, device);
        push.answer(device, 503, 503, 503);

        MessageEvent sent = Alerts.message(conversation, 1, alice, List.of(alice, dave), "teh plan");
        events.publish(Topics.MESSAGES, sent);
        await().atMost(Duration.ofSeconds(15)).until(() -> push.attempts.containsKey(device));
        events.publish(Topics.MESSAGES, changed(MessageEvent.UPDATED, sent, "the plan"));

        await().atMost(Duration.ofSeconds(20)).until(() -> push.to(device).size() == 1);
        assertThat(push.to(device).get(0).payload().getString("body")).isEqualTo("the plan");
    }

    @Test
    void aMessageOfFilesAloneSaysHowManyFiles() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        String erin = "erin-" + UUID.randomUUID();
        UUID conversation = UUID.randomUUID();
        String device = "device-" + UUID.randomUUID();
        subscribe(erin, device);

        MessageData m = Alerts.message(conversation, 1, alice, List.of(alice, erin), null)
                .message();
        List<Map<String, Object>> files = List.of(
                Map.of(
                        "id",
                        UUID.randomUUID().toString(),
                        "name",
                        "a.pdf",
                        "contentType",
                        "application/pdf",
                        "size",
                        1234L,
                        "sha256",
                        "ab",
                        "url",
                        "/api/attachments/a"),
                Map.of(
                        "id",
                        UUID.randomUUID().toString(),
                        "name",
                        "b.png",
                        "contentType",
                        "image/png",
                        "size",
                        99L,
                        "sha256",
                        "cd",
                        "url",
                        "/api/attachments/b"));
        MessageData withFiles = new MessageData(
                m.id(),
                m.conversationId(),
                m.seq(),
                m.clientMessageId(),
                m.senderId(),
                m.senderRole(),
                m.senderName(),
                m.type(),
                null,
                files,
                m.createdAt(),
                null,
                null);
        events.publish(
                Topics.MESSAGES,
                MessageEvent.of(
                        MessageEvent.CREATED, ConversationKind.DIRECT, List.of(alice, erin), withFiles, m.createdAt()));

        await().atMost(Duration.ofSeconds(15)).until(() -> push.to(device).size() == 1);
        assertThat(push.to(device).get(0).payload().getString("body")).isEqualTo("\uD83D\uDCCE 2 files");
    }

    /** The event the message-service publishes when the message of {@code created} is edited or deleted. */
    private static MessageEvent changed(String type, MessageEvent created, String content) {
        MessageData m = created.message();
        boolean deleted = MessageEvent.DELETED.equals(type);
        MessageData now = new MessageData(
                m.id(),
                m.conversationId(),
                m.seq(),
                m.clientMessageId(),
                m.senderId(),
                m.senderRole(),
                m.senderName(),
                m.type(),
                deleted ? null : content,
                List.of(),
                m.createdAt(),
                deleted ? m.editedAt() : Instant.now(),
                deleted ? Instant.now() : null);
        return MessageEvent.of(type, created.conversationType(), created.participants(), now, Instant.now());
    }

    private void subscribe(String user, String name) throws Exception {
        PushEndpoint.Device device = push.device(name);
        Alerts.subscribe(
                user,
                Map.of(
                        "kind",
                        "webpush",
                        "endpoint",
                        device.endpoint(),
                        "keys",
                        Map.of("p256dh", device.p256dh(), "auth", device.auth())));
    }
}
