package io.parley.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.events.ConversationKind;
import io.parley.events.TypingState;
import io.parley.gateway.protocol.ServerFrame.Error;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Decoding every client frame and each of its faults, and encoding every server frame as the wire spells it. */
class FrameCodecTest {

    private static final String C = "0b6f9f7e-7a53-4f3e-9d0e-2f1f3f9d6b11";
    private static final UUID CID = UUID.fromString(C);
    private static final String M = "5f0e1c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b";
    private static final String NUL = "a\\u0000b";
    private static final String SURROGATE = "x\\uD800y";

    private static ClientFrame frame(String json) {
        Decoded decoded = FrameCodec.decode(json.replace('\'', '"'));
        assertThat(decoded).isInstanceOf(Decoded.Frame.class);
        return ((Decoded.Frame) decoded).frame();
    }

    private static Decoded.Refused refused(String json) {
        Decoded decoded = FrameCodec.decode(json.replace('\'', '"'));
        assertThat(decoded).isInstanceOf(Decoded.Refused.class);
        return (Decoded.Refused) decoded;
    }

    // --- client frames

    @Test
    void ping() {
        assertThat(frame("{'type':'ping'}")).isEqualTo(new ClientFrame.Ping(null));
        assertThat(frame("{'type':'ping','ref':'r1'}")).isEqualTo(new ClientFrame.Ping("r1"));
        assertThat(frame("{'type':'ping','ref':42}")).isEqualTo(new ClientFrame.Ping("42"));
        assertThat(frame("{'type':'ping','ref':null}")).isEqualTo(new ClientFrame.Ping(null));
    }

    @Test
    void send() {
        assertThat(frame("{'type':'send','ref':'r','conversationId':'" + C + "','clientMessageId':'" + M
                        + "','content':'hi'}"))
                .isEqualTo(new ClientFrame.Send("r", CID, M, "hi", List.of()));
        UUID file = UUID.randomUUID();
        assertThat(frame("{'type':'send','ref':'r','conversationId':'" + C + "','clientMessageId':'" + M
                        + "','attachments':[{'id':'" + file.toString().toUpperCase() + "'}]}"))
                .isEqualTo(new ClientFrame.Send("r", CID, M, null, List.of(file)));
    }

