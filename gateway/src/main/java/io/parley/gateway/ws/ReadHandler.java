package io.parley.gateway.ws;

import io.parley.gateway.delivery.Session;
import io.parley.gateway.protocol.ClientFrame;
import io.parley.gateway.protocol.ServerFrame;
import io.parley.gateway.protocol.ServerFrame.Error;
import io.parley.gateway.upstream.MessageServiceClient;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A {@code read} frame: moves the reader's position through the message-service. Nothing answers a read that worked:
 * the read event that follows goes to every connection of the conversation, and the reader's new counts to each of
 * the reader's connections.
 */
@ApplicationScoped
public class ReadHandler {

    private final MessageServiceClient messages;

    public ReadHandler(MessageServiceClient messages) {
        this.messages = messages;
    }

    /**
     * Stores a decoded {@code read} frame's position on behalf of {@code session}'s user.
     *
     * @return null when it was stored, else the {@code error} to answer (never a failure)
     */
    public Uni<ServerFrame> handle(Session session, ClientFrame.Read read) {
        String ref = read.ref();
        return messages.read(session.token(), read.conversationId(), read.seq())
                .map(answer -> {
                    if (answer.ok()) {
                        return (ServerFrame) null;
                    }
                    String code = Error.codeOf(answer.status());
                    return Error.of(
                            ref,
                            code,
                            code.equals("unavailable")
                                    ? "The read position was not stored; send it again."
                                    : answer.body().getString("detail", "Refused."));
                })
                .onFailure()
                .recoverWithItem(e -> {
                    Log.warnf("read through the message-service failed: %s", e.toString());
                    return Error.of(ref, "unavailable", "The read position was not stored; send it again.");
                });
    }
}
