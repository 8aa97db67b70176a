package io.parley.notification.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.events.Event;
import io.parley.events.PresenceChanged;
import io.parley.events.Role;
import io.parley.events.UnreadChanged;
import io.parley.events.UnreadChanged.Count;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which total of each user a batch of inbox events leaves for the badge. */
class UserStatesTest {

    private static final Instant T = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void theTotalCountedLastWinsWhateverTheOrderOfTheBatch() {
        List<Event> batch = List.of(
                UnreadChanged.of(
                        UUID.randomUUID(), List.of(new Count("alice", 1, 5), new Count("bob", 2, 2)), T.plusSeconds(2)),
                UnreadChanged.of(UUID.randomUUID(), List.of(new Count("alice", 3, 4)), T.plusSeconds(1)),
                UnreadChanged.of(UUID.randomUUID(), List.of(new Count("bob", 0, 0)), T.plusSeconds(3)));

        var totals = UserStates.latestTotals(batch);

        assertThat(totals).containsOnlyKeys("alice", "bob");
        assertThat(totals.get("alice")).isEqualTo(new UserStates.Total(5, T.plusSeconds(2)));
        assertThat(totals.get("bob")).isEqualTo(new UserStates.Total(0, T.plusSeconds(3)));
    }

    @Test
    void ofTwoCountedAtOnceTheLaterInTheBatchWins() {
        List<Event> batch = List.of(
                UnreadChanged.of(UUID.randomUUID(), List.of(new Count("alice", 1, 5)), T),
                UnreadChanged.of(UUID.randomUUID(), List.of(new Count("alice", 1, 6)), T));

        assertThat(UserStates.latestTotals(batch).get("alice").total()).isEqualTo(6);
    }

    @Test
    void otherEventsAndUnreadableRecordsAreSkipped() {
        List<Event> batch = Arrays.asList(null, PresenceChanged.of("alice", Role.CLIENT, true, T));

        assertThat(UserStates.latestTotals(batch)).isEmpty();
    }

    @Test
    void aBatchOfPresenceChangesLeavesEachUsersLatestWhateverTheOrder() {
        List<Event> batch = Arrays.asList(
                PresenceChanged.of("alice", Role.CLIENT, true, T),
                PresenceChanged.of("bob", Role.EXPERT, true, T.plusSeconds(1)),
                null,
                UnreadChanged.of(UUID.randomUUID(), List.of(new Count("alice", 1, 1)), T),
                PresenceChanged.of("alice", Role.CLIENT, false, T.plusSeconds(3)),
                PresenceChanged.of("bob", Role.EXPERT, false, T)); // older than bob's online: consumed late

        var latest = UserStates.latestPresence(batch);

        assertThat(latest).containsOnlyKeys("alice", "bob");
        assertThat(latest.get("alice").online()).isFalse();
        assertThat(latest.get("bob").online()).isTrue();
        assertThat(latest.get("bob").occurredAt()).isEqualTo(T.plusSeconds(1));
    }

    @Test
    void ofTwoPresenceChangesAtOnceTheLaterInTheBatchWins() {
        var latest = UserStates.latestPresence(List.of(
                PresenceChanged.of("alice", Role.CLIENT, true, T), PresenceChanged.of("alice", Role.CLIENT, false, T)));

        assertThat(latest.get("alice").online()).isFalse();
    }
}
