package io.parley.bench.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ledger's counting by seq, and a client's place against it, without a stack. */
class LedgerTest {

    private static final String CONVERSATION = "c1";

    private final Ledger ledger = new Ledger();

    @Test
    void eachRecipientsCopyCountsOnceAndTheSendersOwnNot() {
        ledger.due("m1", "ann", 0, 1);
        assertThat(ledger.outstanding()).isEqualTo(1);
        assertThat(ledger.received("ann", CONVERSATION, 1, "m1", 0, 5)).isEqualTo(1); // the sender's own copy
        assertThat(ledger.delivered.get()).isZero();
        assertThat(ledger.received("bob", CONVERSATION, 1, "m1", 0, 2_000_000)).isEqualTo(1);
        assertThat(ledger.delivered.get()).isEqualTo(1);
        assertThat(ledger.outstanding()).isZero();
        assertThat(ledger.latencySnapshot().getTotalCount()).isEqualTo(1);
        assertThat(ledger.lastDeliverySnapshot().getTotalCount()).isEqualTo(1);
        assertThat(ledger.lastReceivedNanos()).isEqualTo(2_000_000);
    }

    @Test
    void aSeqAtOrBelowTheHighestHeldIsADuplicate() {
        assertThat(ledger.received("bob", CONVERSATION, 1, null, 0, 1)).isEqualTo(1);
        assertThat(ledger.received("bob", CONVERSATION, 1, null, 1, 2)).isEqualTo(1);
        assertThat(ledger.received("bob", CONVERSATION, 3, null, 5, 3)).isEqualTo(5);
        assertThat(ledger.duplicated.get()).isEqualTo(2);
        assertThat(ledger.skipped.get()).isZero();
    }

    @Test
    void aSeqBeyondTheNextCountsTheGapAsSkipped() {
        assertThat(ledger.received("bob", CONVERSATION, 4, null, 1, 1)).isEqualTo(4);
        assertThat(ledger.skipped.get()).isEqualTo(2); // 2 and 3 never came
        assertThat(ledger.duplicated.get()).isZero();
    }

    @Test
    void aSecondSeqForOneClientMessageIdIsStoredTwice() {
        ledger.due("m1", "ann", 0, 1);
        ledger.acked(CONVERSATION, "m1", 1, 10);
        ledger.acked(CONVERSATION, "m1", 1, 20); // the same ack again (a resend): not a duplicate
        assertThat(ledger.acked.get()).isEqualTo(1);
        assertThat(ledger.storedTwice.get()).isZero();
        ledger.acked(CONVERSATION, "m1", 2, 30);
        assertThat(ledger.storedTwice.get()).isEqualTo(1);
        assertThat(ledger.lastSeq(CONVERSATION)).isEqualTo(2);
        assertThat(ledger.toAckSnapshot().getTotalCount()).isEqualTo(1);
    }

    @Test
    void nothingIsRecordedWhileNotMeasuringButEverythingCounted() {
        ledger.measuring(false);
        ledger.due("m1", "ann", 0, 1);
        ledger.acked(CONVERSATION, "m1", 1, 10);
        ledger.received("bob", CONVERSATION, 1, "m1", 0, 20);
        assertThat(ledger.latencySnapshot().getTotalCount()).isZero();
        assertThat(ledger.toAckSnapshot().getTotalCount()).isZero();
        assertThat(ledger.delivered.get()).isEqualTo(1);
        ledger.measuring(true);
        ledger.due("m2", "ann", 0, 1);
        ledger.received("bob", CONVERSATION, 2, "m2", 1, 20);
        assertThat(ledger.latencySnapshot().getTotalCount()).isEqualTo(1);
        ledger.resetLatency();
        assertThat(ledger.latencySnapshot().getTotalCount()).isZero();
    }

