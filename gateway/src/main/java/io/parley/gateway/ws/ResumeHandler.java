package io.parley.gateway.ws;

import io.parley.gateway.delivery.Session;
import io.parley.gateway.metrics.GatewayMetrics;
import io.parley.gateway.protocol.ClientFrame;
import io.parley.gateway.protocol.FrameCodec;
import io.parley.gateway.protocol.ServerFrame;
import io.parley.gateway.protocol.ServerFrame.Error;
import io.parley.gateway.upstream.MessageServiceClient;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@code resume} frame: sends every message after each given position, in seq order, then {@code resumed}. Live
 * messages of those conversations wait during the replay and follow it, none twice (the connection's
 * {@link io.parley.gateway.delivery.SeqGate}). Each position stands on its own: a fault of one (decoded by
 * {@link FrameCodec}) is answered before the replay, a conversation the caller may not see is {@code not_found}, one
 * whose history cannot be read now is {@code unavailable} (each error carries the resume's ref and the
 * conversation's id); every other conversation is replayed, and {@code resumed} follows.
 */
@ApplicationScoped
public class ResumeHandler {

    private static final int REPLAY_PAGE = 200;

    private final MessageServiceClient messages;
    private final GatewayMetrics metrics;

    public ResumeHandler(MessageServiceClient messages, GatewayMetrics metrics) {
        this.messages = messages;
        this.metrics = metrics;
    }

    /**
     * Replays a decoded {@code resume} frame's conversations to {@code session}, one after the other.
     *
     * @return {@code resumed}, once every conversation is replayed or answered with an error (never a failure)
     */
    public Uni<ServerFrame> handle(Session session, ClientFrame.Resume resume) {
        String ref = resume.ref();
        resume.faults().forEach(fault -> session.sendNow(FrameCodec.encode(fault)));
        // Every conversation of the resume holds its live frames from now on, until its own replay is done.
        resume.positions().forEach(session::startReplay);
        session.releaseHold();
        Uni<Void> chain = Uni.createFrom().voidItem();
        AtomicLong replayed = new AtomicLong();
        for (Map.Entry<UUID, Long> position : resume.positions().entrySet()) {
            chain = chain.chain(() -> replay(session, ref, position.getKey(), position.getValue(), replayed));
        }
        return chain.invoke(() -> metrics.resumed(replayed.get())).replaceWith(() -> new ServerFrame.Resumed(ref));
    }

    /** A resume that cannot be read holds nothing back: live messages held for it flow now. */
    public void refused(Session session) {
        session.releaseHold();
    }

    /** Replays one conversation; an answer other than its history is an error frame about it, never a failure. */
    private Uni<Void> replay(Session session, String ref, UUID conversationId, long afterSeq, AtomicLong replayed) {
        return page(session, ref, conversationId, afterSeq, replayed)
                .onFailure()
                .recoverWithItem(e -> {
                    Log.warnf("replay of %s failed: %s", conversationId, e.toString());
                    session.sendNow(FrameCodec.encode(Error.about(
                            ref,
                            "unavailable",
                            "Cannot resume conversation " + conversationId + " now; resume it again.",
                            conversationId.toString())));
                    return null;
                })
                .eventually(() -> session.endReplay(conversationId));
    }

    /** Replays one page of history after {@code afterSeq}, then the next; adds the messages read to {@code replayed}. */
    private Uni<Void> page(Session session, String ref, UUID conversationId, long afterSeq, AtomicLong replayed) {
        return messages.after(session.token(), conversationId, afterSeq, REPLAY_PAGE)
                .chain(answer -> {
                    if (!answer.ok()) {
                        String code = Error.codeOf(answer.status());
                        session.sendNow(FrameCodec.encode(Error.about(
                                ref,
                                code,
                                "unavailable".equals(code)
                                        ? "Cannot resume conversation " + conversationId + " now; resume it again."
                                        : "Cannot resume conversation " + conversationId + ".",
                                conversationId.toString())));
                        return Uni.createFrom().voidItem();
                    }
                    long last = afterSeq;
                    for (Object item : answer.body().getJsonArray("items")) {
                        JsonObject message = (JsonObject) item;
                        long seq = message.getLong("seq");
                        session.replayed(
                                conversationId,
                                seq,
                                FrameCodec.encode(new ServerFrame.MessageCreated(FrameCodec.tree(message.getMap()))));
                        last = seq;
                        replayed.incrementAndGet();
                    }
                    long next = last;
                    return answer.body().getBoolean("hasMore", false) && next > afterSeq
                            ? page(session, ref, conversationId, next, replayed)
                            : Uni.createFrom().voidItem();
                });
    }
}
