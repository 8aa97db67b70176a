package io.parley.gateway.security;

import io.parley.gateway.config.GatewayConfig;
import io.parley.gateway.config.WebOidc;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;

/**
 * Security headers on every answer of the gateway's public port: REST answers forwarded from the services, the
 * gateway's own problem answers (401, 413, 429, 503...), the web app's files, {@code /q/openapi}. Each header is
 * added only when the answer does not carry it already, so a service's own choice for a route wins (a file download
 * keeps the message-service's {@code Content-Security-Policy} with {@code sandbox}, docs/api.md Files).
 * <ul>
 *   <li>{@code X-Content-Type-Options: nosniff}: a browser takes the declared type, never guesses another.</li>
 *   <li>{@code Referrer-Policy: no-referrer}: no address of the app (a conversation id in it) leaks to another
 *       site.</li>
 *   <li>{@code X-Frame-Options: DENY}, and {@code frame-ancestors 'none'} in the page's policy: no other page may
 *       frame the app (clickjacking). The one exception is {@code /silent-renew.html}, which the app frames itself
 *       during an OpenID Connect silent renewal: {@code SAMEORIGIN}.</li>
 *   <li>{@code Content-Security-Policy} on HTML answers: {@link #APP_POLICY} for the app (its own scripts, styles and
 *       fonts; images and media also from {@code blob:} and {@code data:}, as thumbnails and files are shown from
 *       object URLs; connections to its own origin, which covers {@code ws:}/{@code wss:} of it in CSP Level 3; and,
 *       only when the app signs in with an OpenID Connect issuer ({@code parley.web.oidc.authority}), that issuer's
 *       origin for {@code connect-src} and {@code frame-src}, where the sign-in reads its metadata, redeems codes
 *       and refresh tokens, and renews silently in a frame that comes back to the app's own
 *       {@code /silent-renew.html}: hence {@code frame-src 'self'} too);
 *       {@link #RENEW_POLICY} for the silent renewal's page, which is one inline script.</li>
 *   <li>{@code Strict-Transport-Security: max-age=31536000} only on an answer to a request that came over HTTPS
 *       (TLS here, or {@code X-Forwarded-Proto: https} from a proxy Quarkus is told to trust, quarkus.http.proxy.*):
 *       over plain HTTP the header means nothing (RFC 6797 section 7.2) and is left out.</li>
 * </ul>
 */
@ApplicationScoped
public class SecurityHeaders {

    /** The policy of the app's pages; each {@code %s} is replaced by the issuer's origin (with a leading space) or "". */
    static final String APP_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' blob: data:; media-src 'self' blob: data:; font-src 'self'; connect-src 'self'%s; "
            + "frame-src 'self'%s; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";

    /** The policy of {@code /silent-renew.html}: its one inline script, nothing loaded, framed by the app only. */
    static final String RENEW_POLICY = "default-src 'none'; script-src 'unsafe-inline'; frame-ancestors 'self'";

    static final String RENEW_PAGE = "/silent-renew.html";
    static final String HSTS = "max-age=31536000";

    private final String appPolicy;

    /**
     * @param config the app's OpenID Connect issuer ({@code parley.web.oidc.*}): its origin, when one is configured, is
     *     allowed as said above
     * @throws IllegalStateException when that setting is incomplete or not an http(s) URL (config/WebOidc): the gateway
     *     does not start
     */
    public SecurityHeaders(GatewayConfig config) {
        this.appPolicy = appPolicy(WebOidc.of(config.web().oidc()).map(WebOidc::origin));
    }

    /** The app's policy, allowing {@code issuerOrigin} (e.g. {@code https://id.example.com}) to be connected and framed. */
    static String appPolicy(Optional<String> issuerOrigin) {
        String issuer = issuerOrigin.map(o -> " " + o).orElse("");
        return String.format(APP_POLICY, issuer, issuer);
    }

    void install(@Observes Router router) {
        router.route().order(-1000).handler(context -> {
            context.addHeadersEndHandler(v -> apply(context));
            context.next();
        });
    }

    private void apply(RoutingContext context) {
        MultiMap headers = context.response().headers();
        String path = context.normalizedPath();
        boolean renewPage = RENEW_PAGE.equals(path);
        setIfAbsent(headers, "X-Content-Type-Options", "nosniff");
        setIfAbsent(headers, "Referrer-Policy", "no-referrer");
        setIfAbsent(headers, "X-Frame-Options", renewPage ? "SAMEORIGIN" : "DENY");
        if (isHtml(headers.get(HttpHeaders.CONTENT_TYPE))) {
            setIfAbsent(headers, "Content-Security-Policy", renewPage ? RENEW_POLICY : appPolicy);
        }
        if ("https".equalsIgnoreCase(context.request().scheme())) {
            setIfAbsent(headers, "Strict-Transport-Security", HSTS);
        }
    }

    /** Whether a {@code Content-Type} is HTML ({@code text/html}, any parameters, any letter case). */
    static boolean isHtml(String contentType) {
        return contentType != null
                && contentType.strip().toLowerCase(java.util.Locale.ROOT).startsWith("text/html");
    }

    private static void setIfAbsent(MultiMap headers, String name, String value) {
        if (!headers.contains(name)) {
            headers.set(name, value);
        }
    }
}
