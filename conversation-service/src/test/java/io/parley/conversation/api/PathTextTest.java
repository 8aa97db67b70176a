package io.parley.conversation.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.ws.rs.WebApplicationException;
import org.junit.jupiter.api.Test;

/** Path segments are percent-decoded as strict UTF-8: what is not UTF-8 is refused, never replaced. */
class PathTextTest {

    @Test
    void decodesUtf8AndKeepsEverythingElseAsItIs() {
        assertThat(PathText.decode("userId", "auth0%7C123")).isEqualTo("auth0|123");
        assertThat(PathText.decode("userId", "%F0%9F%98%80%E2%80%8B%E2%80%AE")).isEqualTo("\uD83D\uDE00\u200B\u202E");
        assertThat(PathText.decode("userId", "a+b")).isEqualTo("a+b");
        assertThat(PathText.decode("userId", "caf\u00e9")).isEqualTo("caf\u00e9");
        assertThat(PathText.decode("userId", "\uD83D\uDE00")).isEqualTo("\uD83D\uDE00");
        assertThat(PathText.lastSegment("userId", "/api/conversations/x/participants/a%7Cb", "ignored"))
                .isEqualTo("a|b");
        assertThat(PathText.lastSegment("userId", null, "as decoded")).isEqualTo("as decoded");
    }

    @Test
    void refusesWhatIsNotUtf8OrNotPercentEncoding() {
        for (String raw : new String[] {"x%ED%A0%80y", "x%C3y", "%FF", "x%F0%9F%98", "%E", "%zz"}) {
            assertThatThrownBy(() -> PathText.decode("userId", raw))
                    .as(raw)
                    .isInstanceOf(WebApplicationException.class)
                    .satisfies(e -> assertThat(
                                    ((WebApplicationException) e).getResponse().getStatus())
                            .isEqualTo(400))
                    .hasMessageContaining("userId");
        }
    }

    @Test
    void decodesNulForTheTextRuleToRefuse() {
        assertThat(PathText.decode("userId", "a%00b")).isEqualTo("a\u0000b");
    }
}
