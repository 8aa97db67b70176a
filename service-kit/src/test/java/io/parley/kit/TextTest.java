package io.parley.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.WebApplicationException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one rule for client text, and how a request body that breaks it is answered. */
class TextTest {

    @Test
    void storableTextPasses() {
        for (String s : List.of(
                "",
                "plain",
                "\u202Eright to left\u200B",
                "😀 pair",
                "\u0007bell\u001F",
                "\uFFFE",
                "tab\tnew\nline",
                "x|y")) {
            assertThat(Text.whyNot(s)).as(s).isNull();
            assertThat(Text.require("content", s)).isSameAs(s);
        }
        assertThat(Text.isValid(null)).isTrue();
    }

    @Test
    void nulAndUnpairedSurrogatesAreRefusedWithTheFieldNamed() {
        assertThat(Text.whyNot("a\u0000b")).isEqualTo("contains U+0000 (NUL)");
        assertThat(Text.whyNot("x\uD800y")).contains("unpaired UTF-16 surrogate at index 1");
        assertThat(Text.whyNot("x\uDC00")).contains("unpaired");
        assertThat(Text.whyNot("\uD83D")).contains("unpaired");
        assertThat(Text.whyNot("\uDE00\uD83D")).contains("index 0");
        assertThatThrownBy(() -> Text.require("title", "a\u0000b"))
                .isInstanceOf(WebApplicationException.class)
                .satisfies(e -> {
                    Problem body = (Problem)
                            ((WebApplicationException) e).getResponse().getEntity();
                    assertThat(body.status()).isEqualTo(400);
                    assertThat(body.detail()).isEqualTo("title contains U+0000 (NUL).");
                });
    }

    record Attachment(String name) {}

    record Body(String content, List<String> participants, List<Attachment> attachments) {}

    @Test
    void aBodyStringThatBreaksTheRuleIsA400NamingItsPath() {
        ObjectMapper mapper = new ObjectMapper();
        new StrictText().customize(mapper);
        ProblemMappers mappers = new ProblemMappers();
        String[][] cases = {
            {"{\"content\":\"a\\u0000b\"}", "content contains U+0000 (NUL)."},
            {"{\"participants\":[\"ok\",\"x\\ud800y\"]}", "participants[1] contains an unpaired"},
            {"{\"attachments\":[{\"name\":\"ok\"},{\"name\":\"\\u0000\"}]}", "attachments[1].name contains U+0000"},
            {"{\"content\":5}", "content must be a string."},
            {"{\"participants\":[\"ok\",true]}", "participants[1] must be a string."},
            {"{\"content\":1.5}", "content must be a string."},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> mapper.readValue(c[0], Body.class)).satisfies(e -> {
                var response = mappers.unreadableJson((com.fasterxml.jackson.core.JsonProcessingException) e);
                assertThat(response.getStatus()).isEqualTo(400);
                assertThat(((Problem) response.getEntity()).detail()).startsWith(c[1]);
            });
        }
    }

    @Test
    void everyOtherStringRoundTripsThroughTheMapper() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        new StrictText().customize(mapper);
        Body body = new Body("\u202Eabc\u200B😀\u0007", List.of("x|y"), List.of(new Attachment("a\u00A0b")));
        assertThat(mapper.readValue(mapper.writeValueAsString(body), Body.class))
                .isEqualTo(body);
    }
}
