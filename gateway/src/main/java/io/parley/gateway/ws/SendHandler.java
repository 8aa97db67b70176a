package io.parley.gateway.ws;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.parley.gateway.delivery.SendRateLimiter;
import io.parley.gateway.delivery.Session;
import io.parley.gateway.protocol.AttachmentRefs;
import io.parley.gateway.protocol.ClientFrame;
import io.parley.gateway.protocol.FrameCodec;
import io.parley.gateway.protocol.ServerFrame;
import io.parley.gateway.protocol.ServerFrame.Error;
import io.parley.gateway.upstream.MessageServiceClient;
import io.parley.gateway.upstream.UpstreamHttp;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A {@code send} frame: counted against the sender's allowance on this instance, then stored by the message-service
 * with the connection's token. The message itself reaches every connection (the sender's included) through Kafka as
 * {@code message.created}; the sender's frame is answered with {@code ack}.
 */
@ApplicationScoped
public class SendHandler {

    private final MessageServiceClient messages;
    private final SendRateLimiter rateLimiter;
    private final Tracer tracer;

    public SendHandler(MessageServiceClient messages, SendRateLimiter rateLimiter, Tracer tracer) {
        this.messages = messages;
        this.rateLimiter = rateLimiter;
        this.tracer = tracer;
    }

    /**
     * Sends a decoded {@code send} frame on behalf of {@code session}'s user.
     *
     * @return {@code ack} with the stored message, or an {@code error}: {@code rate_limited} with
     *         {@code retryAfterMs}, the service's refusal by its status (with {@code field} when it names an
     *         attachment), or {@code unavailable} (send again with the same clientMessageId); never a failure
     */
    public Uni<ServerFrame> handle(Session session, ClientFrame.Send send) {
        String ref = send.ref();
        double wait = rateLimiter.acquire(session.userId());
        if (wait > 0) {
            return Uni.createFrom().item(Error.rateLimited(ref, (long) Math.ceil(wait * 1000)));
        }
        JsonObject body = new JsonObject().put("clientMessageId", send.clientMessageId());
        if (send.content() != null) {
            body.put("content", send.content());
        }
        if (!send.attachments().isEmpty()) {
            body.put("attachments", AttachmentRefs.body(send.attachments()));
        }
        // a send's trace begins here: a span for the frame, whose context the message-service's request carries
        // (and from it the outbox row and the Kafka record); a no-op when traces are off
        Span span = tracer.spanBuilder("WebSocket send")
                .setSpanKind(SpanKind.SERVER)
                .startSpan();
        Uni<UpstreamHttp.Answer> stored;
        try (Scope ignored = span.makeCurrent()) {
            stored = messages.send(session.token(), send.conversationId(), body);
        }
        return stored.onTermination()
                .invoke(span::end)
                .map(answer -> {
                    if (answer.ok() && !answer.body().isEmpty()) {
                        return (ServerFrame) new ServerFrame.Ack(
                                ref, FrameCodec.tree(answer.body().getMap()));
                    }
                    String code = Error.codeOf(answer.status());
                    if (answer.ok() || code.equals("unavailable")) {
                        return Error.of(
                                ref,
                                "unavailable",
                                "The message-service did not store the message; send it "
                                        + "again with the same clientMessageId.");
                    }
                    String detail = answer.body().getString("detail", "Refused.");
                    if (code.equals("not_found")) {
                        // as every not_found of a conversation: it names the conversation the frame named
                        return Error.about(
                                ref, code, detail, send.conversationId().toString());
                    }
                    String field = AttachmentRefs.fieldOf(detail);
                    return field == null ? Error.of(ref, code, detail) : Error.refused(ref, code, field, detail);
                })
                .onFailure()
                .recoverWithItem(e -> {
                    Log.warnf("send through the message-service failed: %s", e.toString());
                    return Error.of(
                            ref,
                            "unavailable",
                            "The message was not stored; send it again with the same " + "clientMessageId.");
                });
    }
}
