package io.parley.kit;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Answers a request before its body is read (a body over a size limit) and then closes the connection the way an
 * HTTP server must for the sender to see the answer: it keeps reading and discarding what the client is still
 * sending, and closes only once the body has ended, {@link #MAX_DRAIN} bytes were discarded, or {@link #MAX_LINGER}
 * milliseconds passed, whichever comes first.
 *
 * <p>Closing at once instead makes the kernel answer the unread bytes with a TCP reset, and a reset that reaches the
 * sender before it has read the answer destroys the answer: the sender (a client, or the gateway's proxy) sees a
 * broken connection instead of {@code 413}. RFC 9112 section 9.6 describes this "lingering close" of a server that
 * closes while the client may still be sending.
 */
public final class LingeringClose {

    /** The most bytes of a refused body read and discarded before the connection is closed anyway. */
    public static final long MAX_DRAIN = 256L * 1024 * 1024;
    /** The longest time, in milliseconds, the rest of a refused body is read before the connection is closed. */
    public static final long MAX_LINGER = 30_000;

    private LingeringClose() {}

    /**
     * Answers {@code request} with an RFC 9457 problem body and {@code Connection: close}, then drains and closes as
     * described above.
     *
     * @param request the request to refuse; its body must not have been read yet
     * @param status  the HTTP status, e.g. 413
     * @param title   the problem's title, e.g. {@code Request Entity Too Large}
     * @param detail  the problem's detail, for the user
     */
    public static void refuse(HttpServerRequest request, int status, String title, String detail) {
        String body = new JsonObject()
                .put("type", "about:blank")
                .put("title", title)
                .put("status", status)
                .put("detail", detail)
                .encode();
        HttpConnection connection = request.connection();
        Context context = Vertx.currentContext();
        AtomicBoolean closed = new AtomicBoolean();
        AtomicLong timer = new AtomicLong(-1);
        Runnable close = () -> {
            if (closed.compareAndSet(false, true)) {
                if (timer.get() >= 0) {
                    context.owner().cancelTimer(timer.get());
                }
                connection.close();
            }
        };
        AtomicBoolean answered = new AtomicBoolean();
        AtomicBoolean bodyEnded = new AtomicBoolean(request.isEnded());
        AtomicLong drained = new AtomicLong();
        if (!request.isEnded()) {
            request.handler(chunk -> {
                if (drained.addAndGet(chunk.length()) > MAX_DRAIN) {
                    close.run();
                }
            });
            request.endHandler(ended -> {
                bodyEnded.set(true);
                if (answered.get()) {
                    close.run();
                }
            });
            request.exceptionHandler(failure -> close.run());
            request.resume();
        }
        if (context != null) {
            timer.set(context.owner().setTimer(MAX_LINGER, id -> close.run()));
        }
        request.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(body)
                .onComplete(done -> {
                    answered.set(true);
                    if (bodyEnded.get() || done.failed()) {
                        close.run();
                    }
                });
    }
}
