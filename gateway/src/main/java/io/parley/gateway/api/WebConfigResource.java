package io.parley.gateway.api;

import io.parley.gateway.config.GatewayConfig;
import io.parley.gateway.config.WebOidc;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code GET /config.json}: how the web app signs in, from the gateway's configuration (README, "configuration";
 * docs/client.md, "Sign-in"). Public, like the app's files. Answers {@code 200} JSON:
 * <ul>
 *   <li>{@code roleClaim}: where tokens hold the role ({@code PARLEY_JWT_ROLE_CLAIM}, e.g. {@code groups} or
 *       {@code realm_access/roles}), so that the app shows the role the services enforce;</li>
 *   <li>{@code oidc: {authority, clientId, scope?}} only when an OpenID Connect issuer is configured
 *       ({@code PARLEY_WEB_OIDC_*}); without it the app takes its token from the address's fragment.</li>
 * </ul>
 * {@code Cache-Control: no-store}: a changed setting reaches every browser at its next load. Left out of the OpenAPI
 * document, as the app's other files are: it is the app's, not part of the API.
 */
@Path("/config.json")
@Singleton
public class WebConfigResource {

    private final Map<String, Object> body;

    /**
     * @param config the role claim and {@code parley.web.oidc.*}
     * @throws IllegalStateException when the OIDC settings are incomplete or the authority not an http(s) URL
     */
    public WebConfigResource(GatewayConfig config) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("roleClaim", config.jwt().roleClaim());
        WebOidc.of(config.web().oidc()).ifPresent(oidc -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("authority", oidc.authority());
            o.put("clientId", oidc.clientId());
            oidc.scope().ifPresent(scope -> o.put("scope", scope));
            answer.put("oidc", o);
        });
        this.body = java.util.Collections.unmodifiableMap(answer);
    }

    @GET
    @Operation(hidden = true)
    @Produces(MediaType.APPLICATION_JSON)
    public Response config() {
        return Response.ok(body).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }
}
