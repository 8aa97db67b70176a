package io.parley.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.message.api.Attachments;
import jakarta.ws.rs.WebApplicationException;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The attachments rule of a send alone: [{"id": upload id}], at most 10, every wrong part named by its path. */
class AttachmentsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void idsPassInOrder() throws Exception {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        assertThat(Attachments.check(JSON.readTree(
                        "[{\"id\": \"" + a + "\"}, {\"id\": \"" + b.toString().toUpperCase() + "\"}]")))
                .containsExactly(a, b);
        assertThat(Attachments.check(null)).isEmpty();
        assertThat(Attachments.check(JSON.readTree("null"))).isEmpty();
        assertThat(Attachments.check(JSON.readTree("[]"))).isEmpty();
    }

    @Test
    void theFirstWrongPartIsNamed() throws Exception {
        String ok = "{\"id\": \"" + UUID.randomUUID() + "\"}";
        refused("[" + ok + ", {\"id\": \"nope\"}]", "attachments[1].id must be a UUID.");
        refused("[{\"id\": \"a\\u0000b\"}]", "attachments[0].id must be a UUID.");
        refused("[{\"id\": 5}]", "attachments[0].id must be a UUID.");
        refused("[{\"id\": null}]", "attachments[0].id must be a UUID.");
        refused("[{}]", "attachments[0].id must be a UUID.");
        refused("[{\"id\": \"1-1-1-1-1\"}]", "attachments[0].id must be a UUID.");
        refused("[" + ok + ", " + ok + "]", "attachments[1] is attachments[0] again.");
        refused("[{\"name\": \"f.pdf\"}]", "attachments[0] may only have the key id.");
        refused(
                "[{\"id\": \"" + UUID.randomUUID() + "\", \"name\": \"f.pdf\"}]",
                "attachments[0] may only have the key id.");
        refused("[" + ok + ", \"text\"]", "attachments[1] must be a JSON object.");
        refused("[null]", "attachments[0] must be a JSON object.");
        StringBuilder eleven = new StringBuilder("[");
        for (int i = 0; i < 11; i++) {
            eleven.append(i == 0 ? "" : ", ")
                    .append("{\"id\": \"")
                    .append(UUID.randomUUID())
                    .append("\"}");
        }
        refused(eleven + "]", "attachments is a list of at most 10 objects; it has 11.");
        refused("{\"id\": \"x\"}", "attachments must be a list of objects {\"id\": upload id}.");
        refused("\"x\"", "attachments must be a list of objects {\"id\": upload id}.");
    }

    private static void refused(String attachments, String detail) throws Exception {
        var tree = JSON.readTree(attachments);
        assertThatThrownBy(() -> Attachments.check(tree)).isInstanceOfSatisfying(WebApplicationException.class, e -> {
            assertThat(e.getResponse().getStatus()).isEqualTo(400);
            assertThat(e.getMessage()).isEqualTo(detail);
        });
    }
}
