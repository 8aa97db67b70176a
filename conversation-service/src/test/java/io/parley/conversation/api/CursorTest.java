package io.parley.conversation.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.conversation.store.ConversationStore.Position;
import io.parley.conversation.store.ConversationStore.WaitPosition;
import jakarta.ws.rs.WebApplicationException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The list's opaque cursors: what is encoded decodes to the same place; anything else is a 400. */
class CursorTest {

    private static String b64(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static void refused(Runnable decode) {
        assertThatThrownBy(decode::run)
                .isInstanceOf(WebApplicationException.class)
                .hasMessage("cursor is not one this API gave out.")
                .satisfies(e -> assertThat(
                                ((WebApplicationException) e).getResponse().getStatus())
                        .isEqualTo(400));
    }

    @Test
    void aPositionRoundTrips() {
        Position position = new Position("100:105:101,103", Instant.ofEpochMilli(1_700_000_000_123L), 42);
        String cursor = Cursor.encode(position);
        assertThat(cursor).doesNotContain("=", "+", "/");
        assertThat(Cursor.decode(cursor)).isEqualTo(position);
    }

    @Test
    void aPositionAtTheTopOfTheSnapshotRoundTrips() {
        Position position = new Position("7:7:", Instant.ofEpochMilli(0), Long.MAX_VALUE);
        assertThat(Cursor.decode(Cursor.encode(position))).isEqualTo(position);
    }

    @Test
    void aWaitPositionRoundTripsToTheMicrosecondAndBeforeTheEpoch() {
        UUID id = UUID.randomUUID();
        for (Instant since : new Instant[] {
            Instant.parse("2025-06-01T10:11:12.123456Z"), Instant.parse("1969-12-31T23:59:59.999999Z")
        }) {
            WaitPosition position = new WaitPosition(since, id);
            assertThat(Cursor.decodeWaiting(Cursor.encodeWaiting(position))).isEqualTo(position);
        }
    }

    @Test
    void noPositionIsNoCursorAndNoCursorIsTheFirstPage() {
        assertThat(Cursor.encode(null)).isNull();
        assertThat(Cursor.encodeWaiting(null)).isNull();
        assertThat(Cursor.decode(null)).isNull();
        assertThat(Cursor.decodeWaiting(null)).isNull();
    }

    @Test
    void oneListsCursorIsRefusedByTheOther() {
        String byActivity = Cursor.encode(new Position("100:105:", Instant.ofEpochMilli(1), 5));
        String byWait = Cursor.encodeWaiting(new WaitPosition(Instant.ofEpochSecond(1), UUID.randomUUID()));
        refused(() -> Cursor.decodeWaiting(byActivity));
        refused(() -> Cursor.decode(byWait));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "not base64!",
                "MQ", // "1"
            })
    void aCursorThatIsNotBase64OfTheFormatIsRefused(String cursor) {
        refused(() -> Cursor.decode(cursor));
        refused(() -> Cursor.decodeWaiting(cursor));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1:1:5:0:105:", // xmin 0
                "1:1:5:106:105:", // xmin above xmax
                "1:1:5:100:105:105", // an xip not below xmax
                "1:1:5:100:105:99", // an xip below xmin
                "1:1:5:100:105:103,101", // xips out of order
                "1:1:5:100:105:101,101", // an xip twice
                "1:1:5:100:105", // no xip part
                "1:1:99999999999999999999:100:105:", // beyond 64 bits
                "2:1:5:100:105:", // another version
                "1:-1:5:100:105:", // a negative time
                "1:1:5:100:105:101,", // a trailing comma: an empty xip
                "1:1:5:100:105:,101", // a leading comma
                "1:1:5:100:105:101,,102", // an empty xip between two
            })
    void aForgedPositionIsRefused(String raw) {
        refused(() -> Cursor.decode(b64(raw)));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2:1:not-a-uuid",
                "2:1:0E0E0E0E-0000-0000-0000-000000000000", // upper case: never given out
                "2:x:00000000-0000-0000-0000-000000000000",
                "2:99999999999999999999:00000000-0000-0000-0000-000000000000",
                "1:1:00000000-0000-0000-0000-000000000000",
            })
    void aForgedWaitPositionIsRefused(String raw) {
        refused(() -> Cursor.decodeWaiting(b64(raw)));
    }
}
