package io.parley.gateway.config;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * The web app's OpenID Connect issuer, checked: what {@code GET /config.json} hands the app and what the app's
 * Content-Security-Policy lets it reach.
 *
 * @param authority the issuer's http(s) URL, as configured (e.g. {@code https://id.example.com/realms/parley})
 * @param clientId the app's public client at the provider
 * @param scope the scopes asked for, when configured
 */
public record WebOidc(String authority, String clientId, Optional<String> scope) {

    /**
     * The issuer of {@code parley.web.oidc.*}.
     *
     * @return empty when neither the authority nor the client is set (the app then signs in with the address's fragment)
     * @throws IllegalStateException when only one of them is set, or the authority is not an absolute http(s) URL: the
     *     gateway does not start with a sign-in that cannot work
     */
    public static Optional<WebOidc> of(GatewayConfig.Oidc config) {
        Optional<String> authority = config.authority().map(String::strip).filter(s -> !s.isEmpty());
        Optional<String> clientId = config.clientId().map(String::strip).filter(s -> !s.isEmpty());
        if (authority.isEmpty() && clientId.isEmpty()) {
            return Optional.empty();
        }
        if (authority.isEmpty() || clientId.isEmpty()) {
            throw new IllegalStateException(
                    "parley.web.oidc.authority and parley.web.oidc.client-id (PARLEY_WEB_OIDC_AUTHORITY,"
                            + " PARLEY_WEB_OIDC_CLIENT_ID) go together: set both or neither");
        }
        if (origin(authority.get()).isEmpty()) {
            throw new IllegalStateException("parley.web.oidc.authority (PARLEY_WEB_OIDC_AUTHORITY) must be an http(s)"
                    + " URL, e.g. https://id.example.com/realms/parley; it is: " + authority.get());
        }
        Optional<String> scope = config.scope().map(String::strip).filter(s -> !s.isEmpty());
        return Optional.of(new WebOidc(authority.get(), clientId.get(), scope));
    }

    /** The authority's origin ({@code scheme://host[:port]}, lower case), where the app reads metadata and tokens. */
    public String origin() {
        return origin(authority).orElseThrow();
    }

    /**
     * The origin ({@code scheme://host[:port]}, RFC 6454) of an http(s) URL.
     *
     * @return empty for anything else (no scheme, another scheme, no host, not a URI)
     */
    public static Optional<String> origin(String url) {
        try {
            URI uri = URI.create(url.strip());
            String scheme = uri.getScheme();
            if (uri.getHost() == null || !("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))) {
                return Optional.empty();
            }
            return Optional.of(scheme.toLowerCase(Locale.ROOT) + "://"
                    + uri.getHost().toLowerCase(Locale.ROOT) + (uri.getPort() >= 0 ? ":" + uri.getPort() : ""));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
