package io.parley.bench.engine;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Whether a quantity sampled during a soak run (a table's rows or bytes, a heap's old generation) is bounded or keeps
 * growing with the traffic. Only samples taken after the settle time count (the retention windows have filled and
 * been pruned once): those are split in two halves by time, and the quantity is growing when the second half's peak
 * exceeds the first half's by more than a share of it and an absolute slack. A pruned table saw-tooths between the
 * same low and high marks in both halves; a table that keeps every message climbs. The growth per message is the rise
 * from the first counted sample to the last, over the messages sent meanwhile.
 */
public final class Growth {

    /** One sample: seconds into the run, messages sent so far, the value (rows, bytes or KiB). */
    public record Sample(double seconds, long messages, long value) {}

    /**
     * The verdict on one series.
     *
     * @param growing         whether the second half's peak exceeds the first half's beyond the tolerance
     * @param firstPeak       the highest value among the first half of the counted samples
     * @param secondPeak      the highest value among the second half
     * @param first           the first counted sample's value
     * @param last            the last sample's value
     * @param perMessage      (last - first) over the messages sent between those two samples; 0 without messages
     * @param countedSamples  how many samples were counted (taken at or after the settle time)
     */
    public record Verdict(
            boolean growing,
            long firstPeak,
            long secondPeak,
            long first,
            long last,
            double perMessage,
            int countedSamples) {

        /** The verdict's figures as JSON (peaks, first, last, per message). */
        public JsonObject json() {
            return new JsonObject()
                    .put("growing", growing)
                    .put("first", first)
                    .put("last", last)
                    .put("firstHalfPeak", firstPeak)
                    .put("secondHalfPeak", secondPeak)
                    .put("perMessage", Math.round(perMessage * 10_000) / 10_000.0)
                    .put("countedSamples", countedSamples);
        }
    }

    private Growth() {}

    /**
     * Judges {@code samples} (in time order): those at or after {@code settleSeconds} are counted; the quantity is
     * growing when the second half's peak is above {@code (1 + share)} times the first half's plus {@code slack}.
     * Fewer than four counted samples give a verdict that is not growing, with what there is (the caller says the run
     * was too short).
     *
     * @throws IllegalArgumentException if {@code samples} is empty
     */
    public static Verdict judge(List<Sample> samples, double settleSeconds, double share, long slack) {
        return judge(samples, settleSeconds, share, slack, 0);
    }

    /**
     * As {@link #judge(List, double, double, long)}, the allowed rise also growing with the traffic: the second
     * half's peak may exceed the first's by {@code share} of it, plus {@code perMessage} times the messages between
     * the halves (half of those counted), plus {@code slack}. With {@code share} 0 a table that already held much
     * before the run is judged by what the run adds to it, not by its size.
     */
    public static Verdict judge(
            List<Sample> samples, double settleSeconds, double share, long slack, double perMessageAllowed) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        List<Sample> counted =
                samples.stream().filter(s -> s.seconds() >= settleSeconds).toList();
        if (counted.isEmpty()) {
            counted = List.of(samples.get(samples.size() - 1));
        }
        Sample first = counted.get(0);
        Sample last = counted.get(counted.size() - 1);
        double middle = (first.seconds() + last.seconds()) / 2;
        long firstPeak = counted.stream()
                .filter(s -> s.seconds() <= middle)
                .mapToLong(Sample::value)
                .max()
                .orElse(first.value());
        long secondPeak = counted.stream()
                .filter(s -> s.seconds() > middle)
                .mapToLong(Sample::value)
                .max()
                .orElse(last.value());
        long messages = last.messages() - first.messages();
        double perMessage = messages <= 0 ? 0 : (double) (last.value() - first.value()) / messages;
        double allowed = share * firstPeak + perMessageAllowed * messages / 2.0 + slack;
        boolean growing = counted.size() >= 4 && secondPeak - firstPeak > allowed;
        return new Verdict(growing, firstPeak, secondPeak, first.value(), last.value(), perMessage, counted.size());
    }
}
