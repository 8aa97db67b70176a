package io.parley.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The shape of a send frame's attachments, and the part a refusal of the message-service names. */
class AttachmentRefsTest {

    private static JsonNode json(String text) throws Exception {
        return FrameCodec.json().readTree(text);
    }

    private static AttachmentRefs.Result read(String attachments) throws Exception {
        return AttachmentRefs.read(json("{\"attachments\":" + attachments + "}").get("attachments"));
    }

    @Test
    void idsAreReadInOrder() throws Exception {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        AttachmentRefs.Result result = read("[{\"id\":\"" + a.toString().toUpperCase() + "\"},{\"id\":\"" + b + "\"}]");
        assertThat(result.field()).isNull();
        assertThat(result.ids()).containsExactly(a, b);
        assertThat(AttachmentRefs.body(result.ids()).encode())
                .isEqualTo("[{\"id\":\"" + a + "\"},{\"id\":\"" + b + "\"}]");
        assertThat(AttachmentRefs.read(null).ids()).isEmpty();
        assertThat(read("null").ids()).isEmpty();
        assertThat(read("[]").field()).isNull();
    }

    @Test
    void theFirstWrongPartIsNamedByItsPath() throws Exception {
        String ok = "{\"id\":\"" + UUID.randomUUID() + "\"}";
        String nul = "\"a\\" + "u0000b\"";
        String[][] cases = {
            {"{}", "attachments"},
            {"\"x\"", "attachments"},
            {"[" + (ok + ",").repeat(10) + ok + "]", "attachments"},
            {"[" + ok + ",\"x\"]", "attachments[1]"},
            {"[" + ok + ",[]]", "attachments[1]"},
            {"[" + ok + ",{}]", "attachments[1].id"},
            {"[{\"id\":null}]", "attachments[0].id"},
            {"[" + ok + "," + ok + ",{\"id\":42}]", "attachments[2].id"},
            {"[{\"id\":\"nope\"}]", "attachments[0].id"},
            {"[{\"id\":\"1-1-1-1-1\"}]", "attachments[0].id"},
            {"[{\"id\":" + nul + "}]", "attachments[0].id"},
            {"[" + ok + ",{\"id\":\"" + UUID.randomUUID() + "\",\"name\":\"x\"}]", "attachments[1]"},
        };
        for (String[] c : cases) {
            AttachmentRefs.Result result = read(c[0]);
            assertThat(result.field()).as(c[0]).isEqualTo(c[1]);
            assertThat(result.problem()).as(c[0]).startsWith(c[1] + " ");
            assertThat(result.ids()).isEmpty();
        }
        assertThat(read("[" + (ok + ",").repeat(9) + ok + "]").ids()).hasSize(10);
        assertThat(read("[{\"id\":\"nope\"}]").problem()).isEqualTo("attachments[0].id must be a UUID.");
    }

    @Test
    void aRefusalThatStartsWithAnAttachmentsPathNamesIt() {
        assertThat(AttachmentRefs.fieldOf("attachments[0] is attached to another message."))
                .isEqualTo("attachments[0]");
        assertThat(AttachmentRefs.fieldOf("attachments[3] is not an upload of yours in this conversation."))
                .isEqualTo("attachments[3]");
        assertThat(AttachmentRefs.fieldOf("attachments[1].id must be a UUID.")).isEqualTo("attachments[1].id");
        assertThat(AttachmentRefs.fieldOf("attachments holds at most 10 files."))
                .isEqualTo("attachments");
        assertThat(AttachmentRefs.fieldOf("content contains U+0000 (NUL).")).isEqualTo("content");
        assertThat(AttachmentRefs.fieldOf("content is required unless there are attachments."))
                .isEqualTo("content");
        assertThat(AttachmentRefs.fieldOf("contents")).isNull();
        assertThat(AttachmentRefs.fieldOf("No such conversation.")).isNull();
        assertThat(AttachmentRefs.fieldOf(null)).isNull();
    }
}
