package io.parley.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The ordering and replay rules of one connection, without a socket: frames are strings naming their seq. */
class SeqGateTest {

    private static final UUID A = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private static final UUID B = UUID.fromString("00000000-0000-0000-0000-00000000000b");

    private final List<String> sent = new ArrayList<>();
    private final SeqGate<String> gate = new SeqGate<>(sent::add);

    private void live(UUID conversation, long... seqs) {
        for (long seq : seqs) {
            gate.offer(conversation, seq, name(conversation, seq));
        }
    }

    private void replay(UUID conversation, long... seqs) {
        for (long seq : seqs) {
            gate.replayed(conversation, seq, name(conversation, seq));
        }
    }

    private static String name(UUID conversation, long seq) {
        return (conversation.equals(A) ? "a" : "b") + seq;
    }

    @Test
    void liveFramesInOrderGoOutAsTheyCome() {
        live(A, 1, 2, 3);
        assertThat(sent).containsExactly("a1", "a2", "a3");
        assertThat(gate.mark(A)).isEqualTo(3);
    }

    @Test
    void duplicatesAndOlderFramesAreDropped() {
        live(A, 1, 2, 2, 1, 3, 3);
        assertThat(sent).containsExactly("a1", "a2", "a3");
    }

    @Test
    void framesWithoutSeqAreNotOrdered() {
        live(A, 2, 0, 0);
        assertThat(sent).containsExactly("a2", "a0", "a0");
        assertThat(gate.mark(A)).isEqualTo(2);
    }

    @Test
    void aGapIsNotWaitedForAndWhatIsBelowItIsDroppedLater() {
        live(A, 1, 4, 2, 3, 5);
        // the connection missed 2 and 3 (its resume fills them); arriving after 4 they are not above the mark
        assertThat(sent).containsExactly("a1", "a4", "a5");
    }

    @Test
    void holdUntilResumeThenReplayThenHeldFramesInOrderWithoutDuplicates() {
        live(A, 1);
        gate.holdUntilResume();
        live(A, 4, 3, 5);
        assertThat(sent).containsExactly("a1");
        assertThat(gate.holding()).isTrue();

        // the client's resume: it has 1
        gate.startReplay(A, 1);
        gate.releaseHold();
        assertThat(sent).containsExactly("a1"); // still held: A is replaying
        live(A, 6, 4);
        replay(A, 2, 3, 4);
        gate.endReplay(A);

        assertThat(sent).containsExactly("a1", "a2", "a3", "a4", "a5", "a6");
        assertThat(gate.holding()).isFalse();
    }

    @Test
    void aResumeFromBeforeWhatWasSentSendsItAgainAndNothingAfterItIsSkipped() {
        live(A, 1, 2, 3);
        gate.startReplay(A, 1);
        live(A, 4);
        replay(A, 2, 3);
        gate.endReplay(A);
        assertThat(sent).containsExactly("a1", "a2", "a3", "a2", "a3", "a4");
    }

    @Test
    void aReplayedFrameAlreadySentIsDropped() {
        gate.startReplay(A, 0);
        replay(A, 1, 1, 2);
        gate.endReplay(A);
        assertThat(sent).containsExactly("a1", "a2");
    }

    @Test
    void releasingTheHoldSendsHeldFramesOfOtherConversationsAtOnce() {
        gate.holdUntilResume();
        live(A, 1);
        live(B, 7);
        gate.startReplay(A, 0);
        gate.releaseHold();
        assertThat(sent).containsExactly("b7");
        gate.endReplay(A);
        assertThat(sent).containsExactly("b7", "a1");
    }

    @Test
    void aHoldWithoutResumeReleasesInArrivalOrderEachOnce() {
        gate.holdUntilResume();
        live(A, 2, 1, 2, 3);
        gate.releaseHold();
        // not sorted: outside a replay a frame not above the mark is dropped, like live
        assertThat(sent).containsExactly("a2", "a3");
        gate.releaseHold(); // a second release changes nothing
        assertThat(sent).containsExactly("a2", "a3");
    }

    @Test
    void conversationsAreIndependent() {
        live(A, 5);
        live(B, 1, 2);
        gate.startReplay(A, 3);
        live(B, 3);
        live(A, 6);
        assertThat(sent).containsExactly("a5", "b1", "b2", "b3");
        replay(A, 4, 5);
        gate.endReplay(A);
        live(B, 2);
        assertThat(sent).containsExactly("a5", "b1", "b2", "b3", "a4", "a5", "a6");
        assertThat(gate.mark(A)).isEqualTo(6);
        assertThat(gate.mark(B)).isEqualTo(3);
    }

    @Test
    void endingAReplayThatDidNotStartChangesNothing() {
        gate.endReplay(A);
        live(A, 1);
        assertThat(sent).containsExactly("a1");
    }

    @Test
    void marksAreKeptForTheConversationsUsedLastOnly() {
        List<String> out = new ArrayList<>();
        SeqGate<String> small = new SeqGate<>(out::add, 2);
        UUID c = UUID.randomUUID();
        small.offer(A, 5, "a5");
        small.offer(B, 5, "b5");
        small.offer(A, 6, "a6"); // A used last: B is the eldest
        small.offer(c, 1, "c1"); // a third conversation: B's mark goes
        assertThat(small.marks()).isEqualTo(2);
        // A still drops a duplicate; B, forgotten, lets its next frame through whatever its seq
        small.offer(A, 6, "a6 again");
        small.offer(B, 4, "b4");
        assertThat(out).containsExactly("a5", "b5", "a6", "c1", "b4");
        assertThat(small.marks()).isEqualTo(2);
    }

    @Test
    void aConversationBeingReplayedKeepsItsMarkWhateverComesMeanwhile() {
        List<String> out = new ArrayList<>();
        SeqGate<String> small = new SeqGate<>(out::add, 1);
        small.startReplay(A, 3);
        small.offer(B, 1, "b1");
        small.offer(UUID.randomUUID(), 1, "x1");
        small.replayed(A, 3, "a3 again");
        small.replayed(A, 4, "a4");
        small.endReplay(A);
        assertThat(out).containsExactly("b1", "x1", "a4");
        assertThat(small.mark(A)).isEqualTo(4);
    }
}
