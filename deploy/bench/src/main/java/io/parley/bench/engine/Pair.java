package io.parley.bench.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Two connected users and their direct conversation: the unit of the open loop of the pairs, max and storm scenarios.
 *
 * @param conversation the direct conversation's id
 * @param a            the user who made it
 * @param b            the other participant
 */
public record Pair(String conversation, Client a, Client b) {

    /** Every client of {@code pairs}, a then b of each. */
    public static List<Client> members(List<Pair> pairs) {
        return pairs.stream().flatMap(p -> Stream.of(p.a, p.b)).toList();
    }

    /** Each pair's conversation and its two members, in order. */
    public static Map<String, List<Client>> conversations(List<Pair> pairs) {
        Map<String, List<Client>> members = new LinkedHashMap<>();
        pairs.forEach(p -> members.put(p.conversation, List.of(p.a, p.b)));
        return members;
    }

    /** Message {@code i}, due at {@code due}: pair i mod n, sent by one side then the other on its next turn. */
    public static void sendOne(List<Pair> pairs, long i, Ledger ledger, long due) {
        Pair pair = pairs.get((int) (i % pairs.size()));
        Client sender = senderOf(pairs, i);
        String id = UUID.randomUUID().toString();
        ledger.due(id, sender.userId(), due, 1);
        sender.send(pair.conversation, id, "m" + i);
    }

    /** Who sends message {@code i}: a of pair i mod n in even rounds over the pairs, b in odd ones. */
    static Client senderOf(List<Pair> pairs, long i) {
        Pair pair = pairs.get((int) (i % pairs.size()));
        return (i / pairs.size()) % 2 == 0 ? pair.a : pair.b;
    }
}
