package io.parley.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The domain words of the events (role, conversation kind, typing state, push kind, preview mode) are spelled on the
 * wire as they were when they were strings: lower case, exactly; the events that carry them are the same JSON, byte for
 * byte; and a word the contract does not know is refused, never read as something else.
 */
class WordsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID EVENT = UUID.fromString("00000000-0000-0000-0000-0000000000e1");
    private static final UUID CONVERSATION = UUID.fromString("00000000-0000-0000-0000-0000000000c1");
    private static final UUID MESSAGE = UUID.fromString("00000000-0000-0000-0000-0000000000a1");
    private static final Instant AT = Instant.parse("2025-03-01T12:00:00Z");

    @Test
    void everyWordIsWrittenAndReadAsTheWireSpellsIt() throws Exception {
        Map<Enum<?>, String> spelled = Map.ofEntries(
                Map.entry(Role.CLIENT, "client"),
                Map.entry(Role.EXPERT, "expert"),
                Map.entry(Role.ADMIN, "admin"),
                Map.entry(ConversationKind.SUPPORT, "support"),
                Map.entry(ConversationKind.DIRECT, "direct"),
                Map.entry(ConversationKind.GROUP, "group"),
                Map.entry(TypingState.START, "start"),
                Map.entry(TypingState.STOP, "stop"),
                Map.entry(PushKind.WEBPUSH, "webpush"),
                Map.entry(PushKind.FCM, "fcm"),
                Map.entry(PushKind.APNS, "apns"),
                Map.entry(PreviewMode.FULL, "full"),
                Map.entry(PreviewMode.SENDER, "sender"),
                Map.entry(PreviewMode.NONE, "none"));
        assertThat(spelled)
                .hasSize(Role.values().length
                        + ConversationKind.values().length
                        + TypingState.values().length
                        + PushKind.values().length
                        + PreviewMode.values().length);
        for (Map.Entry<Enum<?>, String> word : spelled.entrySet()) {
            String json = new String(EventJson.writeValue(word.getKey()), StandardCharsets.UTF_8);
            assertThat(json).as("%s", word.getKey()).isEqualTo('"' + word.getValue() + '"');
            assertThat(JSON.readValue(json, word.getKey().getDeclaringClass())).isSameAs(word.getKey());
        }
        assertThat(ConversationKind.fromWire("support")).isSameAs(ConversationKind.SUPPORT);
        assertThat(TypingState.find("stop")).contains(TypingState.STOP);
        assertThat(PushKind.find("apns")).contains(PushKind.APNS);
        assertThat(Role.fromWire("expert")).isSameAs(Role.EXPERT);
    }

    @Test
    void eventsCarryingWordsAreTheSameJsonAsBefore() {
        MessageData message = new MessageData(
                MESSAGE, CONVERSATION, 3, "c-1", "ann", Role.ADMIN, "Ann", "text", "hi", List.of(), AT, null, null);
        MessageEvent created = new MessageEvent(
                EVENT, MessageEvent.CREATED, AT, 1, CONVERSATION, ConversationKind.SUPPORT, List.of("bob"), message);
        assertJson(
                created,
                "{\"eventId\":\"" + EVENT + "\",\"type\":\"message.created\","
                        + "\"occurredAt\":\"2025-03-01T12:00:00Z\",\"version\":1,\"conversationId\":\"" + CONVERSATION
                        + "\","
                        + "\"conversationType\":\"support\",\"participants\":[\"bob\"],\"message\":{\"id\":\"" + MESSAGE
                        + "\","
                        + "\"conversationId\":\"" + CONVERSATION + "\",\"seq\":3,\"clientMessageId\":\"c-1\","
                        + "\"senderId\":\"ann\",\"senderRole\":\"admin\",\"senderName\":\"Ann\",\"type\":\"text\","
                        + "\"content\":\"hi\",\"attachments\":[],\"createdAt\":\"2025-03-01T12:00:00Z\",\"editedAt\":null,"
                        + "\"deletedAt\":null}}");
        assertJson(
                new TypingChanged(
                        EVENT,
                        TypingChanged.TYPE,
                        AT,
                        1,
                        CONVERSATION,
                        ConversationKind.GROUP,
                        List.of("ann", "bob"),
                        "ann",
                        TypingState.START),
                "{\"eventId\":\"" + EVENT + "\",\"type\":\"typing.changed\",\"occurredAt\":\"2025-03-01T12:00:00Z\","
                        + "\"version\":1,\"conversationId\":\"" + CONVERSATION + "\",\"conversationType\":\"group\","
                        + "\"participants\":[\"ann\",\"bob\"],\"userId\":\"ann\",\"state\":\"start\"}");
        assertJson(
                new ConversationCreated(
                        EVENT,
                        ConversationCreated.TYPE,
                        AT,
                        1,
                        CONVERSATION,
                        ConversationKind.DIRECT,
                        null,
                        "ann",
                        List.of("ann", "bob")),
                "{\"eventId\":\"" + EVENT + "\",\"type\":\"conversation.created\","
                        + "\"occurredAt\":\"2025-03-01T12:00:00Z\",\"version\":1,\"conversationId\":\"" + CONVERSATION
                        + "\",\"conversationType\":\"direct\",\"title\":null,\"createdBy\":\"ann\","
                        + "\"participants\":[\"ann\",\"bob\"]}");
        assertJson(
                new ReadMoved(
                        EVENT, ReadMoved.TYPE, AT, 1, CONVERSATION, ConversationKind.SUPPORT, List.of("bob"), "ann", 3),
                "{\"eventId\":\"" + EVENT + "\",\"type\":\"read.moved\",\"occurredAt\":\"2025-03-01T12:00:00Z\","
                        + "\"version\":1,\"conversationId\":\"" + CONVERSATION + "\",\"conversationType\":\"support\","
                        + "\"participants\":[\"bob\"],\"userId\":\"ann\",\"seq\":3}");
        assertJson(
                new PresenceChanged(EVENT, PresenceChanged.TYPE, AT, 1, "bob", Role.EXPERT, true, AT, "Bob Stone"),
                "{\"eventId\":\"" + EVENT + "\",\"type\":\"presence.changed\",\"occurredAt\":\"2025-03-01T12:00:00Z\","
                        + "\"version\":1,\"userId\":\"bob\",\"role\":\"expert\",\"online\":true,"
                        + "\"lastSeenAt\":\"2025-03-01T12:00:00Z\",\"name\":\"Bob Stone\"}");
    }

    /** {@code event} is written as {@code json} exactly, through the Kafka serializer too, and read back equal. */
    private static void assertJson(Event event, String json) {
        byte[] written = new EventSerializer().serialize("topic", event);
        assertThat(new String(written, StandardCharsets.UTF_8)).isEqualTo(json);
        assertThat(new EventDeserializer().deserialize("topic", json.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(event);
    }

    @Test
    void aWordTheContractDoesNotKnowIsRefused() {
        String typing = "{\"eventId\":\"" + EVENT + "\",\"type\":\"typing.changed\","
                + "\"occurredAt\":\"2025-03-01T12:00:00Z\",\"version\":1,\"conversationId\":\"" + CONVERSATION + "\","
                + "\"conversationType\":\"group\",\"participants\":[\"ann\"],\"userId\":\"ann\",\"state\":\"%s\"}";
        assertThat(EventJson.read(typing.formatted("stop").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(
                        TypingChanged.class, t -> assertThat(t.state()).isSameAs(TypingState.STOP));
        for (String wrong : List.of("pause", "START", "Start", " start", "")) {
            assertThatThrownBy(() -> EventJson.read(typing.formatted(wrong).getBytes(StandardCharsets.UTF_8)))
                    .as(wrong)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unknown typing state: \"" + wrong + "\" (known: start, stop)");
        }
        String presence = "{\"eventId\":\"" + EVENT + "\",\"type\":\"presence.changed\","
                + "\"occurredAt\":\"2025-03-01T12:00:00Z\",\"version\":1,\"userId\":\"bob\",\"role\":\"guest\","
                + "\"online\":true,\"lastSeenAt\":null}";
        assertThatThrownBy(() -> EventJson.read(presence.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown role: \"guest\" (known: client, expert, admin)");

        assertThatThrownBy(() -> ConversationKind.fromWire("channel"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown conversation kind: \"channel\" (known: support, direct, group)");
        assertThatThrownBy(() -> PushKind.fromWire(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown push kind: null (known: webpush, fcm, apns)");
        assertThat(ConversationKind.find("Group")).isEmpty();
        assertThat(PushKind.find("web push")).isEmpty();
        assertThat(TypingState.find(null)).isEmpty();
        assertThatThrownBy(() -> JSON.readValue("\"superuser\"", Role.class))
                .hasMessageContaining("unknown role: \"superuser\"");
    }

    @Test
    void aWordLeftOutIsNullNotRefused() {
        // events published before a field existed leave it out: the field is null, the event is read
        String old = "{\"eventId\":\"" + EVENT + "\",\"type\":\"conversation.created\","
                + "\"occurredAt\":\"2025-03-01T12:00:00Z\",\"version\":1,\"conversationId\":\"" + CONVERSATION + "\","
                + "\"createdBy\":\"ann\",\"participants\":[\"ann\"],\"conversationType\":null}";
        assertThat(EventJson.read(old.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(
                        ConversationCreated.class,
                        c -> assertThat(c.conversationType()).isNull());
    }

    @Test
    void thePreviewSettingReadsAsItAlwaysHas() {
        assertThat(PreviewMode.ofSetting("full")).isSameAs(PreviewMode.FULL);
        assertThat(PreviewMode.ofSetting("none")).isSameAs(PreviewMode.NONE);
        assertThat(PreviewMode.ofSetting("sender")).isSameAs(PreviewMode.SENDER);
        assertThat(PreviewMode.ofSetting("anything")).isSameAs(PreviewMode.SENDER);
    }

    @Test
    void aTokensRoleIsFoundInItsGroupsAsBefore() {
        assertThat(Role.find(Set.of("client", "admin"))).contains(Role.ADMIN);
        assertThat(Role.find(Set.of("expert", "client"))).contains(Role.EXPERT);
        assertThat(Role.find(Set.of("guest"))).isEmpty();
        assertThat(Role.find(null)).isEmpty();
    }
}