    @Test
    void resume() {
        String upper = C.toUpperCase();
        ClientFrame.Resume resume = (ClientFrame.Resume) frame("{'type':'resume','ref':'r','positions':{'" + C + "':5,'"
                + upper + "':3,'nope':1,'" + M + "':-1,'" + M + "x':1}}");
        assertThat(resume.ref()).isEqualTo("r");
        assertThat(resume.positions()).isEqualTo(Map.of(CID, 3L));
        assertThat(resume.faults())
                .containsExactly(
                        Error.about("r", "not_found", "No such conversation.", "nope"),
                        Error.invalid("r", "positions", "The position of " + M + " must be a whole number from 0.", M),
                        Error.about("r", "not_found", "No such conversation.", M + "x"));
        ClientFrame.Resume withBadKey = (ClientFrame.Resume) frame("{'type':'resume','positions':{'" + NUL + "':1}}");
        assertThat(withBadKey.faults()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("positions");
            assertThat(e.conversationId()).isNull();
            assertThat(e.ref()).isNull();
        });
    }

    @Test
    void typingReadAuth() {
        assertThat(frame("{'type':'typing','conversationId':'" + C + "','state':'start'}"))
                .isEqualTo(new ClientFrame.Typing(null, CID, TypingState.START));
        assertThat(frame("{'type':'read','ref':'x','conversationId':'" + C + "','seq':0}"))
                .isEqualTo(new ClientFrame.Read("x", CID, 0));
        // a ref that is a whole number beyond 64 bits is read as its digits
        assertThat(frame("{'type':'read','ref':123456789012345678901234567890,'conversationId':'" + C + "','seq':0}"))
                .isEqualTo(new ClientFrame.Read("123456789012345678901234567890", CID, 0));
        // 7.0 is the number 7, as REST reads it (JSON has one kind of number)
        assertThat(frame("{'type':'read','ref':'x','conversationId':'" + C + "','seq':7.0}"))
                .isEqualTo(new ClientFrame.Read("x", CID, 7));
        assertThat(frame("{'type':'auth','token':'t.t.t'}")).isEqualTo(new ClientFrame.Auth(null, "t.t.t"));
        // a blank token is a string: it is verified (and refused as unauthorized), not refused as invalid
        assertThat(frame("{'type':'auth','token':' '}")).isEqualTo(new ClientFrame.Auth(null, " "));
    }

    @Test
    void notAnObject() {
        assertThat(refused("nope").error()).isEqualTo(Error.of(null, "invalid", "The frame is not JSON."));
        assertThat(refused("[1]").error())
                .isEqualTo(Error.of(null, "invalid", "A frame is a JSON object with a type."));
        assertThat(refused("").error().field()).isNull();
        // one JSON value and nothing after it, as a REST body
        for (String trailing :
                new String[] {"{'type':'ping','ref':'t1'} x", "{'type':'ping'}{'a':1}", "{'type':'ping'}]"}) {
            assertThat(refused(trailing).error()).isEqualTo(Error.of(null, "invalid", "The frame is not JSON."));
        }
        // an object with the same key twice is refused, not read one way
        assertThat(refused("{'type':'ping','ref':'a','ref':'b'}").error())
                .isEqualTo(Error.of(null, "invalid", "The frame has an object with the same key twice."));
    }

    /** Each fault: the frame, the {@code field} of its {@code invalid} error, and whether the ref is echoed. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{'type':'ping','ref':1.5}                                                       | ref             | false",
                "{'type':'ping','ref':{}}                                                        | ref             | false",
                "{'type':'ping','ref':'" + NUL
                        + "'}                                             | ref             | false",
                "{'ref':'r'}                                                                     | type            | true",
                "{'type':3,'ref':'r'}                                                            | type            | true",
                "{'type':'" + SURROGATE
                        + "','ref':'r'}                                          | type            | true",
                "{'type':'dance','ref':'r'}                                                      | type            | true",
                "{'type':'send','conversationId':'" + C + "','clientMessageId':'" + M
                        + "','content':'x'}        | ref | false",
                "{'type':'send','ref':'r','clientMessageId':'" + M
                        + "','content':'x'}           | conversationId  | true",
                "{'type':'send','ref':'r','conversationId':7,'clientMessageId':'" + M
                        + "','content':'x'}       | conversationId | true",
                "{'type':'send','ref':'r','conversationId':'" + C
                        + "','content':'x'}            | clientMessageId | true",
                "{'type':'send','ref':'r','conversationId':'" + C + "','clientMessageId':'" + NUL
                        + "','content':'x'} | clientMessageId | true",
                "{'type':'send','ref':'r','conversationId':'" + C
                        + "','clientMessageId':'no','content':'x'}    | clientMessageId | true",
                "{'type':'send','ref':'r','conversationId':'" + C + "','clientMessageId':'" + M
                        + "'}            | content | true",
                "{'type':'send','ref':'r','conversationId':'" + C + "','clientMessageId':'" + M
                        + "','content':5} | content | true",
                "{'type':'send','ref':'r','conversationId':'" + C + "','clientMessageId':'" + M + "','content':'"
                        + SURROGATE + "'} | content | true",
                "{'type':'send','ref':'r','conversationId':'" + C + "','clientMessageId':'" + M
                        + "','attachments':{}} | attachments | true",
                "{'type':'send','ref':'r','conversationId':'" + C + "','clientMessageId':'" + M
                        + "','attachments':[{'id':'x'}]} | attachments[0].id | true",
                "{'type':'send','ref':'r','conversationId':'" + C + "','clientMessageId':'" + M
                        + "','attachments':[3]} | attachments[0] | true",
                "{'type':'typing','ref':'r','state':'start'}                                     | conversationId  | true",
                "{'type':'typing','ref':'r','conversationId':'" + C
                        + "'}                        | state           | true",
                "{'type':'typing','ref':'r','conversationId':'" + C
                        + "','state':'dance'}        | state           | true",
                "{'type':'read','ref':'r','seq':1}                                               | conversationId  | true",
                "{'type':'read','ref':'r','conversationId':'" + C
                        + "'}                          | seq             | true",
                "{'type':'read','ref':'r','conversationId':'" + C
                        + "','seq':-1}                 | seq             | true",
                "{'type':'read','ref':'r','conversationId':'" + C
                        + "','seq':1.5}                | seq             | true",
                "{'type':'read','ref':'r','conversationId':'" + C
                        + "','seq':99999999999999999999} | seq            | true",
                "{'type':'auth','ref':'r'}                                                       | token           | true",
                "{'type':'auth','ref':'r','token':5}                                             | token           | true",
                "{'type':'resume','ref':'r','positions':[1]}                                     | positions       | true",
                "{'type':'resume','ref':'r'}                                                     | positions       | true",
            })
    void eachFaultNamesItsField(String json, String field, boolean refEchoed) {
        Error error = refused(json.trim()).error();
        assertThat(error.code()).isEqualTo("invalid");
        assertThat(error.field()).isEqualTo(field);
        assertThat(error.ref()).isEqualTo(refEchoed ? "r" : null);
        assertThat(error.message()).isNotBlank();
    }

    @Test
    void aConversationIdThatIsNotAUuidNamesNoConversation() {
        for (String json : List.of(
                "{'type':'send','ref':'r','conversationId':'abc','clientMessageId':'" + M + "','content':'x'}",
                "{'type':'typing','ref':'r','conversationId':'abc','state':'stop'}",
                "{'type':'read','ref':'r','conversationId':'abc','seq':1}")) {
            assertThat(refused(json).error()).isEqualTo(Error.about("r", "not_found", "No such conversation.", "abc"));
        }
    }

    @Test
    void aRefusedFrameSaysItsTypeOnlyWhenTheFaultIsInItsOwnFields() {
        assertThat(refused("{'type':'resume','positions':3}").type()).isEqualTo("resume");
        assertThat(refused("{'type':'resume','ref':[]}").type()).isNull();
        assertThat(refused("{'type':'dance'}").type()).isNull();
    }

    // --- server frames: byte for byte what the hand-built frames were

    @Test
    void encodesEveryServerFrame() throws Exception {
        JsonNode message = FrameCodec.json().readTree("{\"id\":\"m\",\"seq\":3}");
        Instant at = Instant.parse("2026-01-02T03:04:05.678Z");
        Map<ServerFrame, String> expected = new java.util.LinkedHashMap<>();
        expected.put(new ServerFrame.Welcome("u", "c1"), "{'type':'welcome','userId':'u','connectionId':'c1'}");
        expected.put(new ServerFrame.Pong(null), "{'type':'pong'}");
        expected.put(new ServerFrame.Pong("7"), "{'type':'pong','ref':'7'}");
        expected.put(new ServerFrame.Ack("r", message), "{'type':'ack','ref':'r','message':{'id':'m','seq':3}}");
        expected.put(
                Error.of(null, "invalid", "The frame is not JSON."),
                "{'type':'error','code':'invalid','message':'The frame is not JSON.'}");
        expected.put(
                Error.invalid("r", "content", "x"),
                "{'type':'error','ref':'r','code':'invalid','message':'x','field':'content'}");
        expected.put(
                Error.invalid("r", "positions", "x", C),
                "{'type':'error','ref':'r','code':'invalid','message':'x','field':'positions','conversationId':'" + C
                        + "'}");
        expected.put(
                Error.about("r", "not_found", "No such conversation.", "abc"),
                "{'type':'error','ref':'r','code':'not_found','message':'No such conversation.','conversationId':'abc'}");
        expected.put(
                Error.refused("r", "conflict", "attachments[0]", "attachments[0] is taken."),
                "{'type':'error','ref':'r','code':'conflict','message':'attachments[0] is taken.',"
                        + "'field':'attachments[0]'}");
        expected.put(
                Error.rateLimited("r", 50),
                "{'type':'error','ref':'r','code':'rate_limited','message':'Too many sends; retry after the delay.',"
                        + "'retryAfterMs':50}");
        expected.put(
                new ServerFrame.MessageCreated(message), "{'type':'message.created','message':{'id':'m','seq':3}}");
        expected.put(
                new ServerFrame.MessageUpdated(message), "{'type':'message.updated','message':{'id':'m','seq':3}}");
        expected.put(
                new ServerFrame.MessageDeleted(message), "{'type':'message.deleted','message':{'id':'m','seq':3}}");
        expected.put(
                new ServerFrame.Read(CID, "u", 4), "{'type':'read','conversationId':'" + C + "','userId':'u','seq':4}");
        expected.put(
                new ServerFrame.Typing(CID, "u", TypingState.STOP),
                "{'type':'typing','conversationId':'" + C + "','userId':'u','state':'stop'}");
        expected.put(
                new ServerFrame.Presence("u", true, null, "Ann Example"),
                "{'type':'presence','userId':'u','online':true,'lastSeenAt':null,'name':'Ann Example'}");
        expected.put(
                new ServerFrame.Presence("u", false, at, null),
                "{'type':'presence','userId':'u','online':false,'lastSeenAt':'2026-01-02T03:04:05.678Z','name':null}");
        expected.put(
                new ServerFrame.Unread(CID, 2, 9, at),
                "{'type':'unread','conversationId':'" + C + "','count':2,'total':9,'at':'2026-01-02T03:04:05.678Z'}");
        expected.put(
                new ServerFrame.ConversationCreated(
                        new ServerFrame.Conversation(CID, ConversationKind.DIRECT, null, List.of("a", "b"), "a", at)),
                "{'type':'conversation.created','conversation':{'id':'" + C + "','type':'direct','title':null,"
                        + "'participants':['a','b'],'createdBy':'a','createdAt':'2026-01-02T03:04:05.678Z'}}");
        expected.put(
                new ServerFrame.ParticipantAdded(CID, "b", List.of("a", "b")),
                "{'type':'participant.added','conversationId':'" + C + "','userId':'b','participants':['a','b']}");
        expected.put(
                new ServerFrame.ParticipantRemoved(CID, "b", List.of()),
                "{'type':'participant.removed','conversationId':'" + C + "','userId':'b','participants':[]}");
        expected.put(
                new ServerFrame.Authenticated(at, null),
                "{'type':'authenticated','expiresAt':'2026-01-02T03:04:05.678Z'}");
        expected.put(
                new ServerFrame.Authenticated(Instant.ofEpochSecond(1_800_000_000L), "r"),
                "{'type':'authenticated','expiresAt':'" + Instant.ofEpochSecond(1_800_000_000L) + "','ref':'r'}");
        expected.put(new ServerFrame.Resumed(null), "{'type':'resumed'}");
        expected.put(new ServerFrame.Resumed("r"), "{'type':'resumed','ref':'r'}");
        expected.forEach((frame, json) -> assertThat(FrameCodec.encode(frame))
                .as(frame.getClass().getSimpleName())
                .isEqualTo(json.replace('\'', '"')));
    }

    @Test
    void everyServerFrameTypeIsCovered() {
        assertThat(ServerFrame.class.getPermittedSubclasses()).hasSize(16);
        assertThat(ClientFrame.class.getPermittedSubclasses()).hasSize(6);
    }

    @Test
    void errorCodesByStatus() {
        assertThat(Error.codeOf(400)).isEqualTo("invalid");
        assertThat(Error.codeOf(401)).isEqualTo("unauthorized");
        assertThat(Error.codeOf(403)).isEqualTo("forbidden");
        assertThat(Error.codeOf(410)).isEqualTo("not_found");
        assertThat(Error.codeOf(502)).isEqualTo("unavailable");
        assertThat(Error.codeOf(200)).isEqualTo("unavailable");
    }
}
