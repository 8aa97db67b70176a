package io.parley.gateway.limits;

import io.parley.kit.BodySizeLimit;
import io.parley.kit.LingeringClose;
import io.parley.kit.Problem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * The gateway's answer to a request over one of its limits: {@code 429 Too Many Requests} (RFC 6585 section 4) with
 * {@code Retry-After} in whole seconds (RFC 9110 section 10.2.3) and an RFC 9457 problem body, the shape of every
 * error of the API ({@code {type: "about:blank", title, status, detail}}).
 */
public final class TooManyRequests {

    private TooManyRequests() {}

    /**
     * Answers {@code request} 429, before its body (if any) is read. A request that announces a body is answered as
     * {@link LingeringClose} does (the rest of the body read and discarded, then the connection closed), so that a
     * client sending its whole body before reading still sees the answer; one without a body keeps its connection.
     *
     * @param request           the refused request, nothing of it forwarded
     * @param retryAfterSeconds the value of {@code Retry-After}, at least 1
     * @param detail            the problem's detail, for the user
     */
    public static void refuse(HttpServerRequest request, long retryAfterSeconds, String detail) {
        request.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        if (hasBody(request)) {
            LingeringClose.refuse(request, 429, "Too Many Requests", detail);
            return;
        }
        request.response()
                .setStatusCode(429)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(body(detail));
    }

    /** The problem body: {@code {type: "about:blank", title: "Too Many Requests", status: 429, detail}}. */
    public static String body(String detail) {
        return new JsonObject()
                .put("type", "about:blank")
                .put("title", "Too Many Requests")
                .put("status", 429)
                .put("detail", detail)
                .encode();
    }

    /** Whether the request announces a body: a positive {@code Content-Length}, or a transfer coding (chunked). */
    static boolean hasBody(HttpServerRequest request) {
        return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null
                || BodySizeLimit.announcedLength(request.getHeader(HttpHeaders.CONTENT_LENGTH)) > 0;
    }
}
