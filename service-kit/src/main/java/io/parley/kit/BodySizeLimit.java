package io.parley.kit;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Every service's size limit for a request body announced by {@code Content-Length}: above
 * {@code quarkus.http.limits.max-body-size} (10 MiB unless configured) the request is answered {@code 413}
 * problem+json before its body is read, and the connection closed only after the rest of the body was drained
 * ({@link LingeringClose}), so that the sender, often the gateway's proxy, reads the answer instead of a reset
 * connection. It runs just before Quarkus's own check of the same limit, which would close at once. Bodies sent
 * without a length (chunked) are still bounded by Quarkus's check.
 */
@ApplicationScoped
public class BodySizeLimit {

    /** Quarkus's default of {@code quarkus.http.limits.max-body-size}, in bytes. */
    static final long QUARKUS_DEFAULT = 10L * 1024 * 1024;

    void install(@Observes Router router) {
        long limit = ConfigProvider.getConfig()
                .getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class)
                .map(MemorySize::asLongValue)
                .orElse(QUARKUS_DEFAULT);
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 2).handler(ctx -> check(ctx, limit));
    }

    private static void check(RoutingContext ctx, long limit) {
        if (announcedLength(ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH)) > limit) {
            LingeringClose.refuse(
                    ctx.request(), 413, "Request Entity Too Large", "A request body is at most " + limit + " bytes.");
        } else {
            ctx.next();
        }
    }

    /**
     * The length a {@code Content-Length} value announces, in bytes: -1 when absent or not a decimal number (the HTTP
     * server refuses a malformed length itself), {@link Long#MAX_VALUE} for a number beyond 64 bits.
     */
    public static long announcedLength(String contentLength) {
        if (contentLength == null) {
            return -1;
        }
        String value = contentLength.strip();
        if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        String digits = value.replaceFirst("^0+(?=.)", "");
        return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
    }
}
