package io.parley.message;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.message.api.Attachments;
import jakarta.ws.rs.WebApplicationException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The attachment rules alone: every string and key storable, every wrong part named by its path. */
class AttachmentsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ODD = "\u202Eabc\u200B\uD83D\uDE00\u0007\u0001\u007F\uFEFF";

    @Test
    void storableAttachmentsPassAsTheyAre() throws Exception {
        Map<String, Object> a = Map.of("name", ODD, ODD, List.of(1, 2.5, true, Map.of(ODD, ODD)),
                "big", Long.MAX_VALUE);
        List<Map<String, Object>> checked = Attachments.check(JSON.readTree(JSON.writeValueAsString(List.of(a, Map.of()))));
        assertThat(checked).containsExactly(a, Map.of());
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("name", null);
        assertThat(Attachments.check(JSON.readTree("[{\"name\": null}]"))).containsExactly(withNull);
        assertThat(Attachments.check(null)).isEmpty();
        assertThat(Attachments.check(JSON.readTree("null"))).isEmpty();
        assertThat(Attachments.check(JSON.readTree("[]"))).isEmpty();
    }

    @Test
    void theFirstWrongPartIsNamed() throws Exception {
        String ok = "{\"name\": \"ok\"}";
        refused("[" + ok + ", " + ok + ", {\"name\": \"a\\u0000b\"}]", "attachments[2].name contains U+0000 (NUL).");
        refused("[{\"name\": \"x\\uD800y\"}]", "attachments[0].name contains an unpaired UTF-16 surrogate at index 1.");
        refused("[" + ok + ", {\"na\\u0000me\": \"x\"}]", "attachments[1] has a key that contains U+0000 (NUL).");
        refused("[{\"meta\": {\"tags\": [\"fine\", \"\\uDC00\"]}}]",
                "attachments[0].meta.tags[1] contains an unpaired UTF-16 surrogate at index 0.");
        refused("[{\"meta\": {\"\\uDBFF\": 1}}]",
                "attachments[0].meta has a key that contains an unpaired UTF-16 surrogate at index 0.");
        refused("[" + ok + ", \"text\"]", "attachments[1] must be a JSON object.");
        refused("[" + ok + ", []]", "attachments[1] must be a JSON object.");
        refused("[null]", "attachments[0] must be a JSON object.");
        refused("[{\"size\": 1e400}]", "attachments[0].size is a number too large to store.");
        refused("[{\"size\": 123456789012345678901234567890}]", "attachments[0].size is a number too large to store.");
        refused("[" + (ok + ",").repeat(10) + ok + "]", "attachments is a list of at most 10 objects; it has 11.");
        refused("{\"name\": \"x\"}", "attachments must be a list of JSON objects.");
        refused("\"x\"", "attachments must be a list of JSON objects.");
    }

    private static void refused(String attachments, String detail) throws Exception {
        var tree = JSON.readTree(attachments);
        assertThatThrownBy(() -> Attachments.check(tree))
                .isInstanceOfSatisfying(WebApplicationException.class, e -> {
                    assertThat(e.getResponse().getStatus()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo(detail);
                });
    }
}
