package io.parley.message.api;

import io.parley.kit.BodySizeLimit;
import io.parley.kit.LingeringClose;
import io.parley.message.domain.FilesConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Refuses, before its body is read, a request whose {@code Content-Length} is too large: above
 * {@code parley.files.max-size} + {@link #MULTIPART_OVERHEAD} for an upload, above {@link #OTHER_LIMIT} for anything
 * else. It answers {@code 413} with a problem body and closes the connection once the rest of the body has been
 * read and discarded ({@link LingeringClose}: closing at once would let a TCP reset destroy the answer before the
 * sender, often the gateway's proxy, has read it). {@code quarkus.http.limits.max-body-size} must allow an upload
 * (max-size + 64 KiB): it still bounds bodies sent without a Content-Length, and a warning says when it is smaller.
 */
@ApplicationScoped
public class BodyLimits {

    /** What a multipart body may carry besides the file: boundaries and part headers. */
    public static final long MULTIPART_OVERHEAD = 64 * 1024;
    /** The largest body of any other request (Quarkus's default max-body-size). */
    public static final long OTHER_LIMIT = 10 * 1024 * 1024;

    private static final Pattern UPLOAD = Pattern.compile("/api/conversations/[^/]+/attachments/?");

    private final FilesConfig config;

    public BodyLimits(FilesConfig config) {
        this.config = config;
    }

    void install(@Observes Router router) {
        long uploadLimit = config.maxSize().asLongValue() + MULTIPART_OVERHEAD;
        ConfigProvider.getConfig()
                .getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class)
                .filter(max -> max.asLongValue() < uploadLimit)
                .ifPresent(max -> Log.warnf(
                        "quarkus.http.limits.max-body-size (%d bytes) is below "
                                + "parley.files.max-size + 64 KiB (%d bytes): uploads near the maximum size will be refused",
                        max.asLongValue(), uploadLimit));
        // before the kit's BodySizeLimit (ROUTE_ORDER_UPLOAD_LIMIT - 2), whose one limit does not know uploads
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 3).handler(ctx -> check(ctx, uploadLimit));
    }

    private static void check(RoutingContext ctx, long uploadLimit) {
        HttpServerRequest request = ctx.request();
        long length = BodySizeLimit.announcedLength(request.getHeader(HttpHeaders.CONTENT_LENGTH));
        if (length < 0) {
            ctx.next(); // no length, or not a number: Quarkus's limit and the HTTP server judge it
            return;
        }
        boolean upload = request.method() == HttpMethod.POST
                && UPLOAD.matcher(request.path()).matches();
        long limit = upload ? uploadLimit : OTHER_LIMIT;
        if (length <= limit) {
            ctx.next();
            return;
        }
        String detail = upload
                ? io.parley.message.domain.FileService.sizeLimit(uploadLimit - MULTIPART_OVERHEAD)
                : "A request body is at most " + limit + " bytes.";
        LingeringClose.refuse(request, 413, "Request Entity Too Large", detail);
    }
}