    @Test
    void theLastDeliveryOfAGroupMessageIsItsLatestRecipient() {
        ledger.due("m1", "ann", 0, 2);
        ledger.received("bob", CONVERSATION, 1, "m1", 0, 1_000_000);
        assertThat(ledger.lastDeliverySnapshot().getTotalCount()).isZero();
        ledger.received("cat", CONVERSATION, 1, "m1", 0, 3_000_000);
        assertThat(ledger.lastDeliverySnapshot().getMaxValue()).isBetween(2_990_000L, 3_010_000L);
        assertThat(ledger.latencySnapshot().getTotalCount()).isEqualTo(2);
    }

    @Test
    void aClientIsBehindByWhatWasAckedAndItHasNotReceived() {
        Client bob = new Client("bob", "token", null, null, null, ledger);
        bob.knows(CONVERSATION);
        bob.knows("c2");
        ledger.acked(CONVERSATION, "m1", 1, 0);
        ledger.acked(CONVERSATION, "m2", 2, 0);
        ledger.acked(CONVERSATION, "m3", 3, 0);
        ledger.acked("c2", "n1", 1, 0);
        assertThat(bob.behind()).isEqualTo(4);
        bob.received(message(CONVERSATION, 1, "m1"), 1);
        bob.received(message(CONVERSATION, 2, "m2"), 2);
        assertThat(bob.highest(CONVERSATION)).isEqualTo(2);
        assertThat(bob.behind()).isEqualTo(2);
        bob.received(message(CONVERSATION, 3, "m3"), 3);
        bob.received(message("c2", 1, "n1"), 4);
        assertThat(bob.behind()).isZero();
        bob.received(message(CONVERSATION, 2, "m2"), 5);
        assertThat(ledger.duplicated.get()).isEqualTo(1);
        assertThat(bob.highest(CONVERSATION)).isEqualTo(3);
    }

    @Test
    void countsAddTheSeqsAMemberNeverGotToTheSkippedOnes() {
        Client ann = new Client("ann", "t", null, null, null, ledger);
        Client bob = new Client("bob", "t", null, null, null, ledger);
        ledger.due("m1", "ann", 0, 1);
        ledger.due("m2", "ann", 0, 1);
        ledger.acked(CONVERSATION, "m1", 1, 0);
        ledger.acked(CONVERSATION, "m2", 2, 0);
        ann.received(message(CONVERSATION, 1, "m1"), 1);
        ann.received(message(CONVERSATION, 2, "m2"), 1);
        bob.received(message(CONVERSATION, 1, "m1"), 1); // m2 never comes to bob
        JsonObject counts = LoadRig.counts(ledger, List.of(ann, bob), Map.of(CONVERSATION, List.of(ann, bob)), 0);
        assertThat(counts.getLong("sent")).isEqualTo(2);
        assertThat(counts.getLong("acked")).isEqualTo(2);
        assertThat(counts.getLong("delivered")).isEqualTo(1);
        assertThat(counts.getLong("lost")).isEqualTo(1);
        assertThat(counts.getLong("duplicated")).isZero();
        assertThat(counts.getLong("unacked")).isZero();
        assertThat(counts.getLong("connections")).isZero();
    }

    @Test
    void thePairsTakeTurnsRoundByRound() {
        Client a1 = new Client("a1", "t", null, null, null, ledger);
        Client b1 = new Client("b1", "t", null, null, null, ledger);
        Client a2 = new Client("a2", "t", null, null, null, ledger);
        Client b2 = new Client("b2", "t", null, null, null, ledger);
        List<Pair> pairs = List.of(new Pair("c1", a1, b1), new Pair("c2", a2, b2));
        assertThat(List.of(0L, 1L, 2L, 3L, 4L))
                .extracting(i -> Pair.senderOf(pairs, i))
                .containsExactly(a1, a2, b1, b2, a1);
        assertThat(Pair.members(pairs)).containsExactly(a1, b1, a2, b2);
        assertThat(Pair.conversations(pairs)).containsOnlyKeys("c1", "c2");
    }

    private static JsonObject message(String conversation, long seq, String clientMessageId) {
        return new JsonObject()
                .put("conversationId", conversation)
                .put("seq", seq)
                .put("clientMessageId", clientMessageId);
    }
}
