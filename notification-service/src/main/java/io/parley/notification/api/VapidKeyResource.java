package io.parley.notification.api;

import io.parley.kit.ApiResponses;
import io.parley.kit.Problem;
import io.parley.notification.domain.Subscriptions;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** The key a browser passes to pushManager.subscribe as applicationServerKey. */
@Path("/api/push/vapid-public-key")
@RolesAllowed({"client", "expert", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class VapidKeyResource {

    private final Subscriptions subscriptions;

    public VapidKeyResource(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    /** @return {@code {"publicKey": ...}}; 503 when Web Push is not configured */
    @GET
    @Operation(summary = "The VAPID public key for pushManager.subscribe")
    @APIResponse(
            responseCode = "200",
            description = "The key",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = Schemas.VapidPublicKey.class)))
    @APIResponse(responseCode = "503", ref = ApiResponses.UNAVAILABLE)
    public Map<String, String> publicKey() {
        return Map.of(
                "publicKey",
                subscriptions
                        .applicationServerKey()
                        .orElseThrow(() -> Problem.of(
                                Response.Status.SERVICE_UNAVAILABLE, "Web Push is not configured on this server.")));
    }
}
