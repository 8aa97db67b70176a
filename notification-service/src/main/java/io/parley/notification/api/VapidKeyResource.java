package io.parley.notification.api;

import io.parley.kit.Problem;
import io.parley.notification.domain.Subscriptions;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

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
    public Map<String, String> publicKey() {
        return Map.of("publicKey", subscriptions.applicationServerKey().orElseThrow(() -> Problem.of(
                Response.Status.SERVICE_UNAVAILABLE, "Web Push is not configured on this server.")));
    }
}
